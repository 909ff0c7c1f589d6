// The pages twauth shows the person in the browser after X redirects back to the loopback server
// (src/flows/callback-pages.ts): rendered in headless Chromium with JavaScript disabled, in light
// and dark colour schemes, saved as screenshots under test-output/screenshots/pages/, and checked
// for what a person needs — language, one heading, a title, the next step, readable contrast — and
// for what they must not get: scripts, or hostile text rendered as markup. Then the same pages as a
// real login serves them: through browser-user.mjs as BROWSER, and in-process with JS disabled.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page as PwPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pages, type Page } from '../../src/flows/callback-pages.js';
import { launchChromium } from '../helpers/chromium.js';
import { tempConfigDir } from '../helpers/cli.js';
import { repoRoot } from '../helpers/secret-service.js';
import { startSandbox, type Sandbox } from './support.js';

const SHOTS = join(repoRoot, 'test-output', 'screenshots', 'pages');
const BROWSER_USER = join(repoRoot, 'test', 'helpers', 'browser-user.mjs');
const HOSTILE = `<script>alert("x")</script><img src=x onerror="alert(1)"> & 'quoted' </p><h1>fake</h1>`;
const LONG = `The callback carried oauth_token=${'A'.repeat(120)} which is not the one twauth is waiting for.`;

type Scheme = 'light' | 'dark';

interface Colour {
  r: number;
  g: number;
  b: number;
  a: number;
}

interface Sample {
  what: string;
  text: string;
  fg: string;
  bg: string[];
}

interface Audit {
  lang: string;
  title: string;
  h1: string[];
  scripts: number;
  imgs: number;
  handlers: number;
  text: string;
  overflow: boolean;
  samples: Sample[];
}

// Runs inside the page (page.evaluate works with the page's own JavaScript disabled). A string,
// not a function, so that no transpiler helper leaks into the page.
const AUDIT = `(() => {
  const samples = [];
  const bgChain = (el) => {
    const out = [];
    for (let e = el; e; e = e.parentElement) out.push(getComputedStyle(e).backgroundColor);
    return out;
  };
  for (const el of document.querySelectorAll('h1, p, strong, code, .mark')) {
    const cs = getComputedStyle(el);
    samples.push({
      what: el.matches('.mark') ? '.mark' : el.tagName.toLowerCase(),
      text: el.textContent.trim().slice(0, 60),
      fg: cs.color,
      bg: bgChain(el),
    });
  }
  const root = document.documentElement;
  return {
    lang: root.getAttribute('lang'),
    title: document.title,
    h1: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
    scripts: document.querySelectorAll('script').length,
    imgs: document.querySelectorAll('img, iframe, object, embed').length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
    text: document.body.innerText,
    overflow: root.scrollWidth > root.clientWidth,
    samples,
  };
})()`;

function parseColour(css: string): Colour {
  const m = /^rgba?\(([^)]+)\)$/.exec(css.trim());
  if (!m) throw new Error(`unexpected computed colour ${css}`);
  const [r, g, b, a] = m[1]!
    .split(/[\s,/]+/)
    .filter(Boolean)
    .map(Number);
  return { r: r!, g: g!, b: b!, a: a ?? 1 };
}

/** `top` over `under` (source-over). */
function over(top: Colour, under: Colour): Colour {
  const a = top.a + under.a * (1 - top.a);
  if (a === 0) return { r: 0, g: 0, b: 0, a: 0 };
  const mix = (t: number, u: number) => (t * top.a + u * under.a * (1 - top.a)) / a;
  return { r: mix(top.r, under.r), g: mix(top.g, under.g), b: mix(top.b, under.b), a };
}

/** The colour behind an element: its own and its ancestors' backgrounds, composited on the canvas. */
function effectiveBackground(chain: string[], canvas: Colour): Colour {
  let result = canvas;
  for (const css of [...chain].reverse()) result = over(parseColour(css), result);
  return result;
}

function luminance(c: Colour): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

function contrast(a: Colour, b: Colour): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

