import type { EmulatorClock } from './clock.js';
import { randomPin, randomToken } from './secrets.js';
import { TweetIdGenerator } from './tweet-ids.js';
import type { EmulatorSnapshot, SnapshotToken } from './snapshot.js';
import type { EmulatorApp, EmulatorUser, PostedTweet } from './types.js';

/** X's request tokens are good for 15 minutes. */
const REQUEST_TOKEN_LIFETIME_MS = 15 * 60 * 1000;

export type AccessLevel = 'read' | 'read-write';

/** Temporary credentials (RFC 5849 §2.1) and where they are in the dance. */
export interface RequestTokenRecord {
  readonly token: string;
  readonly secret: string;
  readonly consumerKey: string;
  /** A URL or 'oob'. */
  readonly callback: string;
  /** x_auth_access_type as asked for at request_token time. */
  readonly accessType: 'read' | 'write' | undefined;
  readonly expiresAtMs: number;
  status: 'pending' | 'authorized' | 'denied' | 'consumed';
  verifier?: string;
  userId?: string;
}

/** Token credentials (§2.3): they act as the person for the app. */
export interface AccessTokenRecord {
  readonly token: string;
  readonly secret: string;
  readonly consumerKey: string;
  readonly userId: string;
  readonly access: AccessLevel;
  revoked: boolean;
}

/** Apps, users, tokens and posts: everything the emulator remembers. */
export class EmulatorState {
  readonly apps: readonly EmulatorApp[];
  readonly users: readonly EmulatorUser[];
  readonly #requestTokens = new Map<string, RequestTokenRecord>();
  readonly #accessTokens = new Map<string, AccessTokenRecord>();
  readonly #tweets: PostedTweet[] = [];
  readonly #tweetsById = new Map<string, PostedTweet>();
  /** authorId + NUL + text of every post, for the duplicate rule in O(1) (load tests post a lot). */
  readonly #postedTexts = new Set<string>();
  readonly #tweetIds = new TweetIdGenerator();

  constructor(
    apps: readonly EmulatorApp[],
    users: readonly EmulatorUser[],
    private readonly clock: EmulatorClock,
  ) {
    this.apps = apps.map((a) => Object.freeze({ ...a, callbacks: Object.freeze([...a.callbacks]) as string[] }));
    this.users = users.map((u) => Object.freeze({ ...u }));
  }

  findApp(consumerKey: string): EmulatorApp | undefined {
    return this.apps.find((a) => a.consumerKey === consumerKey);
  }

  findUserById(id: string): EmulatorUser | undefined {
    return this.users.find((u) => u.id === id);
  }

  /** Usernames are case-insensitive on X; a leading "@" is tolerated as people type it. */
  findUserByUsername(username: string): EmulatorUser | undefined {
    const wanted = username.trim().replace(/^@/, '').toLowerCase();
    return this.users.find((u) => u.username.toLowerCase() === wanted);
  }

  createRequestToken(
    consumerKey: string,
    callback: string,
    accessType: 'read' | 'write' | undefined,
  ): RequestTokenRecord {
    this.#pruneRequestTokens();
    const record: RequestTokenRecord = {
      token: randomToken(27),
      secret: randomToken(32),
      consumerKey,
      callback,
      accessType,
      expiresAtMs: this.clock.nowMs() + REQUEST_TOKEN_LIFETIME_MS,
      status: 'pending',
    };
    this.#requestTokens.set(record.token, record);
    return record;
  }

  /** The request token, unless unknown or expired. Consumed ones stay until expiry so reuse gets a precise error. */
  findRequestToken(token: string | undefined): RequestTokenRecord | undefined {
    if (token === undefined) return undefined;
    const record = this.#requestTokens.get(token);
    if (!record) return undefined;
    if (record.expiresAtMs <= this.clock.nowMs()) {
      this.#requestTokens.delete(token);
      return undefined;
    }
    return record;
  }

  /** Binds the request token to the person who approved it; the verifier is a PIN for oob (§2.2). */
  authorizeRequestToken(record: RequestTokenRecord, userId: string): string {
    record.status = 'authorized';
    record.userId = userId;
    record.verifier = record.callback === 'oob' ? randomPin() : randomToken(32);
    return record.verifier;
  }

