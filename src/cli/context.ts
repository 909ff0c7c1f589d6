import { randomBytes } from 'node:crypto';
import { XClient, type ClientConfig } from '../api/client.js';
import { systemClock } from '../api/clock.js';
import { undiciTransport, type HttpSend } from '../api/http-transport.js';
import { accessToken, type AccessToken, type AnyToken, type ConsumerCredentials } from '../oauth1/index.js';
import {
  Accounts,
  fileStore,
  keychainStore,
  normalizeApiBase,
  type AccountMeta,
  type SecretStore,
} from '../store/index.js';
import { preferBaselineWasm } from './prefer-baseline-wasm.js';
import type { Io } from './io.js';
import { DEFAULT_API_BASE, DEFAULT_REQUEST_TIMEOUT_S, type Settings } from './settings.js';
import { NotLoggedInError, UsageError } from './usage-error.js';
import { countdown, utcTime } from './utc-time.js';
import { VERSION } from './version.js';

export type CredentialSource = 'environment' | 'keychain' | 'file' | 'memory';

/** The credentials a command acts with, and where they came from. */
export interface ActiveCredentials {
  readonly consumer: ConsumerCredentials;
  readonly token: AccessToken;
  readonly apiBase: string;
  readonly source: CredentialSource;
  /** Known for stored accounts; for environment credentials only when TWAUTH_USER_ID is set. */
  readonly userId?: string | undefined;
  readonly screenName?: string | undefined;
  readonly account?: AccountMeta | undefined;
}

/**
 * The services a Context builds on first use, replaceable (unit tests give in-memory stores and
 * a fake network; test/unit/commands/), so that commands are tested without module mocks.
 */
export interface ContextServices {
  /** The OS keychain (default: keytar / the Secret Service, with the keychain timeout). */
  readonly keychain?: SecretStore;
  /** The 0600 credentials file (default: credentials.json in the config directory). */
  readonly file?: SecretStore & { readonly path: string };
  /** How requests reach X (default: undici, honouring HTTPS_PROXY). */
  readonly send?: HttpSend;
}

/** What every command gets: the terminal, resolved settings, and lazily built services. */
export class Context {
  private accountsCache: Accounts | undefined;
  /** Writes started in the background (a learnt clock offset) that must end before exit. */
  private readonly pending: Promise<unknown>[] = [];

  constructor(
    readonly io: Io,
    readonly settings: Settings,
    private readonly services: ContextServices = {},
  ) {}

  get env(): NodeJS.ProcessEnv {
    return this.io.env;
  }

  accounts(): Accounts {
    return (this.accountsCache ??= new Accounts({
      dir: this.settings.configDir,
      keychain: this.services.keychain ?? keychainStore(this.settings.keychainTimeoutMs, this.env),
      file: this.services.file ?? fileStore(this.settings.configDir, (line) => this.io.err(line)),
      prefer: this.settings.storePreference,
      warn: (line) => this.io.err(line),
    }));
  }

  /** Consumer credentials from the environment, if both halves are there. */
  envConsumer(): ConsumerCredentials | undefined {
    const key = this.env.TWAUTH_CONSUMER_KEY;
    const secret = this.env.TWAUTH_CONSUMER_SECRET;
    if (key && secret) return { key, secret };
    if (key || secret) throw new UsageError('set both TWAUTH_CONSUMER_KEY and TWAUTH_CONSUMER_SECRET, or neither');
    return undefined;
  }

  /**
   * Precedence (README "Environment"): --account names a stored account; otherwise a token pair
   * in TWAUTH_ACCESS_TOKEN / TWAUTH_ACCESS_TOKEN_SECRET; otherwise TWAUTH_ACCOUNT, then the
   * default stored account (for the API base given by --api-base / TWAUTH_API_BASE, if any).
   */
  async credentials(): Promise<ActiveCredentials> {
    const s = this.settings;
    const envToken = this.env.TWAUTH_ACCESS_TOKEN;
    const envSecret = this.env.TWAUTH_ACCESS_TOKEN_SECRET;
    if ((envToken || envSecret) && !s.accountFromFlag) {
      if (!envToken || !envSecret)
        throw new UsageError('set both TWAUTH_ACCESS_TOKEN and TWAUTH_ACCESS_TOKEN_SECRET, or neither');
      const consumer = this.envConsumer();
      if (!consumer)
        throw new UsageError(
          'TWAUTH_ACCESS_TOKEN is set: also set TWAUTH_CONSUMER_KEY and TWAUTH_CONSUMER_SECRET (the app it belongs to)',
        );
      return {
        consumer,
        token: accessToken(envToken, envSecret),
        apiBase: s.explicitApiBase ?? DEFAULT_API_BASE,
        source: 'environment',
        userId: this.env.TWAUTH_USER_ID || undefined,
        screenName: this.env.TWAUTH_SCREEN_NAME || undefined,
      };
    }
    const account = this.selectAccount();
    if (!account) throw this.notLoggedIn();
    // A stored account's token goes only to the API it was issued by.
    if (s.explicitApiBase && normalizeApiBase(s.explicitApiBase) !== account.apiBase) {
      throw new UsageError(
        `@${account.screenName}'s stored account belongs to ${account.apiBase}, not ${s.explicitApiBase}; drop --api-base / TWAUTH_API_BASE or pick another account`,
      );
    }
    const secrets = await this.accounts().secrets(account);
    return {
      consumer: { key: account.consumerKey, secret: secrets.consumerSecret },
      token: accessToken(secrets.accessToken, secrets.accessTokenSecret),
      apiBase: account.apiBase,
      source: account.store,
      userId: account.userId,
      screenName: account.screenName,
      account,
    };
  }

