import { escapeHtml, htmlPage } from './html.js';
import type { AccessLevel } from './state.js';
import type { EmulatorUser } from './types.js';

export interface ConsentPageInput {
  appName: string;
  requestToken: string;
  /** Ties the form to this page (X's authenticity_token) so another site cannot submit it. */
  authenticityToken: string;
  access: AccessLevel;
  users: readonly EmulatorUser[];
  /** force_login=true: the person types a username instead of picking a signed-in account. */
  forceLogin: boolean;
  /** screen_name: pre-selects or pre-fills that account. */
  screenName: string | undefined;
  /** Where the answer goes: a callback host, or undefined for oob. */
  callbackHost: string | undefined;
  error?: string;
}

/**
 * The consent page of GET oauth/authorize and oauth/authenticate. Works without JavaScript: one
 * form POSTing to /oauth/authorize, whose two submit buttons are named "Authorize app" and "Cancel".
 */
export function consentPage(input: ConsentPageInput): string {
  const app = escapeHtml(input.appName);
  const wanted = input.screenName?.replace(/^@/, '').toLowerCase();
  const account = input.forceLogin
    ? `<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(input.screenName ?? '')}">
<input type="hidden" name="force_login" value="true">`
    : `<label for="username">Account</label>
<select id="username" name="username">
${input.users
  .map((u) => {
    const selected = u.username.toLowerCase() === wanted ? ' selected' : '';
    return `<option value="${escapeHtml(u.username)}"${selected}>${escapeHtml(u.name)} (@${escapeHtml(u.username)})</option>`;
  })
  .join('\n')}
</select>`;
  const abilities =
    input.access === 'read-write'
      ? '<li>Read posts from your timeline and see who you follow.</li>\n<li>Post and delete posts for you.</li>'
      : '<li>Read posts from your timeline and see who you follow.</li>';
  const destination =
    input.callbackHost === undefined
      ? 'After you authorize, this page shows a PIN to enter in the app.'
      : `After you choose, you will be sent back to ${escapeHtml(input.callbackHost)}.`;
  return htmlPage(
    `Authorize ${input.appName} to access your account?`,
    `<h1>Authorize ${app} to access your account?</h1>
${input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>\n` : ''}<form method="post" action="/oauth/authorize">
<input type="hidden" name="oauth_token" value="${escapeHtml(input.requestToken)}">
<input type="hidden" name="authenticity_token" value="${escapeHtml(input.authenticityToken)}">
${account}
<h2>This application will be able to:</h2>
<ul>
${abilities}
</ul>
<div class="actions">
<button type="submit" name="action" value="authorize">Authorize app</button>
<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
</div>
</form>
<p>${destination}</p>`,
  );
}