async function noJsPage(scheme: Scheme, width = 800, height = 600): Promise<PwPage> {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    colorScheme: scheme,
    viewport: { width, height },
  });
  contexts.push(context);
  return context.newPage();
}

/** One JavaScript-less tab per colour scheme and width, reused: each page gets its own path. */
const tabs = new Map<string, PwPage>();
const served = new Map<string, Page>();
let servedCount = 0;

/** Serves `p` at a twauth-looking URL, with the loopback server's CSP, and loads it. */
async function render(p: Page, scheme: Scheme, width = 800): Promise<PwPage> {
  const key = `${scheme}-${width}`;
  let page = tabs.get(key);
  if (!page) {
    page = await noJsPage(scheme, width);
    await page.route('http://127.0.0.1:8736/**', (route) => {
      const found = served.get(new URL(route.request().url()).pathname);
      return found
        ? route.fulfill({
            status: found.status,
            headers: {
              'content-type': 'text/html; charset=utf-8',
              'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
            },
            body: found.html,
          })
        : route.abort();
    });
    tabs.set(key, page);
  }
  const path = `/page-${++servedCount}`;
  served.set(path, p);
  await page.goto(`http://127.0.0.1:8736${path}?oauth_token=t&oauth_verifier=v`);
  return page;
}

async function audit(page: PwPage): Promise<Audit> {
  const result = (await page.evaluate(AUDIT)) as Audit;
  // evaluate ran, but the page's own scripts must not: JavaScript is off in this context.
  expect(await page.evaluate('typeof document')).toBe('object');
  return result;
}

/** The basic checks every page passes, whatever it says. */
function checkPage(a: Audit, scheme: Scheme, label: string): void {
  expect(a.lang, label).toBe('en');
  expect(a.h1, label).toHaveLength(1);
  expect(a.title.trim().length, label).toBeGreaterThan(0);
  expect(a.title, label).toContain('twauth');
  expect(a.scripts, label).toBe(0);
  expect(a.imgs, label).toBe(0);
  expect(a.handlers, label).toBe(0);
  expect(a.overflow, `${label}: the page scrolls sideways`).toBe(false);
  const canvas = scheme === 'dark' ? { r: 18, g: 18, b: 18, a: 1 } : { r: 255, g: 255, b: 255, a: 1 };
  const kinds = new Set<string>();
  for (const s of a.samples) {
    kinds.add(s.what);
    const bg = effectiveBackground(s.bg, canvas);
    const fg = over(parseColour(s.fg), bg);
    const ratio = contrast(fg, bg);
    // Body text and headings: 4.5:1 (WCAG AA for normal text, which is more than headings need);
    // the decorative mark (aria-hidden) too.
    const min = 4.5;
    expect(
      ratio,
      `${label} (${scheme}): ${s.what} "${s.text}" ${s.fg} on ${JSON.stringify(bg)} has contrast ${ratio.toFixed(2)}`,
    ).toBeGreaterThanOrEqual(min);
  }
  expect(kinds.has('h1') && kinds.has('p'), `${label}: heading and body text were measured`).toBe(true);
}

async function shoot(page: PwPage, name: string): Promise<string> {
  const file = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
  return file;
}

const SCHEMES: Scheme[] = ['light', 'dark'];

