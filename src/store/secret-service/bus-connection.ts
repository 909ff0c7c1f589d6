import type { Socket } from 'node:net';
import { printable } from '../../text/printable.js';
import { decodeMessage, encodeMethodCall, frameLength, MESSAGE_TYPE, type MethodCall } from './message.js';

/**
 * An error reply from the bus or a service, e.g. org.freedesktop.DBus.Error.ServiceUnknown. Its
 * name and text come from whatever answers on the bus, so the message is cleaned and bounded
 * here, once: it ends up in what twauth prints.
 */
export class DBusError extends Error {
  override readonly name = 'DBusError';
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message ? `${printable(errorName, 120)}: ${printable(message)}` : printable(errorName, 120));
  }
}

/** A reply that cannot be read, or not of the type the call answers with: a broken or hostile peer. */
export class MalformedReplyError extends Error {
  override readonly name = 'MalformedReplyError';
}

/** The bus could not be reached or talked to (no socket, refused, closed, cut off). */
export class BusConnectionError extends Error {
  override readonly name = 'BusConnectionError';
}

/**
 * A client connection to a D-Bus message bus over a Unix socket: SASL EXTERNAL authentication
 * (D-Bus specification, "Authentication Protocol"), Hello, then method calls answered by serial.
 * Signals and calls addressed to us are ignored. close() fails every pending call at once, so a
 * caller's deadline never waits on a service that does not answer.
 *
 * The handshake is pipelined, as systemd's sd-bus client does: AUTH, BEGIN and Hello go out in
 * one write as soon as the socket connects (the bus reads the authentication commands in order
 * and, after BEGIN, the messages: D-Bus specification, "Authentication Protocol"; Hello comes
 * first). Calls wait for Hello's answer: sent right behind it, a SearchItems was answered by
 * gnome-keyring with UnknownMethod ("not implemented on interface org.freedesktop.Secret.Service")
 * in 1 of ~400 reads under load. If the bus refuses the authentication, or answers Hello with an
 * error, open() fails with that error.
 */
export class BusConnection {
  private serial = 0;
  private readonly pending = new Map<
    number,
    { resolve: (body: unknown[]) => void; reject: (err: Error) => void; replySignature: string | undefined }
  >();
  private buffer: Buffer = Buffer.alloc(0);
  private closed: Error | undefined;

  private constructor(private readonly socket: Socket) {}

  /**
   * Connects to the first of `paths` that answers, and sends the handshake (authentication as
   * this process's user, then Hello) in one write; resolves once Hello is answered.
   */
  static async open(paths: readonly string[]): Promise<BusConnection> {
    let lastError: Error | undefined;
    for (const path of paths) {
      let socket: Socket;
      try {
        socket = await connect(path);
      } catch (err) {
        lastError = err as Error;
        continue;
      }
      const conn = new BusConnection(socket);
      conn.authenticate();
      try {
        // A refused authentication fails this call too (close() fails every pending call).
        await conn.call(
          {
            destination: 'org.freedesktop.DBus',
            path: '/org/freedesktop/DBus',
            interface: 'org.freedesktop.DBus',
            member: 'Hello',
          },
          's',
        );
        return conn;
      } catch (err) {
        conn.close(err as Error);
        throw err;
      }
    }
    throw new BusConnectionError(
      `cannot connect to the session bus (${(lastError as NodeJS.ErrnoException | undefined)?.code ?? lastError?.message ?? 'no address'})`,
    );
  }

  /** `replySignature`: the type the answer must have (the Secret Service API's "out" arguments). */
  call(call: MethodCall, replySignature?: string): Promise<unknown[]> {
    if (this.closed) return Promise.reject(this.closed);
    const serial = ++this.serial;
    return new Promise((resolve, reject) => {
      this.pending.set(serial, { resolve, reject, replySignature });
      this.socket.write(encodeMethodCall(call, serial));
    });
  }

  /** Ends the connection; pending calls fail with `reason`. */
  close(reason: Error = new BusConnectionError('the session bus connection was closed')): void {
    if (this.closed) return;
    this.closed = reason;
    this.socket.destroy();
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
  }

  /** Sends AUTH and BEGIN; reads the server's answer before any message (see the class comment). */
  private authenticate(): void {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n');
      if (end < 0) {
        if (text.length > 512) fail(new BusConnectionError('the session bus sent no authentication answer'));
        return;
      }
      this.socket.off('data', onData);
      this.socket.off('close', onClose);
      const line = text.slice(0, end);
      if (!line.startsWith('OK '))
        return fail(new BusConnectionError(`the session bus refused authentication (${printable(line, 80)})`));
      this.buffer = Buffer.from(text.slice(end + 2), 'latin1');
      this.socket.on('data', (d: Buffer) => this.receive(d));
      this.socket.on('close', () => this.close(new BusConnectionError('the session bus closed the connection')));
      if (this.buffer.length) this.receive(Buffer.alloc(0));
    };
    const onClose = () => fail(new BusConnectionError('the session bus closed the connection during authentication'));
    const fail = (err: Error) => this.close(err);
    this.socket.on('data', onData);
    this.socket.on('close', onClose);
    // The credentials travel with the socket (SO_PEERCRED); the bus checks them against this uid.
    const uid = process.getuid?.() ?? 0;
    this.socket.write(`\0AUTH EXTERNAL ${Buffer.from(String(uid), 'ascii').toString('hex')}\r\nBEGIN\r\n`);
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    try {
      for (
        let length = frameLength(this.buffer);
        length !== undefined && this.buffer.length >= length;
        length = frameLength(this.buffer)
      ) {
        const message = decodeMessage(this.buffer.subarray(0, length));
        this.buffer = this.buffer.subarray(length);
        if (message.type !== MESSAGE_TYPE.methodReturn && message.type !== MESSAGE_TYPE.error) continue;
        const waiter = message.replySerial === undefined ? undefined : this.pending.get(message.replySerial);
        if (!waiter) continue;
        // The body is read while the waiter is still pending: a reply that cannot be read fails
        // its call (through close() below, with every other pending call), never leaves it unsettled.
        let body: unknown[];
        try {
          body = message.body();
        } catch (err) {
          throw new MalformedReplyError(`the Secret Service sent a malformed reply (${(err as Error).message})`);
        }
        if (
          message.type === MESSAGE_TYPE.methodReturn &&
          waiter.replySignature !== undefined &&
          message.signature !== waiter.replySignature
        ) {
          throw new MalformedReplyError(
            `the Secret Service answered with type "${message.signature.slice(0, 40).replace(/[^a-z(){}]/gi, '?')}" where "${waiter.replySignature}" was expected`,
          );
        }
        this.pending.delete(message.replySerial!);
        if (message.type === MESSAGE_TYPE.methodReturn) waiter.resolve(body);
        else
          waiter.reject(
            new DBusError(
              message.errorName ?? 'org.freedesktop.DBus.Error.Failed',
              typeof body[0] === 'string' ? body[0] : '',
            ),
          );
      }
    } catch (err) {
      this.close(
        err instanceof MalformedReplyError
          ? err
          : new MalformedReplyError(`the session bus sent a malformed message (${(err as Error).message})`),
      );
    }
  }
}

async function connect(path: string): Promise<Socket> {
  // node:net on first use: commands that never read the keychain (or send a request) skip it.
  const { createConnection } = await import('node:net');
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => {}); // 'close' follows and is handled
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
