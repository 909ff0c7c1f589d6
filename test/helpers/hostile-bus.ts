// A hostile "session bus" for one test: a Unix socket that speaks just enough D-Bus (SASL OK,
// an answer to Hello) to be taken for a bus with a Secret Service on it, then answers the Secret
// Service calls the way a broken or malicious peer would. It plays the bus and the service at
// once, so no dbus-daemon is needed. Replies are built by hand here (not with twauth's writer) so
// that they can be wrong in ways twauth's own encoder would refuse to produce.
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { atFileEnd } from './cleanup.js';
import { makeTempDir } from './session-bus.js';

export type HostileMode =
  /** Every Secret Service call gets a reply whose body ends before its declared array does. */
  | 'truncated'
  /** Every Secret Service call gets a well-formed reply of the wrong type (a string). */
  | 'wrong-type'
  /** Secret Service calls are read and never answered; the connection stays open. */
  | 'silent'
  /** Nothing is ever answered, not even the authentication: shows what a client sends unasked. */
  | 'mute'
  /**
   * The first SearchItems is answered with the error UnknownMethod (as gnome-keyring once did
   * to a new connection), later ones with no item found; OpenSession with AccessDenied.
   */
  | 'unknown-method-once';

export interface HostileBus {
  /** DBUS_SESSION_BUS_ADDRESS, to merge into a child's env. */
  env: Record<string, string>;
  /** How many Secret Service calls arrived (proof that twauth asked this bus). */
  calls(): number;
  /** The member of every method call that arrived, Hello included, in order. */
  members(): string[];
  stop(): Promise<void>;
}

const pad = (n: number, to: number) => (to - (n % to)) % to;

function stringField(code: number, sig: string, value: string): Buffer {
  // (yv): code, signature of the variant, the value (s: uint32 length, bytes, NUL; g: byte length).
  const parts: Buffer[] = [Buffer.from([code, 1, sig.charCodeAt(0), 0])];
  const bytes = Buffer.from(value, 'utf8');
  if (sig === 'g') parts.push(Buffer.from([bytes.length]), bytes, Buffer.from([0]));
  else {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(bytes.length);
    parts.push(len, bytes, Buffer.from([0]));
  }
  return Buffer.concat(parts);
}

/**
 * A method return to `replySerial` with the given body signature and raw body bytes; with
 * `errorName`, an error reply of that name instead.
 */
function methodReturn(
  serial: number,
  replySerial: number,
  signature: string,
  body: Buffer,
  errorName?: string,
): Buffer {
  const fields: Buffer[] = [];
  let length = 0;
  const add = (b: Buffer) => {
    const p = Buffer.alloc(pad(length, 8));
    fields.push(p, b);
    length += p.length + b.length;
  };
  const rs = Buffer.from([5, 1, 'u'.charCodeAt(0), 0, 0, 0, 0, 0]);
  rs.writeUInt32LE(replySerial, 4);
  add(rs);
  if (errorName) add(stringField(4, 's', errorName));
  if (signature) add(stringField(8, 'g', signature));
  const head = Buffer.alloc(16);
  head.write('l', 0, 'latin1');
  head[1] = errorName ? 3 : 2; // error, or method return
  head[2] = 0;
  head[3] = 1;
  head.writeUInt32LE(body.length, 4);
  head.writeUInt32LE(serial, 8);
  head.writeUInt32LE(length, 12);
  return Buffer.concat([head, ...fields, Buffer.alloc(pad(16 + length, 8)), body]);
}

