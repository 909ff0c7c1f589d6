import type { UploadProgress } from '../api/media/upload-media.js';

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * The one-line progress of an upload on stderr: bytes sent / total, percent and rate, then
 * "processing n%". Only started on a terminal without NO_COLOR (Io.fancy); redrawn at most ten
 * times a second; `done` clears the line so the result is what stays on screen.
 */
export function uploadProgressLine(
  write: (s: string) => void,
  label: string,
  now: () => number = Date.now,
): { update(p: UploadProgress): void; done(): void } {
  const started = now();
  let last = 0;
  let shown = false;
  const draw = (text: string, force: boolean) => {
    const t = now();
    if (!force && t - last < 100) return;
    last = t;
    shown = true;
    write(`\r\x1b[2K${label}  ${text}`);
  };
  return {
    update(p) {
      if (p.phase === 'upload') {
        const seconds = Math.max(0.001, (now() - started) / 1000);
        const percent = p.total ? Math.floor((p.sent / p.total) * 100) : 100;
        draw(`${mb(p.sent)} / ${mb(p.total)}  ${percent}%  ${mb(p.sent / seconds)}/s`, p.sent === p.total);
      } else {
        draw(`processing ${p.percent ?? 0}%`, true);
      }
    },
    done() {
      if (shown) write('\r\x1b[2K');
    },
  };
}
