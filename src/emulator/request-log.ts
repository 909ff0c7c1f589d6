import type { RequestLogEntry } from './types.js';

const MAX_ENTRIES = 10_000;

/** Every answered request (the newest 10 000) and a count of all of them. */
export class RequestLog {
  readonly #entries: RequestLogEntry[] = [];
  #count = 0;

  record(entry: RequestLogEntry): void {
    this.#count++;
    this.#entries.push(entry);
    if (this.#entries.length > MAX_ENTRIES) this.#entries.splice(0, this.#entries.length - MAX_ENTRIES);
  }

  entries(): RequestLogEntry[] {
    return this.#entries.map((e) => ({ ...e }));
  }

  count(): number {
    return this.#count;
  }
}
