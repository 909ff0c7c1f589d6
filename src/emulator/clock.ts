/**
 * The emulator's notion of now: real time plus an adjustable offset, so tests can make the client's
 * clock look skewed (X answers code 135 and its Date header tells the client the right time).
 */
export class EmulatorClock {
  #offsetSeconds: number;

  constructor(offsetSeconds = 0) {
    this.#offsetSeconds = checkedOffset(offsetSeconds);
  }

  get offsetSeconds(): number {
    return this.#offsetSeconds;
  }

  setOffset(seconds: number): void {
    this.#offsetSeconds = checkedOffset(seconds);
  }

  nowMs(): number {
    return Date.now() + this.#offsetSeconds * 1000;
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** RFC 9110 IMF-fixdate, for the Date header. */
  httpDate(): string {
    return new Date(this.nowMs()).toUTCString();
  }
}

function checkedOffset(seconds: number): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || Math.abs(seconds) > 100 * 365 * 86400) {
    throw new TypeError('clock offset must be a finite number of seconds');
  }
  return seconds;
}
