import { validateAccountSwitches } from './account-switches.js';
import type { EmulatorApp, EmulatorOptions, EmulatorUser } from './types.js';

/** Rejects options the emulator could not honour, with a message naming the field (TypeError). */
export function validateOptions(options: EmulatorOptions): void {
  const { port, apps, users, clockOffsetSeconds, seed, rateLimits } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
    throw new TypeError('port must be an integer 0-65535');
  if (clockOffsetSeconds !== undefined && !Number.isFinite(clockOffsetSeconds))
    throw new TypeError('clockOffsetSeconds must be finite');
  if (seed !== undefined && !Number.isFinite(seed)) throw new TypeError('seed must be a finite number');
  if (rateLimits !== undefined && typeof rateLimits !== 'boolean') throw new TypeError('rateLimits must be a boolean');
  if (options.media !== undefined) validateMediaSettings(options.media);
  if (options.account !== undefined) validateAccountSwitches(options.account);
  if (apps !== undefined) {
    if (!Array.isArray(apps) || apps.length === 0) throw new TypeError('apps must be a non-empty array');
    apps.forEach(checkApp);
    unique(
      apps.map((a) => a.consumerKey),
      'consumer key',
    );
  }
  if (users !== undefined) {
    if (!Array.isArray(users) || users.length === 0) throw new TypeError('users must be a non-empty array');
    users.forEach(checkUser);
    unique(
      users.map((u) => u.id),
      'user id',
    );
    unique(
      users.map((u) => u.username.toLowerCase()),
      'username',
    );
  }
}

/** Media switches from options or the control endpoint (TypeError naming the field). */
export function validateMediaSettings(media: unknown): {
  processingMs?: number;
  failProcessing?: number;
  maxVideoMb?: number;
  maxVideoSeconds?: number;
} {
  if (typeof media !== 'object' || media === null || Array.isArray(media))
    throw new TypeError('media must be an object');
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(media)) {
    const max =
      key === 'processingMs'
        ? 600_000
        : key === 'failProcessing'
          ? 1_000_000
          : key === 'maxVideoMb'
            ? 16_384
            : key === 'maxVideoSeconds'
              ? 86_400
              : undefined;
    if (max === undefined) throw new TypeError(`unknown media setting "${key}"`);
    if (value === undefined) continue;
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < (key === 'maxVideoMb' || key === 'maxVideoSeconds' ? 1 : 0) ||
      value > max
    )
      throw new TypeError(`media.${key} must be an integer up to ${max}`);
    out[key] = value;
  }
  return out;
}

function checkApp(app: EmulatorApp): void {
  if (typeof app.consumerKey !== 'string' || app.consumerKey === '')
    throw new TypeError('app consumerKey must be a non-empty string');
  // Secrets enter the HMAC key percent-encoded (RFC 5849 §3.4.2), which needs well-formed UTF-16.
  if (typeof app.consumerSecret !== 'string' || !app.consumerSecret.isWellFormed())
    throw new TypeError('app consumerSecret must be a well-formed string');
  if (!Array.isArray(app.callbacks) || !app.callbacks.every((c) => typeof c === 'string'))
    throw new TypeError('app callbacks must be an array of strings');
  if (app.access !== 'read' && app.access !== 'read-write')
    throw new TypeError('app access must be "read" or "read-write"');
}

function checkUser(user: EmulatorUser): void {
  // v1.1 writes the id as a bare JSON number, so it must be digits.
  if (typeof user.id !== 'string' || !/^[1-9]\d{0,19}$/.test(user.id))
    throw new TypeError('user id must be a numeric string');
  if (typeof user.username !== 'string' || !/^[A-Za-z0-9_]{1,15}$/.test(user.username))
    throw new TypeError('username must be 1-15 letters, digits or _');
  if (typeof user.name !== 'string') throw new TypeError('user name must be a string');
}

function unique(values: string[], what: string): void {
  if (new Set(values).size !== values.length) throw new TypeError(`duplicate ${what}`);
}
