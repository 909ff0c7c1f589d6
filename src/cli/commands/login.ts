import { startCallbackServer } from '../../flows/callback-server.js';
import { login, type LoginResult } from '../../flows/login.js';
import { LoginNotStoredError } from '../../flows/login-errors.js';
import { oauthEndpoints } from '../../flows/oauth-endpoints.js';
import { accessToken, type ConsumerCredentials } from '../../oauth1/index.js';
import { normalizeApiBase, StoreError } from '../../store/index.js';
import { openBrowser } from '../browser.js';
import type { Context } from '../context.js';
import type { Io, SignalName } from '../io.js';
import { fetchMe } from '../fetch-me.js';
import { importCredentials } from './login-import.js';
import { parseTokenInput } from '../parse-token-input.js';
import { publicAccount } from '../public-account.js';
import { prompts } from '../prompts.js';
import { readStdin } from '../read-stdin.js';
import { checkApiBase, DEFAULT_API_BASE, DEFAULT_CALLBACK_PORT, DEFAULT_LOGIN_TIMEOUT_S } from '../settings.js';
import { startSpinner } from '../spinner.js';
import { UsageError } from '../usage-error.js';
import { defineCommand, type Values } from '../command-spec.js';

/**
 * Shown before the first prompt for an app key: where it comes from (X developer portal →
 * Projects & Apps → the app → Keys and tokens), the callback to register, and the way to try
 * twauth without an X account. Also the gist of `twauth help login`.
 */
export const FIRST_LOGIN_HELP = [
  "Your X app's key and secret: developer.x.com → the app → Keys and tokens.",
  `Its callback URL (User authentication settings): http://127.0.0.1:${DEFAULT_CALLBACK_PORT}/callback`,
  'No X developer account? "twauth sandbox" tries everything locally, without X.',
];

export const spec = defineCommand({
  name: 'login',
  topic: 'accounts',
  description: 'log in with three-legged OAuth 1.0a (browser + loopback callback, PIN fallback) and store the account',
  args: {},
  options: {
    pin: { flags: '--pin', type: 'boolean', description: 'use the PIN (oob) flow: paste the PIN X shows' },
    browser: { flags: '--no-browser', type: 'negated', description: 'do not open a browser; only print the URL' },
    port: {
      flags: '--port <n>',
      type: 'string',
      default: String(DEFAULT_CALLBACK_PORT),
      description: 'loopback callback port (0 = any free port)',
    },
    callbackUrl: {
      flags: '--callback-url <url>',
      type: 'string',
      description: 'a registered callback URL of another shape (must point at this machine to be received)',
    },
    access: {
      flags: '--access <level>',
      type: 'choice',
      choices: ['read', 'write'],
      description: 'ask X for this access level',
    },
    forceLogin: {
      flags: '--force-login',
      type: 'boolean',
      description: 'make X ask for the username and password again',
    },
    screenName: { flags: '--screen-name <name>', type: 'string', description: 'pre-fill the username on X' },
    consumerKey: {
      flags: '--consumer-key <key>',
      type: 'string',
      description: "the app's consumer key (prefer TWAUTH_CONSUMER_KEY: flags end up in shell history)",
    },
    consumerSecret: {
      flags: '--consumer-secret <secret>',
      type: 'string',
      description: "the app's consumer secret (prefer TWAUTH_CONSUMER_SECRET or the prompt)",
    },
    withToken: {
      flags: '--with-token',
      type: 'boolean',
      description: 'read credentials (twauth token --json or --env output) from stdin, check and store them',
    },
    fromTwurlrc: {
      flags: '--from-twurlrc [path]',
      type: 'string',
      description: "import twurl's profiles (default ~/.twurlrc), each checked with X",
    },
    fromXurl: {
      flags: '--from-xurl [path]',
      type: 'string',
      description: "import xurl's OAuth 1.0a credentials (default ~/.xurl), checked with X",
    },
  },
  help:
    `${FIRST_LOGIN_HELP.join('\n')}\n\n` +
    `The authorize URL is always printed on stderr. A PIN that is mistyped can be\n` +
    `typed again (3 tries). Ctrl-C stops (exit 130); Ctrl-D at a prompt gives no\n` +
    `answer (exit 3). Nothing is stored unless the login completes.\n\n` +
    `--from-twurlrc and --from-xurl store what twurl or xurl kept (in plain text),\n` +
    `after checking each with GET /2/users/me; then, on a terminal, they offer to\n` +
    `remove it from that file.`,
  examples: [
    'twauth login',
    'twauth login --pin',
    'twauth token --env | ssh host twauth login --with-token',
    'twauth login --from-twurlrc',
  ],
  json: '{"username", "id", "app", "api_base", "store", "default"} of the stored account',
});

type LoginOptions = Values<typeof spec>;

