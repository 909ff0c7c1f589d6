// Small media files built byte by byte, valid in structure, padded to a wanted size where the
// format allows (PNG ancillary chunk, GIF comment extension, MP4 mdat box, JPEG COM segments).
import { createWriteStream } from 'node:fs';
import { deflateSync } from 'node:zlib';

function crc32(buf: Buffer): number {
  let c = ~0 >>> 0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A w×h PNG (RGB, a colour gradient), padded with an ancillary chunk to at least `size` bytes. */
export function png(size = 0, w = 8, h = 8): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++)
      row.set([(x * 255) / Math.max(1, w - 1), (y * 255) / Math.max(1, h - 1), 160], 1 + x * 3);
    rows.push(row);
  }
  const parts = [
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows))),
  ];
  const end = pngChunk('IEND', Buffer.alloc(0));
  const base = parts.reduce((n, b) => n + b.length, 0) + end.length;
  if (size > base) parts.push(pngChunk('twPd', Buffer.alloc(Math.max(0, size - base - 12), 0x5a)));
  return Buffer.concat([...parts, end]);
}

/** A JPEG's structure: SOI, APP0 (JFIF), COM padding segments, EOI; at least `size` bytes. */
export function jpeg(size = 0): Buffer {
  const app0 = Buffer.from([
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
  ]);
  const parts = [Buffer.from([0xff, 0xd8]), app0];
  let total = 2 + app0.length + 2;
  while (total < size) {
    const len = Math.min(65533, Math.max(2, size - total - 2));
    const seg = Buffer.alloc(2 + len, 0x20);
    seg[0] = 0xff;
    seg[1] = 0xfe;
    seg.writeUInt16BE(len, 2);
    parts.push(seg);
    total += seg.length;
  }
  parts.push(Buffer.from([0xff, 0xd9]));
  return Buffer.concat(parts);
}

const GIF_FRAME = Buffer.from([
  0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02,
  0x02, 0x44, 0x01, 0x00,
]);

/** A 1×1 GIF89a with `frames` images (more than one: animated), padded with comment extensions. */
export function gif(frames = 1, size = 0): Buffer {
  const header = Buffer.from([
    ...Buffer.from('GIF89a', 'latin1'),
    0x01,
    0x00,
    0x01,
    0x00,
    0x80,
    0x00,
    0x00,
    0xff,
    0xff,
    0xff,
    0x00,
    0x00,
    0x00,
  ]);
  const parts = [header];
  for (let i = 0; i < frames; i++) parts.push(GIF_FRAME);
  let total = header.length + frames * GIF_FRAME.length + 1;
  if (size > total + 3) {
    const pad: number[] = [0x21, 0xfe];
    let left = size - total - 3;
    const blocks: Buffer[] = [Buffer.from(pad)];
    while (left > 0) {
      const n = Math.min(255, Math.max(1, left - 1));
      blocks.push(Buffer.from([n]), Buffer.alloc(n, 0x2e));
      left -= n + 1;
    }
    blocks.push(Buffer.from([0]));
    parts.splice(1, 0, Buffer.concat(blocks));
    total += blocks.reduce((a, b) => a + b.length, 0);
  }
  parts.push(Buffer.from([0x3b]));
  return Buffer.concat(parts);
}

/** An ISO BMFF header (ftyp; brand `qt  ` for MOV) followed by an mdat box of `size` total bytes. */
function ftyp(brand: string): Buffer {
  const box = Buffer.alloc(24);
  box.writeUInt32BE(24, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(brand, 8, 'latin1');
  box.writeUInt32BE(0x200, 12);
  box.write(brand, 16, 'latin1');
  box.write('mp41', 20, 'latin1');
  return box;
}

/** Writes an MP4 (or MOV) of exactly `size` bytes to `path`, 1 MiB at a time (no large buffer). */
export async function writeVideo(path: string, size: number, brand: 'isom' | 'qt  ' = 'isom'): Promise<void> {
  const head = ftyp(brand);
  const mdat = Buffer.alloc(8);
  mdat.writeUInt32BE(size - head.length, 0);
  mdat.write('mdat', 4, 'latin1');
  const out = createWriteStream(path);
  const chunk = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + 7) & 0xff;
  const write = (b: Buffer) =>
    new Promise<void>(
      (resolve, reject) => (out.write(b) ? resolve() : out.once('drain', resolve), out.once('error', reject)),
    );
  await write(Buffer.concat([head, mdat]));
  let left = size - head.length - mdat.length;
  while (left > 0) {
    const n = Math.min(left, chunk.length);
    await write(n === chunk.length ? chunk : chunk.subarray(0, n));
    left -= n;
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/**
 * A small "fast start" MP4 whose movie header says it lasts `seconds`: ftyp, then moov holding a
 * version-0 mvhd (timescale 1000), then mdat up to `size` bytes.
 */
export function mp4Lasting(seconds: number, size = 3000): Buffer {
  const mvhd = Buffer.alloc(8 + 100);
  mvhd.writeUInt32BE(mvhd.length, 0);
  mvhd.write('mvhd', 4, 'latin1');
  mvhd.writeUInt32BE(1000, 8 + 4 + 8); // version/flags, creation, modification, then timescale
  mvhd.writeUInt32BE(Math.round(seconds * 1000), 8 + 4 + 12);
  const moov = Buffer.concat([Buffer.alloc(8), mvhd]);
  moov.writeUInt32BE(moov.length, 0);
  moov.write('moov', 4, 'latin1');
  const head = Buffer.concat([ftyp('isom'), moov]);
  const mdat = Buffer.alloc(Math.max(8, size - head.length), 0x22);
  mdat.writeUInt32BE(mdat.length, 0);
  mdat.write('mdat', 4, 'latin1');
  return Buffer.concat([head, mdat]);
}

/** A small MP4 in memory. */
export function mp4(size = 64, brand: 'isom' | 'qt  ' = 'isom'): Buffer {
  const head = ftyp(brand);
  const mdat = Buffer.alloc(Math.max(8, size - head.length), 0x11);
  mdat.writeUInt32BE(mdat.length, 0);
  mdat.write('mdat', 4, 'latin1');
  return Buffer.concat([head, mdat]);
}
