import { STATUS_CODES } from 'node:http';
import type { HttpResponse } from '../api/http-transport.js';

/**
 * `api -i`: the status line and headers before the body, as curl -i and gh api -i show them
 * (x-rate-limit-limit / -remaining / -reset included). X's header values are cleaned of control
 * characters: they reach a terminal.
 */
export function statusAndHeaders(r: Pick<HttpResponse, 'status' | 'headers'>): string {
  // eslint-disable-next-line no-control-regex
  const clean = (s: string) => s.replace(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/g, '?');
  const lines = [`HTTP/1.1 ${r.status} ${STATUS_CODES[r.status] ?? ''}`.trimEnd()];
  for (const name of Object.keys(r.headers).sort()) lines.push(`${clean(name)}: ${clean(r.headers[name]!)}`);
  // A blank line ends the headers, as in HTTP itself (and curl -i).
  return lines.join('\n') + '\n\n';
}