async function consumerCredentials(ctx: Context, opts: LoginOptions): Promise<ConsumerCredentials> {
  if (opts.consumerSecret)
    ctx.io.err('warning: --consumer-secret ends up in your shell history; prefer TWAUTH_CONSUMER_SECRET or the prompt');
  const env = ctx.envConsumer();
  let key = opts.consumerKey ?? env?.key;
  let secret = opts.consumerSecret ?? env?.secret;
  if (key && secret) return { key, secret };
  if (!ctx.io.stdinIsTTY) {
    throw new UsageError(
      "the app's consumer key and secret are needed: set TWAUTH_CONSUMER_KEY and TWAUTH_CONSUMER_SECRET (from the app's Keys and tokens page)",
    );
  }
  if (!key) for (const line of FIRST_LOGIN_HELP) ctx.io.err(line);
  const { askText, askSecret } = prompts(ctx.io);
  key ??= (
    await askText("The app's consumer key (API key):", (v) => (v.trim() ? true : 'required'), undefined, 'consumer key')
  ).trim();
  secret ??= (await askSecret("The app's consumer secret (API key secret):", 'consumer secret')).trim();
  return { key, secret };
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError(`--port expects 0-65535 (got "${value}")`);
  return n;
}

const INTERRUPTS: readonly SignalName[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Ctrl-C, SIGTERM and SIGHUP (the terminal closed) abort the login at any step until the account
 * is stored: the wait (the flow closes its server), the token exchange and the store step (the
 * keychain helper is killed); a token X already issued is then revoked (keepOrRevoke).
 */
function interruptSignal(io: Io): { signal: AbortSignal; dispose: () => void } {
  const ac = new AbortController();
  // Each signal once (through the Io): before X issues a token, a second Ctrl-C ends the process
  // as it would without twauth (keepOrRevoke holds later ones once there is a token to take back).
  const stops = INTERRUPTS.map((name) => {
    const stop = io.onSignal([name], () => {
      stop();
      ac.abort(name);
    });
    return stop;
  });
  return { signal: ac.signal, dispose: () => stops.forEach((stop) => stop()) };
}

/** The start of an access token ("<user id>-" and four characters): enough to recognise it, not to use it. */
function tokenStart(token: string): string {
  const dash = token.indexOf('-');
  return token.slice(0, Math.min(token.length, (dash >= 0 ? dash + 1 : 0) + 4));
}

/**
 * Until the account is stored, every way out revokes the token X just issued (RFC 5849 gives no
 * other way to take it back; X's POST /1.1/oauth/invalidate_token does) and removes what the store
 * step may have written: a token neither stored nor revoked would stay live with nobody knowing.
 */
async function keepOrRevoke(
  ctx: Context,
  endpoints: ReturnType<typeof oauthEndpoints>,
  consumer: ConsumerCredentials,
  apiBase: string,
  result: LoginResult,
  access: 'read' | 'write' | undefined,
  signal: AbortSignal,
): Promise<void> {
  // From here X has issued a token: a further Ctrl-C must not end the process before it is taken
  // back (the default action of a signal nobody listens to would leave it live). The first signal
  // aborts the store step (interruptSignal); later ones are noted and wait for the revoke, which
  // the request timeout bounds.
  let noted = false;
  const hold = ctx.io.onSignal(INTERRUPTS, (name) => {
    if (!signal.aborted || noted) return;
    noted = true;
    ctx.io.err(`twauth: ${name}: taking back the token X issued first, a moment…`);
  });
  try {
    signal.throwIfAborted();
    await store(ctx, consumer, apiBase, result, access, signal);
  } catch (err) {
    const interrupted = signal.aborted ? String(signal.reason) : undefined;
    // Revoke first: it matters most, and the clean-up may wait on a slow keychain.
    const revoked = await endpoints.invalidate(result.token).then(
      () => true,
      () => false,
    );
    const leftIn = await ctx
      .accounts()
      .forgetUnsaved({ userId: result.userId, consumerKey: consumer.key, apiBase: normalizeApiBase(apiBase) })
      .catch(() => [`${ctx.settings.configDir}/credentials.json`]);
    throw new LoginNotStoredError(interrupted, err, revoked, tokenStart(result.token.token), leftIn);
  } finally {
    hold();
  }
}

export async function run(ctx: Context, opts: LoginOptions): Promise<number | void> {
  if (opts.withToken) return withToken(ctx);
  if (opts.fromTwurlrc !== undefined && opts.fromXurl !== undefined)
    throw new UsageError('--from-twurlrc and --from-xurl: one at a time');
  if (opts.fromTwurlrc !== undefined || opts.fromXurl !== undefined) {
    // '' is the flag given without a path: the tool's default file.
    return opts.fromTwurlrc !== undefined
      ? importCredentials(ctx, 'twurl', opts.fromTwurlrc || true)
      : importCredentials(ctx, 'xurl', opts.fromXurl || true);
  }
  const apiBase = ctx.settings.explicitApiBase ?? DEFAULT_API_BASE;
  if (opts.callbackUrl) checkApiBase(opts.callbackUrl, '--callback-url');
  const port = parsePort(opts.port);
  const consumer = await consumerCredentials(ctx, opts);
  await requireForcedKeychain(ctx);
  const timeoutSeconds = ctx.settings.timeoutSeconds ?? DEFAULT_LOGIN_TIMEOUT_S;
  const io = ctx.io;
  const { askText, readLine, terminalLines } = prompts(io);
  const { signal, dispose } = interruptSignal(io);
  const endpoints = oauthEndpoints(ctx.client({ consumer, apiBase }));
  let result: LoginResult;
  try {
    result = await login(
      {
        endpoints,
        apiBase,
        listen: startCallbackServer,
        openBrowser: (url) => openBrowser(url, ctx.env),
        readPin: (s) =>
          io.stdinIsTTY
            ? askText(
                'PIN shown by X:',
                (v) =>
                  /^\s*\d[\d\s-]*$/.test(v) ? true : 'a PIN is digits only: the number X shows after you authorize',
                s,
                'PIN',
              )
            : readLine(s),
        retryPin: io.stdinIsTTY,
        readPasted: io.stdinIsTTY ? terminalLines : undefined,
        notify: (line) => io.err(line),
        showUrl: (url) => {
          io.err('Open this URL to authorize twauth:');
          io.err(url);
          if (io.stdinIsTTY && !opts.pin)
            io.err('(Waiting for the browser. On another machine? Paste the URL it ends up on, or the PIN, here.)');
        },
        waiting: io.fancy
          ? (deadline) => startSpinner(io.errRaw, 'Waiting for authorization…', deadline, Date.now, io.terminal)
          : undefined,
        signal,
        now: Date.now,
      },
      {
        pin: Boolean(opts.pin),
        port,
        callbackUrl: opts.callbackUrl,
        accessType: opts.access,
        forceLogin: opts.forceLogin,
        screenName: opts.screenName,
        browser: opts.browser,
        timeoutSeconds,
      },
    );
    // The handlers stay until the account is stored: a signal during the exchange or the store
    // step revokes the token instead of leaving it live.
    await keepOrRevoke(ctx, endpoints, consumer, apiBase, result, opts.access, signal);
  } finally {
    dispose();
  }
}

async function store(
  ctx: Context,
  consumer: ConsumerCredentials,
  apiBase: string,
  r: { userId: string; screenName: string; token: { token: string; secret: string } },
  access?: 'read' | 'write',
  signal?: AbortSignal,
): Promise<void> {
  const accounts = ctx.accounts();
  const before = accounts.list().length;
  const { account, isNew } = await accounts.save(
    {
      userId: r.userId,
      screenName: r.screenName,
      consumerKey: consumer.key,
      apiBase,
      access: access === 'read' ? 'read' : undefined,
    },
    { consumerSecret: consumer.secret, accessToken: r.token.token, accessTokenSecret: r.token.secret },
    signal,
  );
  const note =
    isNew && before > 0
      ? '; it is now the default account (twauth switch changes that)'
      : isNew
        ? ''
        : ' (tokens replaced)';
  ctx.io.err(`Logged in as @${account.screenName} (id ${account.userId})${note}`);
  // A login makes the account the default (Accounts.save).
  if (ctx.settings.json) ctx.io.out(JSON.stringify(publicAccount(account, true)));
}

/**
 * TWAUTH_STORE=keychain allows no file fallback: check the keychain answers before asking X for
 * anything, rather than discarding a freshly issued token at the end.
 */
async function requireForcedKeychain(ctx: Context): Promise<void> {
  if (ctx.settings.storePreference !== 'keychain') return;
  try {
    await ctx.accounts().storeFor('keychain').get('twauth-login-probe');
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    throw new StoreError(
      `${err.message}; TWAUTH_STORE=keychain allows no file fallback, so login did not start (unset it to allow the 0600 file)`,
      'keychain',
      err.reason,
    );
  }
}

/** Provisioning without a browser: credentials from stdin, checked with GET /2/users/me. */
async function withToken(ctx: Context): Promise<void> {
  if (ctx.io.stdinIsTTY)
    throw new UsageError(
      '--with-token reads credentials from standard input: pipe in the output of twauth token --json or --env',
    );
  const input = parseTokenInput(await readStdin(ctx.io, 64 * 1024, 'credentials are a few hundred bytes'));
  const apiBase =
    ctx.settings.explicitApiBase ?? (input.apiBase ? checkApiBase(input.apiBase, 'api_base') : DEFAULT_API_BASE);
  const consumer = { key: input.consumerKey, secret: input.consumerSecret };
  const token = accessToken(input.accessToken, input.accessTokenSecret);
  const me = await fetchMe(ctx.client({ consumer, token, apiBase }));
  await store(ctx, consumer, apiBase, { userId: me.id, screenName: me.username, token });
}
