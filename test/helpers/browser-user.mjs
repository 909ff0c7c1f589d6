#!/usr/bin/env node
// A person at a browser, for tests: usable as the BROWSER environment variable.
//
//   node test/helpers/browser-user.mjs [--action authorize|cancel|none] [--username NAME]
//        [--screenshot-dir DIR] [--log FILE] [--timeout-ms N] URL
//
// Opens URL in headless Debian Chromium (fresh profile), and for `authorize` picks NAME in the
// page's <select> or types it into its text field (if --username is given), then clicks the button
// named exactly "Authorize app" (`cancel`: "Cancel"), and waits for the navigation that follows
// (to twauth's loopback callback) to settle. `none` only loads the page. Writes a screenshot per
// page to DIR and appends one JSON line to FILE:
//   {finalUrl, status, title, h1, text, startUrl, action[, error]}
// Each option may also come from the environment (BROWSER_USER_ACTION, BROWSER_USER_USERNAME,
// BROWSER_USER_SCREENSHOT_DIR, BROWSER_USER_LOG, BROWSER_USER_TIMEOUT_MS), for programs that
// run $BROWSER as a single path. Exit 0 on success; 1 (message on stderr, and a log line with
// `error`) if a page failed to load or the button was missing; 2 for bad usage.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumEnv } from './chromium-args.mjs';

const BUTTONS = { authorize: 'Authorize app', cancel: 'Cancel' };

function usage(message) {
  process.stderr.write(
    `browser-user: ${message}\nusage: browser-user.mjs [--action authorize|cancel|none] [--username NAME] [--screenshot-dir DIR] [--log FILE] [--timeout-ms N] URL\n`,
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    action: process.env.BROWSER_USER_ACTION || 'authorize',
    username: process.env.BROWSER_USER_USERNAME || undefined,
    screenshotDir: process.env.BROWSER_USER_SCREENSHOT_DIR || undefined,
    log: process.env.BROWSER_USER_LOG || undefined,
    timeoutMs: Number(process.env.BROWSER_USER_TIMEOUT_MS || 30000),
    url: undefined,
  };
  const names = {
    '--action': 'action',
    '--username': 'username',
    '--screenshot-dir': 'screenshotDir',
    '--log': 'log',
    '--timeout-ms': 'timeoutMs',
  };
  if (argv.length === 0) usage('no URL');
  const rest = argv.slice(0, -1);
  opts.url = argv[argv.length - 1];
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].split(/=(.*)/s, 2);
    const key = names[flag];
    if (!key) usage(`unknown option ${rest[i]}`);
    const value = inline ?? rest[++i];
    if (value === undefined) usage(`${flag} needs a value`);
    opts[key] = key === 'timeoutMs' ? Number(value) : value;
  }
  if (!['authorize', 'cancel', 'none'].includes(opts.action)) usage(`unknown action ${opts.action}`);
  if (!/^https?:\/\//.test(opts.url)) usage(`not an http(s) URL: ${opts.url}`);
  if (!(opts.timeoutMs > 0)) usage('bad --timeout-ms');
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
let shots = 0;
let browser;
let page;
let lastStatus = null;
let navError = null;

async function screenshot(label) {
  if (!opts.screenshotDir || !page) return;
  mkdirSync(opts.screenshotDir, { recursive: true });
  shots += 1;
  const file = join(opts.screenshotDir, `${String(shots).padStart(2, '0')}-${label}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch(() => {});
}

async function describePage() {
  const title = await page.title().catch(() => '');
  const h1 = await page
    .locator('h1')
    .first()
    .innerText({ timeout: 1000 })
    .then(
      (t) => t.trim(),
      () => null,
    );
  const text = await page
    .locator('body')
    .innerText({ timeout: 2000 })
    .then(
      (t) => t.trim().slice(0, 2000),
      () => '',
    );
  return { finalUrl: page.url(), status: lastStatus, title, h1, text };
}

function log(entry) {
  if (opts.log) appendFileSync(opts.log, JSON.stringify({ ...entry, startUrl: opts.url, action: opts.action }) + '\n');
}

async function chooseUser(name) {
  const select = page.locator('select');
  if ((await select.count()) > 0) {
    await select.first().selectOption(name);
    return;
  }
  const field = page.locator('input[type="text"], input:not([type]), input[type="email"]');
  if ((await field.count()) > 0) {
    await field.first().fill(name);
    return;
  }
  throw new Error(`no <select> or text field to enter username ${name}`);
}

async function main() {
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    env: chromiumEnv(process.env),
    timeout: opts.timeoutMs,
  });
  const context = await browser.newContext();
  page = await context.newPage();
  page.setDefaultTimeout(opts.timeoutMs);
  const main = () => page.mainFrame();
  page.on('response', (r) => {
    if (r.request().isNavigationRequest() && r.frame() === main() && (r.status() < 300 || r.status() >= 400)) {
      lastStatus = r.status();
    }
  });
  page.on('requestfailed', (r) => {
    if (r.isNavigationRequest() && r.frame() === main()) navError = `${r.url()}: ${r.failure()?.errorText ?? 'failed'}`;
  });

  await page.goto(opts.url, { waitUntil: 'load' });
  await screenshot('loaded');
  if (opts.action !== 'none') {
    if (opts.action === 'authorize' && opts.username) await chooseUser(opts.username);
    const button = page.getByRole('button', { name: BUTTONS[opts.action], exact: true });
    if ((await button.count()) === 0) {
      await button.waitFor({ state: 'visible', timeout: 5000 }).catch(() => {
        throw new Error(`no button named exactly "${BUTTONS[opts.action]}" on ${page.url()}`);
      });
    }
    const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === main() });
    await button.first().click();
    await navigated;
    await page.waitForLoadState('load');
    // Let a redirect or refresh chain finish, without waiting for ever on a chatty page.
    await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => {});
    await screenshot('after-' + opts.action);
  }
  const result = await describePage();
  if (navError) throw Object.assign(new Error(`navigation failed: ${navError}`), { result });
  log(result);
}

const watchdog = setTimeout(() => {
  process.stderr.write(`browser-user: gave up after ${opts.timeoutMs + 10000} ms\n`);
  process.exit(1);
}, opts.timeoutMs + 10000);

try {
  await main();
  process.exitCode = 0;
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`browser-user: ${message}\n`);
  await screenshot('error');
  const result = err?.result ?? (page ? await describePage().catch(() => ({})) : {});
  try {
    log({ finalUrl: null, status: lastStatus, title: '', h1: null, text: '', ...result, error: message });
  } catch {
    // the log is best effort on this path
  }
  process.exitCode = 1;
} finally {
  await browser?.close().catch(() => {});
  clearTimeout(watchdog);
}
