import type { FileHandle } from 'node:fs/promises';
import { ByteReader } from './byte-reader.js';

export type GifShape = 'still' | 'animated' | 'malformed';

/**
 * Whether a GIF holds more than one image (GIF89a spec §17–§27): walks the blocks after the
 * logical screen descriptor, skipping extensions and image data sub-block by sub-block, and stops
 * at the second image descriptor. A single-frame GIF goes up as an image (tweet_image), an
 * animated one as tweet_gif.
 */
export async function gifShape(handle: FileHandle): Promise<GifShape> {
  const r = new ByteReader(handle, 10);
  const packed = await r.byte();
  if (packed < 0 || !(await r.skip(2))) return 'malformed';
  if (packed & 0x80 && !(await r.skip(3 * 2 ** ((packed & 0x07) + 1)))) return 'malformed';
  let images = 0;
  for (;;) {
    const block = await r.byte();
    if (block === 0x3b) return images > 0 ? 'still' : 'malformed'; // trailer
    if (block === 0x21) {
      // extension: label, then data sub-blocks
      if ((await r.byte()) < 0 || !(await skipSubBlocks(r))) return 'malformed';
    } else if (block === 0x2c) {
      if (++images > 1) return 'animated';
      if (!(await r.skip(8))) return 'malformed';
      const flags = await r.byte();
      if (flags < 0) return 'malformed';
      if (flags & 0x80 && !(await r.skip(3 * 2 ** ((flags & 0x07) + 1)))) return 'malformed';
      if ((await r.byte()) < 0 || !(await skipSubBlocks(r))) return 'malformed'; // LZW code size, data
    } else {
      // The end of the file (or junk) without a trailer: decoders accept what they read so far.
      return images === 1 ? 'still' : 'malformed';
    }
  }
}

async function skipSubBlocks(r: ByteReader): Promise<boolean> {
  for (;;) {
    const size = await r.byte();
    if (size < 0) return false;
    if (size === 0) return true;
    if (!(await r.skip(size))) return false;
  }
}
