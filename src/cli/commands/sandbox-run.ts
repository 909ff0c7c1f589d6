import type { Context } from '../context.js';
import { shellQuote } from '../shell-quote.js';
import { UsageError } from '../usage-error.js';
import { defineCommand, type Values } from '../command-spec.js';

export const spec = defineCommand({
  name: 'sandbox run',
  description: 'run the emulator in the foreground and print the environment to use it',
  isDefault: true,
  args: {},
  options: {
    port: { flags: '--port <n>', type: 'string', default: '0', description: 'port on 127.0.0.1 (0 = any free port)' },
    rateLimits: { flags: '--no-rate-limits', type: 'negated', description: 'never answer 429 for rate limits (for benchmarks and load tests)' },
    mediaProcessingMs: { flags: '--media-processing-ms <ms>', type: 'string', description: 'how long video and GIF processing takes (default 3000; 0: done at FINALIZE)' },
    failMediaProcessing: { flags: '--fail-media-processing <n>', type: 'string', description: 'the next N uploads that go through processing fail' },
    maxVideoMb: { flags: '--max-video-mb <mb>', type: 'string', description: "the sandbox account's video size limit (default 512)" },
    creditsDepleted: { flags: '--credits-depleted', type: 'boolean', description: "answer v2 requests 402 CreditsDepleted (the app's credits used up)" },
    usageCapped: { flags: '--usage-capped <period>', type: 'choice', choices: ['Monthly', 'Daily'], description: 'answer v2 requests 429 UsageCapExceeded for this period' },
    notEnrolled: { flags: '--not-enrolled', type: 'boolean', description: 'answer v2 requests 403 client-forbidden (client-not-enrolled)' },
    replyRestricted: { flags: '--reply-restricted', type: 'boolean', description: "refuse replies to posts that do not mention the replier (X's 2026 rule)" },
  },
  help:
    'The switches make the emulator answer as X does in 2026; they can also be\n' +
    'changed while it runs: POST /_emulator/account with a JSON object such as\n' +
    '{"creditsDepleted": true} (keys: creditsDepleted, usageCapped, usageCapPeriod,\n' +
    'notEnrolled, replyRestricted).',
  examples: ['twauth sandbox', 'twauth sandbox run --port 8080', 'twauth sandbox --no-rate-limits', 'twauth sandbox --fail-media-processing 1', 'twauth sandbox --credits-depleted'],
  json: '{"api_base", "consumer_key", "consumer_secret"} (one line, once listening)',
});

function wholeNumber(raw: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new UsageError(`${flag} expects a whole number from ${min} to ${max} (got "${raw}")`);
  return Number(raw);
}

/** Runs the X emulator in the foreground until Ctrl-C / SIGTERM. */
export async function run(ctx: Context, opts: Values<typeof spec>): Promise<void> {
  const port = Number(opts.port);
  if (!/^\d+$/.test(opts.port) || port > 65535) throw new UsageError(`--port expects 0-65535 (got "${opts.port}")`);
  const media = {
    processingMs: wholeNumber(opts.mediaProcessingMs, '--media-processing-ms', 0, 600_000),
    failProcessing: wholeNumber(opts.failMediaProcessing, '--fail-media-processing', 0, 1_000_000),
    maxVideoMb: wholeNumber(opts.maxVideoMb, '--max-video-mb', 1, 16_384),
  };
  const { startEmulator, SANDBOX_APP, SANDBOX_USERS } = await import('../../emulator/index.js');
  const account = {
    creditsDepleted: opts.creditsDepleted,
    notEnrolled: opts.notEnrolled,
    replyRestricted: opts.replyRestricted,
    ...(opts.usageCapped ? { usageCapped: true, usageCapPeriod: opts.usageCapped } : {}),
  };
  const emulator = await startEmulator({ port, rateLimits: opts.rateLimits, media, account });
  // Until Ctrl-C, kill, or the terminal closing (SIGHUP): then close the listener cleanly. Heard
  // from before the address is printed, so that whoever reads it may stop the sandbox at once.
  const stopped = new Promise<void>((resolve) => {
    const stop = ctx.io.onSignal(['SIGINT', 'SIGTERM', 'SIGHUP'], () => {
      stop();
      resolve();
    });
  });
  // stdout: exactly what to eval; everything else on stderr.
  const vars = { api_base: emulator.url, consumer_key: SANDBOX_APP.consumerKey, consumer_secret: SANDBOX_APP.consumerSecret };
  if (ctx.settings.json) ctx.io.out(JSON.stringify(vars));
  else ctx.io.out(
    [
      `export TWAUTH_API_BASE=${shellQuote(vars.api_base)}`,
      `export TWAUTH_CONSUMER_KEY=${shellQuote(vars.consumer_key)}`,
      `export TWAUTH_CONSUMER_SECRET=${shellQuote(vars.consumer_secret)}`,
    ].join('\n'),
  );
  ctx.io.err(`twauth sandbox: an X emulator is listening on ${emulator.url} (127.0.0.1 only). Ctrl-C stops it.`);
  ctx.io.err(`  users: ${SANDBOX_USERS.map((u) => `@${u.username}`).join(', ')}; app callback: ${SANDBOX_APP.callbacks.join(', ')}`);
  ctx.io.err(`  try: eval "$(the lines above)"; BROWSER="twauth sandbox approve" twauth login --port 0; twauth whoami`);
  await stopped;
  await emulator.close();
  ctx.io.err('twauth sandbox: stopped');
}