describe('the callback pages, rendered with JavaScript disabled', () => {
  it('the source has no script and declares its language', () => {
    for (const p of [
      pages.success(),
      pages.success('sandbox_alice'),
      pages.cancelled(),
      pages.error('x'),
      pages.error(HOSTILE),
    ]) {
      expect(p.html).toMatch(/^<!doctype html>\n<html lang="en">/i);
      expect(p.html).not.toMatch(/<script/i);
      expect(p.html).not.toMatch(/<[^>]*\son\w+\s*=/i); // no event handler attribute
      expect(p.html.match(/<h1[\s>]/g)).toHaveLength(1);
      expect(p.html).toMatch(/<title>[^<]+<\/title>/);
      expect(p.html).toMatch(/<meta name="viewport"/);
    }
    // The hostile text is there, escaped.
    expect(pages.error(HOSTILE).html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;quoted&#39;',
    );
    expect(pages.success('<b>x</b>').html).toContain('@&lt;b&gt;x&lt;/b&gt;');
    expect(pages.success().status).toBe(200);
    expect(pages.cancelled().status).toBe(200);
    expect(pages.error('x').status).toBe(400);
    expect(pages.error('x', 404).status).toBe(404);
  });

  for (const scheme of SCHEMES) {
    it(`success (${scheme}): says it worked and to close the tab`, async () => {
      const page = await render(pages.success('sandbox_alice'), scheme);
      const a = await audit(page);
      checkPage(a, scheme, 'success');
      expect(a.h1[0]).toMatch(/logged in/i);
      expect(a.text).toContain('@sandbox_alice');
      expect(a.text).toMatch(/close this tab/i);
      expect(a.text).toMatch(/terminal/);
      await shoot(page, `success-${scheme}`);
      // Without a screen name (what the loopback server serves).
      const plain = await render(pages.success(), scheme);
      checkPage(await audit(plain), scheme, 'success()');
      await shoot(plain, `success-plain-${scheme}`);
    });

    it(`cancelled (${scheme}): says nothing was stored and how to try again`, async () => {
      const page = await render(pages.cancelled(), scheme);
      const a = await audit(page);
      checkPage(a, scheme, 'cancelled');
      expect(a.h1[0]).toMatch(/cancelled/i);
      expect(a.text).toMatch(/stored nothing/);
      expect(a.text).toContain('twauth login');
      expect(a.text).toMatch(/close this tab/i);
      await shoot(page, `cancelled-${scheme}`);
    });

    it(`error (${scheme}): shows the reason and what to do next`, async () => {
      const page = await render(
        pages.error('This callback belongs to another login attempt, so it was refused.'),
        scheme,
      );
      const a = await audit(page);
      checkPage(a, scheme, 'error');
      expect(a.text).toContain('This callback belongs to another login attempt, so it was refused.');
      expect(a.text).toContain('twauth login');
      expect(a.text).toMatch(/terminal/);
      await shoot(page, `error-${scheme}`);
    });

    it(`error with hostile text (${scheme}): shown as text, never as markup`, async () => {
      const page = await render(pages.error(HOSTILE), scheme);
      const a = await audit(page);
      checkPage(a, scheme, 'hostile');
      expect(a.h1).toEqual(['This login link did not work']);
      expect(a.text).toContain(HOSTILE.trim());
      await shoot(page, `error-hostile-${scheme}`);
    });

    it(`error with a long unbroken word on a phone (${scheme}): no sideways scrolling`, async () => {
      const page = await render(pages.error(LONG), scheme, 320);
      const a = await audit(page);
      checkPage(a, scheme, 'long');
      expect(a.text).toContain('A'.repeat(120));
      await shoot(page, `error-long-phone-${scheme}`);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The live pages: a real `twauth login` and its loopback server.

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The authorize URL twauth login printed on stderr. */
function authorizeUrl(stderr: string): string {
  const m = /^(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)$/m.exec(stderr);
  if (!m) throw new Error(`no authorize URL in:\n${stderr}`);
  return m[1]!;
}

describe('the live pages of a real login', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ keychain: 'file' });
  });
  afterAll(() => sb?.stop());

  it('browser-user.mjs as BROWSER: authorizes on the consent page and lands on the success page', async () => {
    const dir = tempConfigDir('twauth-pages-');
    const log = join(dir, 'browser.jsonl');
    const shots = join(dir, 'shots');
    const browserCmd = `${process.execPath} ${BROWSER_USER} --username sandbox_bob --screenshot-dir ${shots} --log ${log}`;
    const login = sb.spawn(['login', '--port', '0'], { env: { BROWSER: browserCmd } });
    const { code } = await login.exit;
    expect(code, login.stderr()).toBe(0);
    expect(login.stderr()).toContain('Logged in as @sandbox_bob');
    // browser-user is detached from twauth: wait for its log line.
    for (let i = 0; i < 200 && !existsSync(log); i++) await new Promise((r) => setTimeout(r, 100));
    const entry = JSON.parse(readFileSync(log, 'utf8').trim().split('\n').pop()!) as {
      finalUrl: string;
      status: number;
      title: string;
      h1: string;
      text: string;
      error?: string;
    };
    expect(entry.error).toBeUndefined();
    expect(entry.finalUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?twauth_state=[A-Za-z0-9_-]{24}&oauth_token=/);
    expect(entry.status).toBe(200);
    // The live page is pages.success(): same title, heading and next step.
    const expected = pages.success().html;
    expect(entry.h1).toBe(/<h1>([^<]+)<\/h1>/.exec(expected)![1]);
    expect(expected).toContain(`<title>${entry.title}</title>`);
    expect(entry.text).toMatch(/close this tab/i);
    const after = readdirSync(shots).find((f) => f.endsWith('after-authorize.png'));
    expect(after, `screenshots: ${readdirSync(shots).join(', ')}`).toBeDefined();
    copyFileSync(join(shots, after!), join(SHOTS, 'live-success-browser-user.png'));
    const consent = readdirSync(shots).find((f) => f.endsWith('loaded.png'));
    if (consent) copyFileSync(join(shots, consent), join(SHOTS, 'live-consent-browser-user.png'));
  }, 90_000);

  it('Cancel on the consent page (JS disabled): the live cancelled page; login exits 3', async () => {
    const login = sb.spawn(['login', '--port', '0', '--no-browser']);
    const url = authorizeUrl(await login.waitForStderr(/oauth\/authorize\?\S+\n/));
    const page = await noJsPage('dark');
    await page.goto(url);
    await Promise.all([
      page.waitForURL(/\/callback\?/),
      page.getByRole('button', { name: 'Cancel', exact: true }).click(),
    ]);
    const a = await audit(page);
    checkPage(a, 'dark', 'live cancelled');
    expect(a.h1).toEqual(['Login cancelled']);
    expect(a.text).toContain('twauth login');
    await shoot(page, 'live-cancelled-dark');
    const { code } = await login.exit;
    expect(code).toBe(3);
    expect(login.stderr()).toMatch(/cancel/i);
  });

  it('a forged callback while login waits: the live error page, no-store and no-referrer; the login goes on', async () => {
    const port = await freePort();
    const login = sb.spawn(['login', '--port', String(port), '--no-browser']);
    try {
      const url = authorizeUrl(await login.waitForStderr(/oauth\/authorize\?\S+\n/));
      const page = await noJsPage('light');
      const forged = `http://127.0.0.1:${port}/callback?oauth_token=forged&oauth_verifier=${encodeURIComponent('<b>x</b>')}`;
      const response = await page.goto(forged);
      expect(response?.status()).toBe(400);
      const headers = response!.headers();
      expect(headers['cache-control']).toBe('no-store');
      expect(headers['referrer-policy']).toBe('no-referrer');
      expect(headers['content-security-policy']).toMatch(/default-src 'none'/);
      const a = await audit(page);
      checkPage(a, 'light', 'live error');
      expect(a.text).toContain('belongs to another login attempt');
      expect(a.text).toContain('twauth login');
      await shoot(page, 'live-error-light');
      // The real login still completes on the same page after that.
      await page.goto(url);
      await page.getByLabel('Account').selectOption('sandbox_carol');
      await Promise.all([
        page.waitForURL(/\/callback\?/),
        page.getByRole('button', { name: 'Authorize app', exact: true }).click(),
      ]);
      const ok = await audit(page);
      checkPage(ok, 'light', 'live success');
      expect(ok.text).toMatch(/close this tab/i);
      await shoot(page, 'live-success-light');
      const { code } = await login.exit;
      expect(code, login.stderr()).toBe(0);
      expect(login.stderr()).toContain('Logged in as @sandbox_carol');
    } finally {
      login.kill('SIGINT');
    }
  });
});
