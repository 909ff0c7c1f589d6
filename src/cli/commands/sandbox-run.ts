import { readFileSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../../store/atomic-write.js';
import type { Context } from '../context.js';
import { defineCommand, type Values } from '../command-spec.js';
import { DEFAULT_SANDBOX_PORT } from '../settings.js';
import { shellQuote } from '../shell-quote.js';
import { UsageError } from '../usage-error.js';

export const spec = defineCommand({
  name: 'sandbox run',
  topic: 'try',
  description: 'run the emulator in the foreground and print the environment to use it',
  isDefault: true,
  args: {},
  options: {
    port: {
      flags: '--port <n>',
      type: 'string',
      default: String(DEFAULT_SANDBOX_PORT),
      description: 'port on 127.0.0.1 (0 = any free port)',
    },
    rateLimits: {
      flags: '--no-rate-limits',
      type: 'negated',
      description: 'never answer 429 for rate limits (for benchmarks and load tests)',
    },
    state: {
      flags: '--state <file>',
      type: 'string',
      description: 'keep apps, users, tokens and posts in FILE across restarts (0600)',
    },
    mediaProcessingMs: {
      flags: '--media-processing-ms <ms>',
      type: 'string',
      description: 'how long video and GIF processing takes (default 3000; 0: done at FINALIZE)',
    },
    failMediaProcessing: {
      flags: '--fail-media-processing <n>',
      type: 'string',
      description: 'the next N uploads that go through processing fail',
    },
    maxVideoMb: {
      flags: '--max-video-mb <mb>',
      type: 'string',
      description: "the sandbox account's video size limit (default 512)",
    },
    creditsDepleted: {
      flags: '--credits-depleted',
      type: 'boolean',
      description: "answer v2 requests 402 CreditsDepleted (the app's credits used up)",
    },
    usageCapped: {
      flags: '--usage-capped <period>',
      type: 'choice',
      choices: ['Monthly', 'Daily'],
      description: 'answer v2 requests 429 UsageCapExceeded for this period',
    },
    notEnrolled: {
      flags: '--not-enrolled',
      type: 'boolean',
      description: 'answer v2 requests 403 client-forbidden (client-not-enrolled)',
    },
    replyRestricted: {
      flags: '--reply-restricted',
      type: 'boolean',
      description: "refuse replies to posts that do not mention the replier (X's 2026 rule)",
    },
  },
  help:
    `Without --state, the sandbox forgets its tokens when it stops: accounts\n` +
    `logged in through it stop working after a restart. Its port is fixed\n` +
    `(${DEFAULT_SANDBOX_PORT}) so that TWAUTH_API_BASE stays the same; --port 0 picks any free one.\n\n` +
    'The switches make the emulator answer as X does in 2026; they can also be\n' +
    'changed while it runs: POST /_emulator/account with a JSON object such as\n' +
    '{"creditsDepleted": true} (keys: creditsDepleted, usageCapped, usageCapPeriod,\n' +
    'notEnrolled, replyRestricted).',
  examples: [
    'twauth sandbox',
    'twauth sandbox --state ~/.cache/twauth-sandbox.json',
    'twauth sandbox run --port 0 > sandbox.env &',
    'twauth sandbox --no-rate-limits',
    'twauth sandbox --fail-media-processing 1',
    'twauth sandbox --credits-depleted',
  ],
  json: '{"api_base", "consumer_key", "consumer_secret"} (one line, once listening)',
});

type SandboxOptions = Values<typeof spec>;

/** How often a changed sandbox state is written to --state FILE (and once more on stop). */
const SAVE_EVERY_MS = 2000;

function wholeNumber(raw: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw new UsageError(`${flag} expects a whole number from ${min} to ${max} (got "${raw}")`);
  return Number(raw);
}

/** Runs the X emulator in the foreground until Ctrl-C / SIGTERM. */
export async function run(ctx: Context, opts: SandboxOptions): Promise<void> {
  const portText = opts.port;
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`--port expects 0-65535 (got "${portText}")`);
  const media = {
    processingMs: wholeNumber(opts.mediaProcessingMs, '--media-processing-ms', 0, 600_000),
    failProcessing: wholeNumber(opts.failMediaProcessing, '--fail-media-processing', 0, 1_000_000),
    maxVideoMb: wholeNumber(opts.maxVideoMb, '--max-video-mb', 1, 16_384),
  };
  const account = {
    creditsDepleted: opts.creditsDepleted,
    notEnrolled: opts.notEnrolled,
    replyRestricted: opts.replyRestricted,
    ...(opts.usageCapped ? { usageCapped: true, usageCapPeriod: opts.usageCapped } : {}),
  };
  const { startEmulator, parseSnapshot, SNAPSHOT_LIMITS, SANDBOX_APP, SANDBOX_USERS } = await import(
    '../../emulator/index.js'
  );
  const restore = opts.state ? readState(opts.state, parseSnapshot, SNAPSHOT_LIMITS.bytes) : undefined;
  let emulator;
  try {
    emulator = await startEmulator({ port, rateLimits: opts.rateLimits, restore, media, account });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new UsageError(
        `127.0.0.1:${port} is busy (another sandbox?): stop it, or pick another port with --port N (0: any free port)`,
      );
    throw err;
  }
  // Until Ctrl-C, kill, or the terminal closing (SIGHUP): then close the listener cleanly. Heard
  // from before the address is printed, so that whoever reads it may stop the sandbox at once.
  const stopped = new Promise<void>((resolve) => {
    const stop = ctx.io.onSignal(['SIGINT', 'SIGTERM', 'SIGHUP'], () => {
      stop();
      resolve();
    });
  });
  // stdout: exactly what to eval; everything else on stderr.
  const vars = {
    api_base: emulator.url,
    consumer_key: SANDBOX_APP.consumerKey,
    consumer_secret: SANDBOX_APP.consumerSecret,
  };
  if (ctx.settings.json) ctx.io.out(JSON.stringify(vars));
  else
    ctx.io.out(
      [
        `export TWAUTH_API_BASE=${shellQuote(vars.api_base)}`,
        `export TWAUTH_CONSUMER_KEY=${shellQuote(vars.consumer_key)}`,
        `export TWAUTH_CONSUMER_SECRET=${shellQuote(vars.consumer_secret)}`,
      ].join('\n'),
    );
  ctx.io.err(`twauth sandbox: an X emulator is listening on ${emulator.url} (127.0.0.1 only). Ctrl-C stops it.`);
  ctx.io.err(
    `  users: ${SANDBOX_USERS.map((u) => `@${u.username}`).join(', ')}; app callback: ${SANDBOX_APP.callbacks.join(', ')}`,
  );
  if (opts.state) {
    const kept = restore
      ? `${restore.tokens.length} token(s) and ${restore.tweets.length} post(s) restored`
      : 'a new state';
    ctx.io.err(`  state: ${opts.state} (${kept}); tokens and posts are kept there across restarts`);
  } else {
    ctx.io.err(
      '  note: its tokens and posts live only while it runs; logins made now stop working after a restart (--state FILE keeps them)',
    );
  }
  ctx.io.err(`  try: eval "$(the lines above)"; BROWSER="twauth sandbox approve" twauth login --port 0; twauth whoami`);

  let saved = opts.state && restore ? JSON.stringify(restore) : '';
  const save = () => {
    if (!opts.state) return;
    const text = JSON.stringify(emulator.snapshot());
    if (text === saved) return;
    if (text.length > SNAPSHOT_LIMITS.bytes) {
      ctx.io.err(
        `twauth sandbox: warning: the state is over ${SNAPSHOT_LIMITS.bytes} bytes; ${opts.state} was not updated`,
      );
      return;
    }
    writeFileAtomic(opts.state, text); // 0600, replaced in one rename
    saved = text;
  };
  const timer = opts.state
    ? setInterval(() => {
        try {
          save();
        } catch (err) {
          ctx.io.err(`twauth sandbox: warning: could not write ${opts.state}: ${(err as Error).message}`);
        }
      }, SAVE_EVERY_MS)
    : undefined;
  await stopped;
  clearInterval(timer);
  await emulator.close();
  save();
  ctx.io.err('twauth sandbox: stopped');
}

function readState<T>(path: string, parse: (text: string) => T, maxBytes: number): T | undefined {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // first run: created on the first change
    throw new UsageError(`--state ${path}: ${(err as Error).message}`);
  }
  if (size > maxBytes) throw new UsageError(`--state ${path} is larger than ${maxBytes} bytes: not a sandbox state`);
  try {
    return parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(
      `--state ${path} is not a usable sandbox state (${(err as Error).message}); move it away to start afresh`,
    );
  }
}