  /** The stored account this run is about, or undefined when none is stored. */
  selectAccount(): AccountMeta | undefined {
    const accounts = this.accounts();
    const selector = this.settings.accountSelector;
    // TWAUTH_ACCOUNT is named in the error: a variable set long ago is easily forgotten.
    if (selector)
      return accounts.find(selector, this.settings.accountFrom === 'TWAUTH_ACCOUNT' ? 'TWAUTH_ACCOUNT' : undefined);
    const base = this.settings.explicitApiBase;
    if (!base) return accounts.find();
    const wanted = normalizeApiBase(base);
    const def = accounts.find();
    if (def && def.apiBase === wanted) return def;
    return accounts
      .list()
      .filter((a) => a.apiBase === wanted)
      .at(-1);
  }

  /**
   * "not logged in", naming the API base asked for and where it came from, and what is stored
   * instead: a sandbox restarted on a new port leaves accounts for the old one behind.
   */
  notLoggedIn(what = 'no account'): NotLoggedInError {
    const s = this.settings;
    const stored = this.accounts().list();
    if (!s.explicitApiBase || stored.length === 0)
      return what === 'no account' ? new NotLoggedInError() : new NotLoggedInError(what);
    const def = this.accounts().find();
    const shown = (def ? [def, ...stored.filter((a) => a.key !== def.key)] : [...stored]).slice(0, 3);
    const list =
      shown.map((a) => `@${a.screenName} for ${a.apiBase}`).join(', ') +
      (stored.length > shown.length ? `, and ${stored.length - shown.length} more` : '');
    const undo = s.apiBaseFrom === 'TWAUTH_API_BASE' ? 'unset TWAUTH_API_BASE' : 'drop --api-base';
    return new NotLoggedInError(
      `${what} for ${s.explicitApiBase} (from ${s.apiBaseFrom}); stored: ${list} — run twauth login, or ${undo}`,
    );
  }

  /** A line on the terminal that counts down to `until` (epoch seconds); returns what clears it. */
  private countdown(until: number): () => void {
    const draw = () => this.io.errRaw(`\r\x1b[2K  ${countdown(until - Date.now() / 1000)} left`);
    draw();
    const timer = setInterval(draw, 1000);
    timer.unref();
    return () => {
      clearInterval(timer);
      this.io.errRaw('\r\x1b[2K');
    };
  }

  /** Waits for background writes; main calls it before the process exits. */
  async settle(): Promise<void> {
    await Promise.all(this.pending);
  }

  /** A signed client for these credentials (or for the consumer alone, during login). */
  client(
    c: { consumer: ConsumerCredentials; token?: AnyToken | undefined; apiBase: string },
    overrides: Partial<ClientConfig> = {},
  ): XClient {
    const apiBase = c.apiBase;
    let offset = 0;
    try {
      offset = this.accounts().clockOffset(apiBase);
    } catch {
      // an unreadable config must not stop a request that needs no account
    }
    let stopCountdown: (() => void) | undefined;
    return new XClient(
      {
        apiBase,
        consumer: c.consumer,
        token: c.token,
        timeoutMs: (this.settings.timeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_S) * 1000,
        waitOnRateLimit: this.settings.wait,
        userAgent: `twauth/${VERSION}`,
        apiBaseFrom:
          this.settings.explicitApiBase !== undefined &&
          normalizeApiBase(apiBase) === normalizeApiBase(this.settings.explicitApiBase)
            ? this.settings.apiBaseFrom
            : undefined,
        ...overrides,
      },
      {
        send: this.services.send ?? undiciTransport(this.env, { beforeFirstRequest: preferBaselineWasm }),
        clock: systemClock(offset),
        randomBytes: (n) => randomBytes(n),
        random: Math.random,
        sleep: (ms) =>
          new Promise<void>((r) => setTimeout(r, ms)).finally(() => {
            stopCountdown?.();
            stopCountdown = undefined;
          }),
        trace: this.settings.verbose ? (line) => this.io.err(line) : undefined,
        onClockOffset: (ms) => {
          const sec = Math.round(ms / 1000);
          this.io.err(
            `note: this machine's clock is ${Math.abs(sec)} s ${sec > 0 ? 'behind' : 'ahead of'} X's; corrected for this and later runs`,
          );
          this.pending.push(
            this.accounts()
              .rememberClockOffset(apiBase, ms)
              .catch(() => undefined),
          );
        },
        onWait: (until) => {
          // The same format as the 429 error ("13:03:42 UTC"), whatever the machine's locale.
          this.io.err(`rate limited: waiting until ${utcTime(until)} (--wait; Ctrl-C stops)`);
          if (this.io.fancy) stopCountdown = this.countdown(until);
        },
      },
    );
  }
}
