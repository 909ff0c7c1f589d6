// A session-bus proxy that holds a keychain write in progress for as long as a test wants: every
// connection is passed through to a real bus byte for byte, until the client sends a Secret Service
// CreateItem call. From then on that connection's replies are held back (never delivered), so the
// item is really written by the keyring while the writer sits waiting for the answer, with no
// timing involved: a state the test can observe (holds()) and act on (a signal, a kill) at leisure.
import { rm } from 'node:fs/promises';
import { createConnection, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { atFileEnd } from './cleanup.js';
import { makeTempDir } from './session-bus.js';

export interface HoldingBusProxy {
  /** DBUS_SESSION_BUS_ADDRESS pointing at the proxy, to merge into a child's env. */
  env: Record<string, string>;
  /** How many connections have sent CreateItem and are being held (their replies withheld). */
  holds(): number;
  stop(): Promise<void>;
}

const MEMBER = Buffer.from('CreateItem\0', 'latin1');

/** `address` is the real bus's DBUS_SESSION_BUS_ADDRESS (unix:path=...). */
export async function startHoldingBusProxy(address: string): Promise<HoldingBusProxy> {
  const m = /^unix:path=([^,;]+)/.exec(address);
  if (!m) throw new Error(`the proxy needs a unix:path= bus address (got ${address})`);
  const upstreamPath = m[1]!;
  const dir = await makeTempDir('twauth-holdbus-');
  const socketPath = join(dir, 'bus');
  const sockets = new Set<Socket>();
  let held = 0;
  const server = createServer((client) => {
    const upstream = createConnection(upstreamPath);
    sockets.add(client).add(upstream);
    let holding = false;
    let tail = Buffer.alloc(0); // the last bytes seen, so a name split across two chunks is found
    client.on('data', (d: Buffer) => {
      if (!holding) {
        const seen = Buffer.concat([tail, d]);
        if (seen.includes(MEMBER)) {
          holding = true;
          held++;
        }
        tail = seen.subarray(Math.max(0, seen.length - MEMBER.length));
      }
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (!holding) client.write(d);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }).then(() => rm(dir, { recursive: true, force: true }));
    return stopped;
  };
  atFileEnd(stop);
  return { env: { DBUS_SESSION_BUS_ADDRESS: `unix:path=${socketPath}` }, holds: () => held, stop };
}
