import { WireError } from './signature.js';
import { WireReader } from './wire-reader.js';
import { WireWriter } from './wire-writer.js';

// D-Bus specification, "Message Format": a 16-byte fixed header, header fields a(yv), padding to
// 8, the body.
export const MESSAGE_TYPE = { methodCall: 1, methodReturn: 2, error: 3, signal: 4 } as const;
const FIELD = {
  path: 1,
  interface: 2,
  member: 3,
  errorName: 4,
  replySerial: 5,
  destination: 6,
  sender: 7,
  signature: 8,
} as const;
/** Far above anything a secret lookup is sent; a bigger frame means a confused peer. */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export interface MethodCall {
  readonly destination: string;
  readonly path: string;
  readonly interface: string;
  readonly member: string;
  readonly signature?: string;
  readonly body?: readonly unknown[];
}

export interface Message {
  readonly type: number;
  readonly serial: number;
  readonly replySerial: number | undefined;
  readonly errorName: string | undefined;
  readonly signature: string;
  /** Reads the body by its signature: only for the replies we wait for, so that a signal of a
   * type we do not read cannot break the connection. */
  body(): unknown[];
}

export function encodeMethodCall(call: MethodCall, serial: number): Buffer {
  const body = new WireWriter();
  if (call.signature) body.write(call.signature, call.body ?? []);
  const fields: [number, { signature: string; value: unknown }][] = [
    [FIELD.path, { signature: 'o', value: call.path }],
    [FIELD.interface, { signature: 's', value: call.interface }],
    [FIELD.member, { signature: 's', value: call.member }],
    [FIELD.destination, { signature: 's', value: call.destination }],
  ];
  if (call.signature) fields.push([FIELD.signature, { signature: 'g', value: call.signature }]);
  const head = new WireWriter();
  head.write('yyyyuua(yv)', ['l'.charCodeAt(0), MESSAGE_TYPE.methodCall, 0, 1, body.length, serial, fields]);
  head.align(8);
  return Buffer.concat([head.bytes(), body.bytes()]);
}

/** The length of the first message in `buf`, or undefined until all of its header is there. */
export function frameLength(buf: Buffer): number | undefined {
  if (buf.length < 16) return undefined;
  const little = endianness(buf[0]!);
  const bodyLength = little ? buf.readUInt32LE(4) : buf.readUInt32BE(4);
  const fieldsLength = little ? buf.readUInt32LE(12) : buf.readUInt32BE(12);
  const total = 16 + fieldsLength + ((8 - (fieldsLength % 8)) % 8) + bodyLength;
  if (total > MAX_MESSAGE_BYTES) throw new WireError(`a ${total}-byte D-Bus message: not a session bus talking`);
  return total;
}

export function decodeMessage(buf: Buffer): Message {
  const little = endianness(buf[0]!);
  const reader = new WireReader(buf, 0, little);
  const [, type, , version, , serial, fields] = reader.read('yyyyuua(yv)') as [
    number,
    number,
    number,
    number,
    number,
    number,
    [number, { value: unknown }][],
  ];
  if (version !== 1) throw new WireError(`D-Bus protocol version ${version} is not supported`);
  const field = (code: number) => fields.find(([c]) => c === code)?.[1].value;
  reader.align(8);
  const signature = (field(FIELD.signature) as string | undefined) ?? '';
  return {
    type,
    serial,
    replySerial: field(FIELD.replySerial) as number | undefined,
    errorName: field(FIELD.errorName) as string | undefined,
    signature,
    body: () => (signature ? reader.read(signature) : []),
  };
}

function endianness(first: number): boolean {
  if (first === 0x6c) return true; // 'l'
  if (first === 0x42) return false; // 'B'
  throw new WireError('not a D-Bus message (bad byte-order mark)');
}
