import { seededRandom } from './prng.js';

/**
 * Faults to inject; `next` = the next N matching requests, `rate` = probability per matching
 * request, `skip` = let the first N matching requests through before `next`/`rate` apply (so the
 * second post of a thread can be the one that fails).
 */
export interface Faults {
  /**
   * Path prefixes the faults apply to (default: every API and OAuth path; never /_emulator). A
   * `*` stands for one path segment, so '/2/media/upload/*\/finalize' picks FINALIZE of any upload.
   */
  paths?: string[];
  /** Delay before answering. */
  latencyMs?: number;
  /** 503 before any effect. */
  status503?: { next?: number; rate?: number; skip?: number };
  /** 429 with x-rate-limit-remaining: 0 before any effect; reset defaults to 60 s from now. */
  rateLimit?: { next?: number; rate?: number; skip?: number; resetInSeconds?: number };
  /** Destroy the socket without an answer; after=true: the effect (e.g. the post) happens first. */
  reset?: { next?: number; rate?: number; skip?: number; after?: boolean };
  /** Send status, headers and part of the body, then never finish (until close()). */
  hang?: { next?: number; rate?: number; skip?: number; after?: boolean };
  /** The effect happens, then 503 is answered: the client cannot know the outcome. */
  status503After?: { next?: number; rate?: number; skip?: number };
}

export type FaultDecision =
  | { kind: 'status503' }
  | { kind: 'rateLimit'; resetInSeconds: number }
  | { kind: 'reset'; after: boolean }
  | { kind: 'hang'; after: boolean }
  | { kind: 'status503After' };

type Trigger = { next?: number; rate?: number; skip?: number };
const KINDS = ['status503', 'rateLimit', 'reset', 'hang', 'status503After'] as const;
const MAX_LATENCY_MS = 10 * 60 * 1000;

/** Checks a Faults value from an untrusted source (the control endpoint) and copies it. */
export function validateFaults(input: unknown): Faults {
  if (!isObject(input)) throw new TypeError('faults must be an object');
  const known = new Set<string>(['paths', 'latencyMs', ...KINDS]);
  for (const key of Object.keys(input)) if (!known.has(key)) throw new TypeError(`unknown fault "${key}"`);
  const out: Faults = {};
  if (input.paths !== undefined) {
    if (!Array.isArray(input.paths) || !input.paths.every((p) => typeof p === 'string' && p.startsWith('/'))) {
      throw new TypeError('paths must be an array of path prefixes starting with "/"');
    }
    out.paths = [...(input.paths as string[])];
  }
  if (input.latencyMs !== undefined) out.latencyMs = number(input.latencyMs, 'latencyMs', 0, MAX_LATENCY_MS);
  for (const kind of KINDS) {
    const raw = input[kind];
    if (raw === undefined) continue;
    if (!isObject(raw)) throw new TypeError(`${kind} must be an object`);
    const allowed = new Set([
      'next',
      'rate',
      'skip',
      ...(kind === 'rateLimit' ? ['resetInSeconds'] : []),
      ...(kind === 'reset' || kind === 'hang' ? ['after'] : []),
    ]);
    for (const key of Object.keys(raw)) if (!allowed.has(key)) throw new TypeError(`unknown field ${kind}.${key}`);
    const trigger: Record<string, number | boolean> = {};
    if (raw.next !== undefined) {
      trigger.next = number(raw.next, `${kind}.next`, 0, Number.MAX_SAFE_INTEGER);
      if (!Number.isInteger(trigger.next)) throw new TypeError(`${kind}.next must be an integer`);
    }
    if (raw.rate !== undefined) trigger.rate = number(raw.rate, `${kind}.rate`, 0, 1);
    if (raw.skip !== undefined) {
      trigger.skip = number(raw.skip, `${kind}.skip`, 0, Number.MAX_SAFE_INTEGER);
      if (!Number.isInteger(trigger.skip)) throw new TypeError(`${kind}.skip must be an integer`);
    }
    if (raw.resetInSeconds !== undefined)
      trigger.resetInSeconds = number(raw.resetInSeconds, `${kind}.resetInSeconds`, 0, 86400);
    if (raw.after !== undefined) {
      if (typeof raw.after !== 'boolean') throw new TypeError(`${kind}.after must be a boolean`);
      trigger.after = raw.after;
    }
    (out as Record<string, unknown>)[kind] = trigger;
  }
  return out;
}

/**
 * Decides, per request, which fault (if any) strikes. Kinds are tried in a fixed order and only
 * the one that strikes uses up its `next`, so "503 once, then a reset once" is two requests.
 * Rate draws come from a seeded PRNG in that same order, so runs are reproducible.
 */
export class FaultInjector {
  #faults: Faults = {};
  readonly #random: () => number;

  constructor(seed: number) {
    this.#random = seededRandom(seed);
  }

  set(faults: Faults): void {
    this.#faults = validateFaults(faults);
  }

  current(): Faults {
    return structuredClone(this.#faults);
  }

  applies(path: string): boolean {
    if (path === '/_emulator' || path.startsWith('/_emulator/')) return false;
    const prefixes = this.#faults.paths;
    return (
      prefixes === undefined ||
      prefixes.some((p) => (p.includes('*') ? segmentPattern(p).test(path) : path.startsWith(p)))
    );
  }

  latencyFor(path: string): number {
    return this.applies(path) ? (this.#faults.latencyMs ?? 0) : 0;
  }

  decide(path: string): FaultDecision | null {
    if (!this.applies(path)) return null;
    for (const kind of KINDS) {
      const trigger = this.#faults[kind];
      if (!trigger || !this.#strikes(trigger)) continue;
      switch (kind) {
        case 'rateLimit':
          return { kind, resetInSeconds: this.#faults.rateLimit?.resetInSeconds ?? 60 };
        case 'reset':
        case 'hang':
          return { kind, after: this.#faults[kind]?.after ?? false };
        default:
          return { kind };
      }
    }
    return null;
  }

  #strikes(trigger: Trigger): boolean {
    if (trigger.skip !== undefined && trigger.skip > 0) {
      trigger.skip--;
      return false;
    }
    if (trigger.next !== undefined && trigger.next > 0) {
      trigger.next--;
      return true;
    }
    return trigger.rate !== undefined && trigger.rate > 0 && this.#random() < trigger.rate;
  }
}

/** A path prefix with `*` for one segment, as a regular expression anchored at the start. */
function segmentPattern(prefix: string): RegExp {
  return new RegExp(
    '^' +
      prefix
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]+'),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function number(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new TypeError(`${name} must be a number between ${min} and ${max}`);
  }
  return value;
}
