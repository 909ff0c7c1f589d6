/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f7f9f9;color:#0f1419;line-height:1.4}
main{max-width:32rem;margin:3rem auto;padding:2rem;background:#fff;border:1px solid #cfd9de;border-radius:16px}
h1{font-size:1.5rem;margin-top:0}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
select,input[type=text]{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #536471;border-radius:4px}
.actions{display:flex;gap:.75rem;margin-top:1.5rem}
button{font:inherit;font-weight:700;padding:.6rem 1.25rem;border-radius:9999px;border:1px solid #0f1419;cursor:pointer}
button[value=authorize]{background:#0f1419;color:#fff}
button[value=cancel]{background:#fff;color:#0f1419}
button:focus-visible,select:focus-visible,input:focus-visible{outline:3px solid #1d9bf0;outline-offset:2px}
.error{color:#b00020;font-weight:600}
code#oauth_pin{display:block;font-size:2.5rem;letter-spacing:.2em;margin:1rem 0}
.note{color:#536471;font-size:.9rem}
`;

/** A complete, script-free page; every dynamic value in `body` must already be escaped. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
<p class="note">This is the twauth local X emulator. No real X account is involved.</p>
</main>
</body>
</html>
`;
}
