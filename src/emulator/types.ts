import type { AccountSwitchSettings } from './account-switches.js';
import type { Faults } from './faults.js';
import type { EmulatorSnapshot } from './snapshot.js';
import type { MediaSummary } from './media-store.js';

/** An X developer app as the emulator knows it (the "Keys and tokens" and "User authentication settings" pages). */
export interface EmulatorApp {
  consumerKey: string;
  consumerSecret: string;
  name?: string;
  /**
   * Allow-listed callback URLs; an entry may use '*' for the port, e.g. 'http://127.0.0.1:*\/callback'.
   * 'oob' is always allowed.
   */
  callbacks: string[];
  access: 'read' | 'read-write';
}

export interface EmulatorUser {
  id: string;
  username: string;
  name: string;
}

export interface EmulatorOptions {
  /** Default 0: any free port. The emulator always binds 127.0.0.1. */
  port?: number;
  apps?: EmulatorApp[];
  users?: EmulatorUser[];
  /** The emulator's clock runs this many seconds ahead of the real one (negative: behind). */
  clockOffsetSeconds?: number;
  /** Seed of the PRNG that decides rate-based faults (default 1), so runs are reproducible. */
  seed?: number;
  /**
   * Default true. false lifts every rate limit (the 15-minute windows and the 24-hour post caps):
   * requests are never answered 429, and the x-rate-limit-* headers always show the full limit.
   * For benchmarks and load tests that send more requests than X would allow.
   */
  rateLimits?: boolean;
  /** Tokens and posts kept from an earlier run (Emulator.snapshot()); its apps and users win over `apps`/`users`. */
  restore?: EmulatorSnapshot;
  /** Media processing (video and GIFs) and the account's video limit. */
  media?: {
    /** How long processing takes, in ms (default 3000): pending, in_progress, then succeeded. */
    processingMs?: number;
    /** The next N uploads that go through processing end in state failed (default 0). */
    failProcessing?: number;
    /** The account's video size limit in MB (X: 512; more for accounts with a subscription). */
    maxVideoMb?: number;
    /** The longest video the account may post, in seconds (X: 140 for most accounts); longer fails processing. */
    maxVideoSeconds?: number;
  };
  /** X's 2026 account answers: 402 CreditsDepleted, 429 UsageCapExceeded, 403 client-not-enrolled, the reply rule. */
  account?: AccountSwitchSettings;
}

/** A post created through POST /2/tweets or POST /1.1/statuses/update.json. */
export interface PostedTweet {
  id: string;
  text: string;
  authorId: string;
  replyTo?: string;
  /** media.media_ids, when the post carries media. */
  mediaIds?: string[];
  /** ISO 8601, from the emulator's clock. */
  createdAt: string;
}

/** One answered request. Recorded when the answer is decided, so requests still in flight are absent. */
export interface RequestLogEntry {
  method: string;
  /** The path without the query string (the query may carry tokens). */
  path: string;
  /** The status sent; 0 when the socket was reset without an answer. */
  status: number;
  /** Arrival time, ISO 8601, from the emulator's clock. */
  time: string;
}

export interface Emulator {
  /** 'http://127.0.0.1:<port>' */
  readonly url: string;
  readonly port: number;
  readonly apps: readonly EmulatorApp[];
  readonly users: readonly EmulatorUser[];
  /** Everything posted, in order. */
  tweets(): PostedTweet[];
  /** Every upload: sizes, digest, phase and alt text (never the bytes). */
  media(): MediaSummary[];
  /** Changes the media switches (processing time, failures, video limit). Throws a TypeError on a malformed value. */
  setMedia(settings: NonNullable<EmulatorOptions['media']>): void;
  /** Every answered request, oldest first (the most recent 10 000). */
  requests(): RequestLogEntry[];
  /** Changes the given account switches (the others keep their value). Throws a TypeError on a malformed value. */
  setAccount(settings: AccountSwitchSettings): void;
  /** Replaces the current faults. Throws a TypeError on a malformed value. */
  setFaults(f: Faults): void;
  setClockOffset(seconds: number): void;
  /** True when the token existed and was not yet revoked. */
  revokeAccessToken(token: string): boolean;
  /** Issues an access token without the browser dance. access defaults to, and is capped by, the app's level. */
  issueAccessToken(
    userId: string,
    consumerKey: string,
    access?: 'read' | 'read-write',
  ): { token: string; secret: string };
  /** Apps, users, live access tokens and posts, for a later `restore` (twauth sandbox --state). */
  snapshot(): EmulatorSnapshot;
  /** Closes the server and every socket, hung ones included. */
  close(): Promise<void>;
}