  denyRequestToken(record: RequestTokenRecord): void {
    record.status = 'denied';
  }

  consumeRequestToken(record: RequestTokenRecord): void {
    record.status = 'consumed';
    delete record.verifier;
  }

  issueAccessToken(userId: string, consumerKey: string, access: AccessLevel): AccessTokenRecord {
    const record: AccessTokenRecord = {
      token: `${userId}-${randomToken(40)}`,
      secret: randomToken(45),
      consumerKey,
      userId,
      access,
      revoked: false,
    };
    this.#accessTokens.set(record.token, record);
    return record;
  }

  findAccessToken(token: string | undefined): AccessTokenRecord | undefined {
    return token === undefined ? undefined : this.#accessTokens.get(token);
  }

  revokeAccessToken(token: string): boolean {
    const record = this.#accessTokens.get(token);
    if (!record || record.revoked) return false;
    record.revoked = true;
    return true;
  }

  revokedCount(): number {
    let n = 0;
    for (const record of this.#accessTokens.values()) if (record.revoked) n++;
    return n;
  }

  findTweet(id: string): PostedTweet | undefined {
    return this.#tweetsById.get(id);
  }

  /**
   * Removes a post (DELETE /2/tweets/:id, after the caller checked the author). Its text may be
   * posted again afterwards; its id is never reused. False when there was no such post.
   */
  deleteTweet(id: string): boolean {
    const tweet = this.#tweetsById.get(id);
    if (!tweet) return false;
    this.#tweetsById.delete(id);
    this.#tweets.splice(this.#tweets.indexOf(tweet), 1);
    this.#postedTexts.delete(`${tweet.authorId}\u0000${tweet.text}`);
    return true;
  }

  /** X refuses a post whose text equals one the same person already posted. */
  isDuplicate(authorId: string, text: string): boolean {
    return this.#postedTexts.has(`${authorId}\u0000${text}`);
  }

  createTweet(authorId: string, text: string, replyTo: string | undefined, mediaIds?: readonly string[]): PostedTweet {
    const now = this.clock.nowMs();
    const tweet: PostedTweet = {
      id: this.#tweetIds.next(now),
      text,
      authorId,
      ...(replyTo !== undefined ? { replyTo } : {}),
      ...(mediaIds !== undefined ? { mediaIds: [...mediaIds] } : {}),
      createdAt: new Date(now).toISOString(),
    };
    this.#tweets.push(tweet);
    this.#tweetsById.set(tweet.id, tweet);
    if (text !== '') this.#postedTexts.add(`${authorId}\u0000${text}`);
    return tweet;
  }

  tweets(): PostedTweet[] {
    return this.#tweets.map((t) => ({ ...t, ...(t.mediaIds ? { mediaIds: [...t.mediaIds] } : {}) }));
  }

  /** What `--state FILE` keeps: live access tokens and posts (revoked tokens are gone for good). */
  snapshot(): EmulatorSnapshot {
    const tokens: SnapshotToken[] = [];
    for (const r of this.#accessTokens.values())
      if (!r.revoked)
        tokens.push({
          token: r.token,
          secret: r.secret,
          consumerKey: r.consumerKey,
          userId: r.userId,
          access: r.access,
        });
    return { version: 1, apps: this.apps, users: this.users, tokens, tweets: this.tweets() };
  }

  /** Takes back what snapshot() kept (the apps and users were given to the constructor). */
  restore(s: EmulatorSnapshot): void {
    for (const t of s.tokens) this.#accessTokens.set(t.token, { ...t, revoked: false });
    for (const t of s.tweets) {
      const tweet = { ...t };
      this.#tweets.push(tweet);
      this.#tweetsById.set(tweet.id, tweet);
      this.#postedTexts.add(`${tweet.authorId}\u0000${tweet.text}`);
    }
  }

  /** All request tokens live equally long, so insertion order is expiry order: stop at the first live one. */
  #pruneRequestTokens(): void {
    const now = this.clock.nowMs();
    for (const [token, record] of this.#requestTokens) {
      if (record.expiresAtMs > now) break;
      this.#requestTokens.delete(token);
    }
  }
}
