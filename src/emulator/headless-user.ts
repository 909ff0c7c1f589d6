import { decodeEntities, scrapeForm, type ScrapedForm } from './form-scraper.js';
import { isLoopbackHttp, loopbackRequest } from './loopback-client.js';

export interface HeadlessResult {
  /** The out-of-band PIN, when the app asked for oob and the person approved. */
  pin?: string;
  /** Status of the app's callback (twauth's loopback server) after the redirect. */
  callbackStatus?: number;
  /** Where the consent page redirected: the callback with oauth_token/oauth_verifier or denied. */
  redirectedTo?: string;
}

/**
 * Acts as a person with a browser, over plain HTTP: opens the authorize page, submits its form
 * with "Authorize app" (or "Cancel"), then follows the redirect to the callback like a browser
 * would, or reads the PIN for oob. Used as the BROWSER command of `twauth sandbox approve URL`.
 * Only ever contacts loopback http:// addresses; a non-loopback callback is reported, not opened.
 */
export async function approveInBrowserless(
  authorizeUrl: string,
  opts: { cancel?: boolean; username?: string } = {},
): Promise<HeadlessResult> {
  const pageUrl = new URL(authorizeUrl);
  const page = await loopbackRequest(pageUrl);
  if (page.status !== 200) throw new Error(`the authorize page answered ${page.status}: ${pageMessage(page.body)}`);
  const form = scrapeForm(page.body);
  if (form?.method !== 'post') throw new Error('the authorize page has no form to submit');

  const wanted = opts.cancel ? 'Cancel' : 'Authorize app';
  const button = form.buttons.find((b) => b.label === wanted);
  if (!button) throw new Error(`the authorize page has no "${wanted}" button`);

  const fields: Array<[string, string]> = [...form.hidden];
  const username = chooseUsername(form, opts);
  if (username) fields.push(username);
  if (button.name) fields.push([button.name, button.value]);

  const action = new URL(form.action || pageUrl.href, pageUrl);
  // A browser would post anywhere; this one only posts back to the page's own origin.
  if (action.origin !== pageUrl.origin) throw new Error(`the form posts to another origin (${action.origin})`);
  const answer = await loopbackRequest(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

  if (answer.status >= 300 && answer.status < 400) {
    const location = answer.headers.location;
    if (typeof location !== 'string') throw new Error(`redirect ${answer.status} without a Location`);
    const callback = new URL(location, action);
    const result: HeadlessResult = { redirectedTo: callback.href };
    if (isLoopbackHttp(callback)) result.callbackStatus = (await loopbackRequest(callback)).status;
    return result;
  }
  if (answer.status !== 200)
    throw new Error(`the authorize form answered ${answer.status}: ${pageMessage(answer.body)}`);
  const pin = /<code\b[^>]*\bid="oauth_pin"[^>]*>\s*([^<]*?)\s*<\/code>/i.exec(answer.body)?.[1];
  return pin ? { pin: decodeEntities(pin) } : {};
}

function chooseUsername(
  form: ScrapedForm,
  opts: { cancel?: boolean; username?: string },
): [string, string] | undefined {
  const wanted = opts.username?.replace(/^@/, '');
  if (form.select) {
    const { name, options } = form.select;
    if (wanted !== undefined) {
      const option = options.find((o) => o.value.toLowerCase() === wanted.toLowerCase());
      if (!option)
        throw new Error(
          `no account named "${wanted}" on the authorize page (offered: ${options.map((o) => o.value).join(', ')})`,
        );
      return [name, option.value];
    }
    const option = options.find((o) => o.selected) ?? options[0];
    return option ? [name, option.value] : undefined;
  }
  const input = form.textInputs[0];
  if (!input) return undefined;
  const value = wanted ?? input.value;
  if (value === '' && !opts.cancel) throw new Error('the authorize page asks for a username: pass one');
  return [input.name, value];
}

function pageMessage(html: string): string {
  const alert =
    /<p\b[^>]*role="alert"[^>]*>([\s\S]*?)<\/p>/i.exec(html)?.[1] ?? /<h1\b[^>]*>([\s\S]*?)<\/h1>/i.exec(html)?.[1];
  const text = alert === undefined ? html.slice(0, 200) : alert;
  return decodeEntities(text.replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
}