function sString(text: string): Buffer {
  const b = Buffer.from(text, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(b.length);
  return Buffer.concat([len, b, Buffer.from([0])]);
}

/** Reads the serial and member of each complete method call in `buf` (little-endian only). */
function takeMessages(buf: Buffer): { rest: Buffer; calls: { serial: number; member: string }[] } {
  const calls: { serial: number; member: string }[] = [];
  while (buf.length >= 16) {
    const bodyLength = buf.readUInt32LE(4);
    const fieldsLength = buf.readUInt32LE(12);
    const total = 16 + fieldsLength + pad(fieldsLength, 8) + bodyLength;
    if (buf.length < total) break;
    const serial = buf.readUInt32LE(8);
    // The member name: header field 3 (s). A scan is enough for the calls twauth sends.
    let member = '';
    for (let at = 16; at < 16 + fieldsLength; ) {
      at += pad(at, 8);
      const code = buf[at]!;
      const sigLen = buf[at + 1]!;
      const sig = buf.toString('latin1', at + 2, at + 2 + sigLen);
      let p = at + 3 + sigLen;
      if (sig === 'g') {
        p += 1 + buf[p]! + 1;
      } else if (sig === 'u') {
        p += pad(p, 4) + 4;
      } else {
        p += pad(p, 4);
        const len = buf.readUInt32LE(p);
        if (code === 3) member = buf.toString('utf8', p + 4, p + 4 + len);
        p += 4 + len + 1;
      }
      at = p;
    }
    calls.push({ serial, member });
    buf = buf.subarray(total);
  }
  return { rest: buf, calls };
}

export async function startHostileBus(mode: HostileMode): Promise<HostileBus> {
  const dir = await makeTempDir('twauth-hbus-');
  const path = join(dir, 'bus');
  const sockets = new Set<Socket>();
  let secretCalls = 0;
  const members: string[] = [];
  let serial = 1000;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let authed = false;
    let text = '';
    let buf: Buffer = Buffer.alloc(0);
    socket.on('data', (input: Buffer) => {
      let chunk: Buffer = input;
      if (!authed) {
        text += chunk.toString('latin1');
        if (mode !== 'mute' && text.includes('AUTH EXTERNAL') && text.includes('\r\n') && !text.includes('OK-SENT')) {
          socket.write('OK 0123456789abcdef0123456789abcdef\r\n');
          text += 'OK-SENT';
        }
        const begin = text.indexOf('BEGIN\r\n');
        if (begin < 0) return;
        authed = true;
        chunk = Buffer.from(text.slice(begin + 7).replace('OK-SENT', ''), 'latin1');
      }
      buf = Buffer.concat([buf, chunk]);
      const { rest, calls } = takeMessages(buf);
      buf = rest;
      for (const call of calls) {
        members.push(call.member);
        if (mode === 'mute') continue;
        if (call.member === 'Hello') {
          socket.write(methodReturn(++serial, call.serial, 's', sString(':1.42')));
          continue;
        }
        secretCalls++;
        if (mode === 'silent') continue;
        if (mode === 'unknown-method-once') {
          const unknown = 'org.freedesktop.DBus.Error.UnknownMethod';
          if (call.member === 'SearchItems' && members.filter((m) => m === 'SearchItems').length === 1)
            socket.write(
              methodReturn(++serial, call.serial, 's', sString('Method SearchItems is not implemented'), unknown),
            );
          else if (call.member === 'SearchItems')
            socket.write(methodReturn(++serial, call.serial, 'aoao', Buffer.alloc(8)));
          else
            socket.write(
              methodReturn(++serial, call.serial, 's', sString('no'), 'org.freedesktop.DBus.Error.AccessDenied'),
            );
          continue;
        }
        if (mode === 'wrong-type') {
          socket.write(methodReturn(++serial, call.serial, 's', sString('not what you asked for')));
          continue;
        }
        // 'truncated': an array of object paths declared 64 KiB long, of which 4 bytes follow.
        const body = Buffer.alloc(8);
        body.writeUInt32LE(0x10000, 0);
        const sig = call.member === 'SearchItems' ? 'aoao' : call.member === 'OpenSession' ? 'vo' : '(oayays)';
        socket.write(methodReturn(++serial, call.serial, sig, body));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }));
  atFileEnd(stop);
  return {
    env: { DBUS_SESSION_BUS_ADDRESS: `unix:path=${path}` },
    calls: () => secretCalls,
    members: () => [...members],
    stop,
  };
}
