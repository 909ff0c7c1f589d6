// Issue 6, reliability under faults: hundreds of `twauth tweet` processes against one emulator
// that fails in every way X can (503 before or after the effect, resets and hangs before or after
// it, 429, latency). Nothing may be lost, duplicated or misreported; and idempotent requests
// (whoami) recover within the retry budget. Seeded: the seed is printed on failure.
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { EmulatorUser, Faults } from '../../src/emulator/index.js';
import type { TwauthResult } from '../helpers/cli.js';
import { startSandbox, type Sandbox, pool } from './support.js';

const SEED = Number(process.env.TWAUTH_RELIABILITY_SEED ?? 61006);
const USERS: EmulatorUser[] = Array.from({ length: 8 }, (_, i) => ({
  id: String(2000000001 + i),
  username: `rel_user${i + 1}`,
  name: `Reliability ${i + 1}`,
}));

let sb: Sandbox;
let tokens: ReturnType<Sandbox['issue']>[];

beforeAll(async () => {
  sb = await startSandbox({ keychain: 'none', emulator: { seed: SEED, users: USERS } });
  tokens = USERS.map((u) => sb.issue(u.username));
});
afterAll(() => sb?.stop());

/**
 * What twauth promises for a tweet (src/cli/report-error.ts, src/api/client.ts):
 * - exit 0: X answered 2xx; stdout is "ID URL".
 * - exit 7 and "the tweet MAY have been posted" (src/cli/explain-x-error.ts mayHaveTakenEffect): the request (or part of it) reached X and no answer proves
 *   it had no effect (a 5xx to a POST; a reset, timeout or hang after connecting). Posted or not.
 * - exit 7 without "MAY" ("cannot reach X ... check the network"): nothing left this machine
 *   (connect failure), so nothing was posted.
 * - exit 5 (429), 6 (other 4xx), 4 (401): X refused it; nothing was posted.
 * A POST is never retried once sent, so no text is ever posted twice.
 */
type Outcome = 'posted' | 'may-posted' | 'may-not-posted' | 'rate-limited' | 'not-sent';
const MAY = /\bMAY have (been posted|taken effect)\b/;

function classify(text: string, r: TwauthResult): Outcome {
  const posted = sb.emu.tweets().filter((t) => t.text === text);
  const label = `tweet ${JSON.stringify(text)} → exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
  // No text ever appears twice.
  expect(posted.length, label).toBeLessThanOrEqual(1);
  if (r.code === 0) {
    expect(posted, label).toHaveLength(1);
    expect(r.stdout, label).toBe(`${posted[0]!.id} ${sb.emu.url}/i/status/${posted[0]!.id}\n`);
    return 'posted';
  }
  // A failure prints nothing on stdout and one "twauth: …" line on stderr.
  expect(r.stdout, label).toBe('');
  expect(r.stderr, label).toMatch(/^twauth: [^\n]+\n$/);
  if (MAY.test(r.stderr)) {
    expect(r.code, label).toBe(7);
    return posted.length ? 'may-posted' : 'may-not-posted';
  }
  // Any other failure promises that nothing was posted.
  expect(posted, `${label}\n(twauth did not say it MAY have been posted, but it was)`).toHaveLength(0);
  if (r.code === 5) {
    expect(r.stderr, label).toMatch(/rate limited by X on POST \/2\/tweets; it resets at/);
    return 'rate-limited';
  }
  if (r.code === 7) {
    expect(r.stderr, label).toMatch(/cannot reach X .* for POST \/2\/tweets; check the network/);
    return 'not-sent';
  }
  // None of the faults injected here makes X refuse a tweet (401: exit 4, other 4xx: exit 6).
  throw new Error(`${label}\n(an exit code no injected fault accounts for)`);
}

let serial = 0;
async function tweet(text: string, i: number): Promise<Outcome> {
  const r = await sb.tw(['tweet', '--timeout', '1', text], { env: tokens[i % tokens.length]!.env });
  return classify(text, r);
}

function texts(batch: string, n: number): string[] {
  return Array.from({ length: n }, () => `reliability ${SEED} ${batch} #${serial++}`);
}

