/**
 * Times shown to a person: always UTC, in one format, so that a rate-limit reset reads the same in
 * `--wait`, `status`, `doctor` and the error message (X's x-rate-limit-reset is epoch seconds).
 */
export function utcTime(epochSeconds: number, withSeconds = true): string {
  const iso = new Date(epochSeconds * 1000).toISOString();
  return `${iso.slice(11, withSeconds ? 19 : 16)} UTC`;
}

/** "12 min 5 s", "45 s": a countdown that fits on one line. */
export function countdown(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
