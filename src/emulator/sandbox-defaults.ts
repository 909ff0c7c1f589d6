import type { EmulatorApp, EmulatorUser } from './types.js';

/** The app `twauth sandbox` logs into; its callback allows any loopback port, as twauth picks a free one. */
export const SANDBOX_APP: EmulatorApp = Object.freeze({
  consumerKey: 'sandbox-consumer-key',
  consumerSecret: 'sandbox-consumer-secret',
  name: 'twauth sandbox',
  callbacks: Object.freeze(['http://127.0.0.1:*/callback']) as string[],
  access: 'read-write',
}) as EmulatorApp;

/** Frozen, like SANDBOX_APP, so no caller can change another emulator's defaults. */
export const SANDBOX_USERS: EmulatorUser[] = Object.freeze([
  Object.freeze({ id: '1000000001', username: 'sandbox_alice', name: 'Alice Sandbox' }),
  Object.freeze({ id: '1000000002', username: 'sandbox_bob', name: 'Bob Sandbox' }),
  Object.freeze({ id: '1000000003', username: 'sandbox_carol', name: 'Carol Sandbox' }),
]) as EmulatorUser[];