describe('tweets under faults: nothing lost, duplicated or misreported', () => {
  it('each fault alone, in order: exactly the promised outcome', async () => {
    onTestFailed(() => console.error(`reliability-faults: SEED=${SEED} (set TWAUTH_RELIABILITY_SEED to replay)`));
    // One request each, in FaultInjector's fixed order; sequential, so tweet n meets fault n.
    sb.emu.setFaults({
      paths: ['/2/tweets'],
      status503: { next: 1 },
      rateLimit: { next: 1, resetInSeconds: 30 },
      reset: { next: 1, after: false },
      hang: { next: 1, after: true },
      status503After: { next: 1 },
    });
    const first = texts('single', 6);
    const a: Outcome[] = [];
    for (const [i, t] of first.entries()) a.push(await tweet(t, i));
    sb.emu.setFaults({ paths: ['/2/tweets'], reset: { next: 1, after: true }, hang: { next: 1, after: false } });
    const second = texts('single', 3);
    const b: Outcome[] = [];
    for (const [i, t] of second.entries()) b.push(await tweet(t, i));
    sb.emu.setFaults({});
    // 503 before the effect: twauth cannot know that, so it says MAY; it was not posted.
    // 429: refused, not posted. Reset before the effect: MAY, not posted. Hang after the effect:
    // MAY, posted. 503 after the effect: MAY, posted. No fault: posted.
    expect(a).toEqual(['may-not-posted', 'rate-limited', 'may-not-posted', 'may-posted', 'may-posted', 'posted']);
    // Reset after the effect: MAY, posted. Hang before the effect: MAY, not posted. Then posted.
    expect(b).toEqual(['may-posted', 'may-not-posted', 'posted']);
  });

  it('200 tweets, 6 at a time, under a seeded mix of every fault', async () => {
    onTestFailed(() => console.error(`reliability-faults: SEED=${SEED} (set TWAUTH_RELIABILITY_SEED to replay)`));
    // `after` is one flag per kind, so two profiles alternate batch by batch.
    const profiles: Faults[] = [
      {
        paths: ['/2/tweets'],
        latencyMs: 30,
        status503: { rate: 0.07 },
        rateLimit: { rate: 0.05, resetInSeconds: 60 },
        reset: { rate: 0.08, after: false },
        hang: { rate: 0.07, after: true },
        status503After: { rate: 0.07 },
      },
      {
        paths: ['/2/tweets'],
        latencyMs: 0,
        status503: { rate: 0.05 },
        rateLimit: { rate: 0.04, resetInSeconds: 60 },
        reset: { rate: 0.1, after: true },
        hang: { rate: 0.06, after: false },
        status503After: { rate: 0.06 },
      },
    ];
    const counts = new Map<Outcome, number>();
    const started = Date.now();
    let total = 0;
    for (let batch = 0; batch < 10; batch++) {
      sb.emu.setFaults(profiles[batch % 2]!);
      const batchTexts = texts(`mix${batch}`, 20);
      const outcomes = await pool(batchTexts, 6, (t, i) => tweet(t, i + batch));
      for (const o of outcomes) counts.set(o, (counts.get(o) ?? 0) + 1);
      total += outcomes.length;
    }
    sb.emu.setFaults({});

    // Across everything ever posted: no text twice.
    const all = sb.emu.tweets().map((t) => t.text);
    expect(new Set(all).size).toBe(all.length);

    const summary = ['posted', 'may-posted', 'may-not-posted', 'rate-limited', 'not-sent']
      .map((k) => `${k} ${counts.get(k as Outcome) ?? 0}`)
      .join(', ');
    console.log(`tweets under faults (seed ${SEED}): ${total} processes in ${Date.now() - started} ms: ${summary}`);
    expect(total).toBe(200);
    // The mix really exercised the outcomes (with these rates each is near-certain).
    expect(counts.get('posted') ?? 0).toBeGreaterThan(100);
    for (const k of ['may-posted', 'may-not-posted', 'rate-limited'] as const)
      expect(counts.get(k) ?? 0, k).toBeGreaterThan(0);
  }, 180_000);
});

