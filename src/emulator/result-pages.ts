import { escapeHtml, htmlPage } from './html.js';

/** The out-of-band answer (§2.2 "oob"): X shows the verifier as a PIN the person types into the app. */
export function pinPage(appName: string, pin: string): string {
  return htmlPage(
    `Authorize ${appName}: your PIN`,
    `<h1>You've authorized ${escapeHtml(appName)}</h1>
<p>Next, return to ${escapeHtml(appName)} and enter this PIN to complete the authorization process:</p>
<code id="oauth_pin">${escapeHtml(pin)}</code>`,
  );
}

/** The out-of-band answer when the person pressed Cancel. */
export function deniedPage(appName: string): string {
  return htmlPage(
    'Access denied',
    `<h1>Access denied</h1>
<p>You did not authorize ${escapeHtml(appName)} to use your account. You can close this page.</p>`,
  );
}

export function errorPage(heading: string, message: string): string {
  return htmlPage(heading, `<h1>${escapeHtml(heading)}</h1>\n<p class="error" role="alert">${escapeHtml(message)}</p>`);
}

/** Unknown, expired, denied or already used request token on the consent page. */
export function invalidTokenPage(): string {
  return errorPage(
    'This page is no longer valid',
    'The request token is unknown, expired or already used. Return to the app that sent you here and sign in again.',
  );
}
