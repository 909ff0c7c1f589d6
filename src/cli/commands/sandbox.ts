import type { Context } from '../context.js';
import { shellQuote } from '../shell-quote.js';
import { UsageError } from '../usage-error.js';

/** Runs the X emulator in the foreground until Ctrl-C / SIGTERM. */
interface SandboxOptions {
  port: string;
  rateLimits: boolean;
  mediaProcessingMs?: string;
  failMediaProcessing?: string;
  maxVideoMb?: string;
}

function wholeNumber(raw: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new UsageError(`${flag} expects a whole number from ${min} to ${max} (got "${raw}")`);
  return Number(raw);
}

export async function run(ctx: Context, _args: unknown[], opts: SandboxOptions): Promise<void> {
  const port = Number(opts.port);
  if (!/^\d+$/.test(opts.port) || port > 65535) throw new UsageError(`--port expects 0-65535 (got "${opts.port}")`);
  const media = {
    processingMs: wholeNumber(opts.mediaProcessingMs, '--media-processing-ms', 0, 600_000),
    failProcessing: wholeNumber(opts.failMediaProcessing, '--fail-media-processing', 0, 1_000_000),
    maxVideoMb: wholeNumber(opts.maxVideoMb, '--max-video-mb', 1, 16_384),
  };
  const { startEmulator, SANDBOX_APP, SANDBOX_USERS } = await import('../../emulator/index.js');
  const emulator = await startEmulator({ port, rateLimits: opts.rateLimits, media });
  // stdout: exactly what to eval; everything else on stderr.
  ctx.io.out(
    [
      `export TWAUTH_API_BASE=${shellQuote(emulator.url)}`,
      `export TWAUTH_CONSUMER_KEY=${shellQuote(SANDBOX_APP.consumerKey)}`,
      `export TWAUTH_CONSUMER_SECRET=${shellQuote(SANDBOX_APP.consumerSecret)}`,
    ].join('\n'),
  );
  ctx.io.err(`twauth sandbox: an X emulator is listening on ${emulator.url} (127.0.0.1 only). Ctrl-C stops it.`);
  ctx.io.err(`  users: ${SANDBOX_USERS.map((u) => `@${u.username}`).join(', ')}; app callback: ${SANDBOX_APP.callbacks.join(', ')}`);
  ctx.io.err(`  try: eval "$(the lines above)"; BROWSER="twauth sandbox approve" twauth login --port 0; twauth whoami`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.close();
  ctx.io.err('twauth sandbox: stopped');
}
