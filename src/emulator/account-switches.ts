import type { EmuResponse } from './responses.js';
import { clientNotEnrolled, creditsDepleted, usageCapExceeded } from './x-errors.js';

/**
 * Switches that make the emulator answer as X answers an app whose account is in trouble (X API
 * v2, 2026). Each applies to every signed v2 request (`/2/…`) once authenticated, as X checks the
 * account after the credentials:
 *
 * - notEnrolled: 403 client-forbidden, reason client-not-enrolled (app in no project/package);
 * - creditsDepleted: 402 CreditsDepleted (pay-per-use credits used up);
 * - usageCapped: 429 UsageCapExceeded with period and scope (a cap over a billing period; the
 *   15-minute x-rate-limit-* headers stay as they are, as X sends them);
 * - replyRestricted: POST /2/tweets may reply only to the person's own posts and to posts that
 *   mention them (X's rule for self-serve apps since 2026-02-23).
 */
export interface AccountSwitchSettings {
  notEnrolled?: boolean;
  creditsDepleted?: boolean;
  usageCapped?: boolean;
  /** UsageCapExceeded's period (default "Monthly"). */
  usageCapPeriod?: 'Daily' | 'Monthly';
  replyRestricted?: boolean;
}

const BOOLEAN_KEYS = ['notEnrolled', 'creditsDepleted', 'usageCapped', 'replyRestricted'] as const;

/** Checks settings from an untrusted source (the control endpoint, options) and copies them (TypeError naming the field). */
export function validateAccountSwitches(input: unknown): AccountSwitchSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new TypeError('account must be an object');
  const out: AccountSwitchSettings = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if ((BOOLEAN_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'boolean') throw new TypeError(`account.${key} must be a boolean`);
      out[key as (typeof BOOLEAN_KEYS)[number]] = value;
    } else if (key === 'usageCapPeriod') {
      if (value !== 'Daily' && value !== 'Monthly')
        throw new TypeError('account.usageCapPeriod must be "Daily" or "Monthly"');
      out.usageCapPeriod = value;
    } else {
      throw new TypeError(`unknown account switch "${key}"`);
    }
  }
  return out;
}

export class AccountSwitches {
  #settings: AccountSwitchSettings;

  constructor(settings: AccountSwitchSettings = {}) {
    this.#settings = validateAccountSwitches(settings);
  }

  /** Changes the given switches; the others keep their value. */
  update(settings: AccountSwitchSettings): void {
    this.#settings = { ...this.#settings, ...validateAccountSwitches(settings) };
  }

  current(): AccountSwitchSettings {
    return { ...this.#settings };
  }

  get replyRestricted(): boolean {
    return this.#settings.replyRestricted === true;
  }

  /** X's answer to a v2 request from this app while a switch is on, else undefined. */
  refusal(path: string, consumerKey: string): EmuResponse | undefined {
    if (!path.startsWith('/2/')) return undefined;
    const s = this.#settings;
    if (s.notEnrolled) return clientNotEnrolled(consumerKey);
    if (s.creditsDepleted) return creditsDepleted();
    if (s.usageCapped) return usageCapExceeded(s.usageCapPeriod ?? 'Monthly');
    return undefined;
  }
}
