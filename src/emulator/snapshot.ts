import { validateOptions } from './options.js';
import type { AccessLevel } from './state.js';
import type { EmulatorApp, EmulatorUser, PostedTweet } from './types.js';

/**
 * What a sandbox keeps across restarts (`twauth sandbox --state FILE`): its apps, users, access
 * tokens and posts. Request tokens are not kept: they live 15 minutes and belong to a login in
 * progress.
 */
export interface EmulatorSnapshot {
  readonly version: 1;
  readonly apps: readonly EmulatorApp[];
  readonly users: readonly EmulatorUser[];
  readonly tokens: readonly SnapshotToken[];
  readonly tweets: readonly PostedTweet[];
}

export interface SnapshotToken {
  readonly token: string;
  readonly secret: string;
  readonly consumerKey: string;
  readonly userId: string;
  readonly access: AccessLevel;
}

/** Bounds of a snapshot: a state file is read whole, so it must stay small. */
export const SNAPSHOT_LIMITS = {
  bytes: 8 * 1024 * 1024,
  tokens: 10_000,
  tweets: 10_000,
  apps: 100,
  users: 1000,
} as const;

const TOKEN = /^[\x21-\x7e]{1,200}$/;

/**
 * Parses a state file's text; throws a TypeError naming what is wrong. Pure and bounded: the file
 * is the person's, but may be truncated, hand-edited or from another version.
 */
export function parseSnapshot(text: string): EmulatorSnapshot {
  if (text.length > SNAPSHOT_LIMITS.bytes) throw new TypeError(`larger than ${SNAPSHOT_LIMITS.bytes} bytes`);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new TypeError('not JSON');
  }
  if (!isObject(v) || v.version !== 1) throw new TypeError('not a twauth sandbox state (version 1)');
  const apps = list(v.apps, 'apps', SNAPSHOT_LIMITS.apps).map((a): EmulatorApp => {
    if (!isObject(a)) throw new TypeError('an app is not an object');
    return {
      consumerKey: a.consumerKey as string,
      consumerSecret: a.consumerSecret as string,
      callbacks: a.callbacks as string[],
      access: a.access as EmulatorApp['access'],
      ...(typeof a.name === 'string' ? { name: a.name } : {}),
    };
  });
  const users = list(v.users, 'users', SNAPSHOT_LIMITS.users).map((u): EmulatorUser => {
    if (!isObject(u)) throw new TypeError('a user is not an object');
    return { id: u.id as string, username: u.username as string, name: u.name as string };
  });
  // The emulator's own checks of apps and users (types, unique ids and names).
  validateOptions({ apps, users });
  const appKeys = new Set(apps.map((a) => a.consumerKey));
  const userIds = new Set(users.map((u) => u.id));
  const tokens = list(v.tokens, 'tokens', SNAPSHOT_LIMITS.tokens).map((t): SnapshotToken => {
    if (!isObject(t)) throw new TypeError('a token is not an object');
    const { token, secret, consumerKey, userId, access } = t;
    if (typeof token !== 'string' || !TOKEN.test(token) || typeof secret !== 'string' || !TOKEN.test(secret))
      throw new TypeError('a token or its secret is malformed');
    if (typeof consumerKey !== 'string' || !appKeys.has(consumerKey))
      throw new TypeError('a token names an unknown app');
    if (typeof userId !== 'string' || !userIds.has(userId)) throw new TypeError('a token names an unknown user');
    if (access !== 'read' && access !== 'read-write') throw new TypeError('a token has an unknown access level');
    return { token, secret, consumerKey, userId, access };
  });
  const tweets = list(v.tweets, 'tweets', SNAPSHOT_LIMITS.tweets).map((t): PostedTweet => {
    if (!isObject(t)) throw new TypeError('a tweet is not an object');
    const { id, text: body, authorId, replyTo, createdAt } = t;
    if (typeof id !== 'string' || !/^\d{1,19}$/.test(id)) throw new TypeError('a tweet id is malformed');
    if (typeof body !== 'string' || body.length > 10_000 || !body.isWellFormed())
      throw new TypeError('a tweet text is malformed');
    if (typeof authorId !== 'string' || !userIds.has(authorId)) throw new TypeError('a tweet names an unknown author');
    if (replyTo !== undefined && (typeof replyTo !== 'string' || !/^\d{1,19}$/.test(replyTo)))
      throw new TypeError('a reply id is malformed');
    if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)))
      throw new TypeError('a tweet date is malformed');
    return { id, text: body, authorId, createdAt, ...(replyTo !== undefined ? { replyTo } : {}) };
  });
  return { version: 1, apps, users, tokens, tweets };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(v: unknown, what: string, max: number): unknown[] {
  if (!Array.isArray(v)) throw new TypeError(`${what} is not a list`);
  if (v.length > max) throw new TypeError(`more than ${max} ${what}`);
  return v;
}
