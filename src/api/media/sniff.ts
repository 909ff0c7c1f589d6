import type { MediaFormat } from './media-kind.js';

/** How many leading bytes sniffFormat needs. */
export const SNIFF_BYTES = 16;

function ascii(bytes: Uint8Array, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * The format read from a file's first bytes (its "magic number"), never from its name:
 * JPEG starts with an SOI marker and another marker (FF D8 FF, ITU T.81 B.1.1.3); PNG with its
 * 8-byte signature (PNG spec §5.2); WebP with a RIFF header whose form type is WEBP (RFC 9649 §2);
 * GIF with GIF87a / GIF89a; MP4 and MOV with an `ftyp` box first (ISO/IEC 14496-12 §4.3), MOV
 * being the QuickTime brand `qt  `.
 */
export function sniffFormat(head: Uint8Array): MediaFormat | undefined {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 8 && head[0] === 0x89 && ascii(head, 1, 'PNG\r\n\x1a\n')) return 'png';
  if (head.length >= 12 && ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) return 'webp';
  if (head.length >= 6 && (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a'))) return 'gif';
  if (head.length >= 12 && ascii(head, 4, 'ftyp')) return ascii(head, 8, 'qt  ') ? 'mov' : 'mp4';
  return undefined;
}
