import { escapeHtml } from './html.js';

export type PageKind = 'success' | 'cancelled' | 'error';

export interface Page {
  readonly status: number;
  readonly html: string;
}

const STYLE = `
  :root { color-scheme: light dark; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f5f7f8; color: #0f1419;
         font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { box-sizing: border-box; max-width: 34rem; margin: 1.5rem; padding: 2rem 2.25rem; border-radius: 16px;
         background: linear-gradient(var(--accent), var(--accent)) top / 100% 6px no-repeat #fff;
         box-shadow: 0 1px 3px rgba(0,0,0,.12); overflow-wrap: anywhere; }
  h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 .75rem; }
  p { margin: .5rem 0; }
  code { font: .95em ui-monospace, SFMono-Regular, Menlo, monospace; background: #eef1f3; padding: .1em .35em; border-radius: 4px; }
  .mark { display: grid; place-items: center; width: 2.5rem; height: 2.5rem; margin: .25rem 0 1rem; border-radius: 50%;
          background: var(--accent); color: #fff; font-size: 1.375rem; font-weight: 700; line-height: 1; }
  @media (max-width: 30rem) { main { margin: 1rem; padding: 1.5rem 1.25rem; } }
  @media (prefers-color-scheme: dark) {
    body { background: #15202b; color: #f7f9f9; } main { background-color: #1e2732; box-shadow: none; }
    code { background: #2b3640; }
  }`;

// White on each accent has a contrast of at least 4.5:1 (the round mark); the accent band at the
// top is decoration. Text colours: at least 4.5:1 on the card, light and dark (test/e2e/pages.test.ts).
const ACCENT: Record<PageKind, string> = { success: '#00875a', cancelled: '#6b7785', error: '#c4122f' };
const MARK: Record<PageKind, string> = { success: '✓', cancelled: '✕', error: '!' };

function page(kind: PageKind, status: number, title: string, paragraphs: string[]): Page {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · twauth</title>
<style>${STYLE}</style>
</head>
<body>
<main style="--accent: ${ACCENT[kind]}">
<div class="mark" aria-hidden="true">${MARK[kind]}</div>
<h1>${escapeHtml(title)}</h1>
${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}
</main>
</body>
</html>
`;
  return { status, html };
}

/**
 * The pages the person sees after X redirects back. `text` parameters are escaped here; callers
 * pass plain text only.
 */
export const pages = {
  success(screenName?: string): Page {
    return page('success', 200, 'You are logged in to twauth', [
      screenName
        ? `twauth can now act as <strong>@${escapeHtml(screenName)}</strong>.`
        : 'twauth received the authorization from X.',
      'You can close this tab and return to your terminal.',
    ]);
  },
  cancelled(): Page {
    return page('cancelled', 200, 'Login cancelled', [
      'You chose not to authorize the app, so twauth stored nothing.',
      'To try again, run <code>twauth login</code> in your terminal. You can close this tab.',
    ]);
  },
  error(reason: string, status = 400): Page {
    return page('error', status, 'This login link did not work', [
      escapeHtml(reason),
      'Return to your terminal: if twauth is still waiting, it will tell you what to do; otherwise run <code>twauth login</code> again.',
    ]);
  },
};
