/**
 * A video's length in seconds from its movie header (ISO/IEC 14496-12 §8.2.2 `mvhd`: timescale
 * and duration), when the `moov` box comes before the media data within `head` (a "fast start"
 * file); undefined when it is not there. X refuses a video longer than the account may post
 * while processing it (X API v2 "Media upload": processing_info.state "failed").
 */
export function mp4DurationSeconds(head: Buffer): number | undefined {
  const moov = findBox(head, 0, head.length, 'moov');
  if (!moov) return undefined;
  const mvhd = findBox(head, moov.start, moov.end, 'mvhd');
  if (!mvhd) return undefined;
  const version = head[mvhd.start];
  const at = mvhd.start + 4; // version and flags
  if (version === 0 && mvhd.end - at >= 16) return ratio(head.readUInt32BE(at + 12), head.readUInt32BE(at + 8));
  if (version === 1 && mvhd.end - at >= 28)
    return ratio(Number(head.readBigUInt64BE(at + 20)), head.readUInt32BE(at + 16));
  return undefined;
}

function ratio(duration: number, timescale: number): number | undefined {
  return timescale > 0 ? duration / timescale : undefined;
}

/** The payload range of the first box of `type` among the boxes in [from, to). */
function findBox(buf: Buffer, from: number, to: number, type: string): { start: number; end: number } | undefined {
  let at = from;
  while (at + 8 <= to) {
    const size = buf.readUInt32BE(at);
    const name = buf.toString('latin1', at + 4, at + 8);
    if (size < 8) return undefined; // 0 (to the end) and 1 (64-bit) do not occur before moov here
    if (name === type) return { start: at + 8, end: Math.min(at + size, to) };
    at += size;
  }
  return undefined;
}
