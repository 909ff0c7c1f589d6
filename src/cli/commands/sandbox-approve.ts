import type { Context } from '../context.js';
import { CliError } from '../cli-error.js';
import { EXIT } from '../exit-codes.js';
import { defineCommand, type Values } from '../command-spec.js';

export const spec = defineCommand({
  name: 'sandbox approve',
  topic: 'try',
  description: 'act as the person in the browser: press "Authorize app" on the sandbox\'s page (use as BROWSER)',
  args: {
    url: { required: true, description: 'the authorize URL twauth login printed' },
  },
  options: {
    cancel: { flags: '--cancel', type: 'boolean', description: 'press "Cancel" instead' },
    user: { flags: '--user <name>', type: 'string', description: 'the sandbox user to log in as' },
  },
  examples: ['BROWSER="twauth sandbox approve" twauth login', 'twauth sandbox approve --cancel "$URL"'],
  json: '{"pressed": "authorize"|"cancel", "pin": string|null, "callback_status": number|null}',
});

/**
 * Plays the person at the browser for the sandbox: loads the authorize page, presses
 * "Authorize app" (or "Cancel"), and follows the redirect to twauth's loopback callback. Meant
 * as BROWSER="twauth sandbox approve", so a whole login runs without a real browser.
 */
export async function run(ctx: Context, opts: Values<typeof spec>): Promise<void> {
  const { approveInBrowserless } = await import('../../emulator/index.js');
  const result = await approveInBrowserless(opts.url, { cancel: opts.cancel, username: opts.user });
  const ok = Boolean(result.pin) || (result.callbackStatus !== undefined && result.callbackStatus < 400);
  if (ctx.settings.json) {
    const pressed = opts.cancel ? 'cancel' : 'authorize';
    ctx.io.out(JSON.stringify({ pressed, pin: result.pin ?? null, callback_status: result.callbackStatus ?? null }));
  }
  if (result.pin) {
    if (!ctx.settings.json) ctx.io.out(result.pin);
    ctx.io.err(`sandbox: authorized; the PIN is ${result.pin}`);
    return;
  }
  const said = `sandbox: ${opts.cancel ? 'cancelled' : 'authorized'}; the callback answered HTTP ${result.callbackStatus ?? '?'}`;
  if (!ok) throw new CliError(said, EXIT.unexpected);
  ctx.io.err(said);
}
