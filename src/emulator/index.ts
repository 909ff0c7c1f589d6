// The local X emulator used by `twauth sandbox` and the tests. Re-exports only: importing this
// module does no work.
export type { Emulator, EmulatorApp, EmulatorOptions, EmulatorUser, PostedTweet, RequestLogEntry } from './types.js';
export type { Faults } from './faults.js';
export type { MediaSummary } from './media-store.js';
export type { HeadlessResult } from './headless-user.js';
export { startEmulator } from './server.js';
export { SANDBOX_APP, SANDBOX_USERS } from './sandbox-defaults.js';
export { approveInBrowserless } from './headless-user.js';