describe('idempotent requests recover', () => {
  it('100 whoami under 30 % 503 + 10 % resets: retried within the budget of 4 attempts', async () => {
    onTestFailed(() => console.error(`reliability-faults: SEED=${SEED} (set TWAUTH_RELIABILITY_SEED to replay)`));
    sb.emu.setFaults({ paths: ['/2/users/me'], status503: { rate: 0.3 }, reset: { rate: 0.1 } });
    const runs = await pool(
      Array.from({ length: 100 }, (_, i) => i),
      4,
      (i) => sb.tw(['whoami', '--verbose'], { env: tokens[i % tokens.length]!.env }),
    );
    sb.emu.setFaults({});

    // Per attempt, from the --verbose trace: "> GET …" starts one; "< 200" ends it well, "< 503" or
    // "! …" (reset) badly.
    let attempts = 0;
    let failedAttempts = 0;
    const byAttempts = [0, 0, 0, 0, 0];
    let failures = 0;
    for (const [i, r] of runs.entries()) {
      const label = `whoami #${i} → exit ${r.code}\n${r.stderr}`;
      const sent = r.stderr.match(/^> GET \S+\/2\/users\/me$/gm)?.length ?? 0;
      const bad = (r.stderr.match(/^< 503 /gm)?.length ?? 0) + (r.stderr.match(/^! /gm)?.length ?? 0);
      expect(sent, label).toBeGreaterThanOrEqual(1);
      expect(sent, label).toBeLessThanOrEqual(4);
      attempts += sent;
      failedAttempts += bad;
      if (r.code === 0) {
        expect(r.stdout, label).toBe(`${USERS[i % USERS.length]!.username}\n`);
        expect(bad, label).toBe(sent - 1); // every attempt but the last failed
        byAttempts[sent]!++;
      } else {
        expect(r.code, label).toBe(7);
        expect(sent, label).toBe(4); // the whole budget was used
        expect(bad, label).toBe(4);
        expect(r.stderr, label).toMatch(/^twauth: (X is unavailable \(HTTP 503\)|cannot reach X)/m);
        failures++;
      }
    }
    // p = P(one attempt fails) = 0.3 + 0.7 × 0.1 = 0.37; P(a run fails) = p⁴ ≈ 0.0187.
    const p = 0.3 + 0.7 * 0.1;
    const observedP = failedAttempts / attempts;
    console.log(
      `whoami under faults (seed ${SEED}): ${100 - failures}/100 succeeded, ${failures} failed after 4 attempts ` +
        `(expected ${(100 * p ** 4).toFixed(1)} = 100·p⁴ with p = ${p}); per-attempt failure rate observed ${observedP.toFixed(3)} over ${attempts} attempts; ` +
        `successes by attempts used: 1:${byAttempts[1]} 2:${byAttempts[2]} 3:${byAttempts[3]} 4:${byAttempts[4]}`,
    );
    // The per-attempt rate matches the configured faults (n ≈ 160: ±3σ ≈ ±0.12).
    expect(observedP).toBeGreaterThan(p - 0.12);
    expect(observedP).toBeLessThan(p + 0.12);
    // Run failures follow Binomial(100, p⁴), mean 1.87: P(more than 8) < 1e-4.
    expect(failures).toBeLessThanOrEqual(8);
    // Successes by attempts follow the geometric law: most need one attempt.
    expect(byAttempts[1]!).toBeGreaterThan(40);
  }, 120_000);
});
