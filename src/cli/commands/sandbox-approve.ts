import type { Context } from '../context.js';
import { EXIT } from '../exit-codes.js';

/**
 * Plays the person at the browser for the sandbox: loads the authorize page, presses
 * "Authorize app" (or "Cancel"), and follows the redirect to twauth's loopback callback. Meant
 * as BROWSER="twauth sandbox approve", so a whole login runs without a real browser.
 */
export async function run(ctx: Context, [url]: unknown[], opts: { cancel?: boolean; user?: string }): Promise<number> {
  const { approveInBrowserless } = await import('../../emulator/index.js');
  const result = await approveInBrowserless(String(url), { cancel: Boolean(opts.cancel), username: opts.user });
  if (result.pin) {
    ctx.io.out(result.pin);
    ctx.io.err(`sandbox: authorized; the PIN is ${result.pin}`);
    return EXIT.ok;
  }
  ctx.io.err(`sandbox: ${opts.cancel ? 'cancelled' : 'authorized'}; the callback answered HTTP ${result.callbackStatus ?? '?'}`);
  return result.callbackStatus !== undefined && result.callbackStatus < 400 ? EXIT.ok : EXIT.unexpected;
}
