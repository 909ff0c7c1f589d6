/** X's epoch for snowflake ids (2010-11-04T01:42:54.657Z). */
const TWEPOCH = 1288834974657n;

/**
 * Snowflake-style ids (time << 22 | sequence), strictly increasing. They exceed 2^53 like real
 * ones, so a client that reads v1.1's numeric "id" instead of "id_str" loses precision, as with X.
 */
export class TweetIdGenerator {
  #last = 0n;

  next(nowMs: number): string {
    let id = (BigInt(Math.max(0, Math.floor(nowMs))) - TWEPOCH) << 22n;
    if (id <= this.#last) id = this.#last + 1n;
    this.#last = id;
    return id.toString();
  }
}
