import { request } from 'node:http';
import { sign, SANDBOX_CONSUMER, type Token } from './oauth-client.js';

export interface PartialAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Body bytes received within `waitMs` after the headers. */
  received: string;
  /** Whether the body completed within that time. */
  ended: boolean;
  /** Whether the connection was closed before the body ended, within that time. */
  closed: boolean;
}

/**
 * Sends a signed POST /2/tweets and watches the answer for `waitMs` after the headers, without
 * waiting for an end that may never come; then abandons the request.
 */
export function watchTweet(port: number, token: Token, text: string, waitMs = 150): Promise<PartialAnswer> {
  const signed = sign({ method: 'POST', url: `http://127.0.0.1:${port}/2/tweets`, consumer: SANDBOX_CONSUMER, token });
  const body = JSON.stringify({ text });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/2/tweets',
        agent: false,
        headers: {
          authorization: signed.header,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
        },
      },
      (res) => {
        const answer: PartialAnswer = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          received: '',
          ended: false,
          closed: false,
        };
        res.setEncoding('utf8');
        res.on('data', (c: string) => (answer.received += c));
        res.on('end', () => (answer.ended = true));
        res.on('error', () => {});
        const finish = (): void => {
          clearTimeout(timer);
          resolve({ ...answer });
          req.destroy();
        };
        const timer = setTimeout(finish, waitMs);
        res.on('close', () => {
          answer.closed = !answer.ended;
          if (!answer.ended) finish();
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
