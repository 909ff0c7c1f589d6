// Writes a small PNG (a colour gradient with a diagonal stripe) for the demo to post: built byte
// by byte (PNG spec: signature, IHDR, IDAT with zlib data, IEND; CRC-32 per chunk), no packages.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const [path, size = '96'] = process.argv.slice(2);
if (!path) throw new Error('usage: node scripts/make-demo-image.mjs OUT.png [SIZE]');
const n = Number(size);

const table = Array.from({ length: 256 }, (_, i) => {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
};

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(n, 0);
ihdr.writeUInt32BE(n, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 2; // truecolour
const raw = Buffer.alloc(n * (1 + 3 * n));
for (let y = 0; y < n; y++) {
  const row = y * (1 + 3 * n);
  for (let x = 0; x < n; x++) {
    const stripe = Math.abs(x - y) < n / 12;
    raw.set(stripe ? [255, 255, 255] : [Math.round((255 * x) / n), Math.round((255 * y) / n), 200], row + 1 + 3 * x);
  }
}
writeFileSync(
  path,
  Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]),
);
