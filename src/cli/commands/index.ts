// The registry of twauth's commands: one line each, `export * as <key> from './<file>.js'`, the key
// being the command's name in camelCase ("media upload" → mediaUpload). Adding a command is a
// new file here that exports `spec` and `run` (a group: `spec` only) plus its line below.
// Order does not matter: `twauth --help` lists commands by topic, then name (../registry.ts).
// The build reads these lines (scripts/build.mjs): main.cjs gets only each `spec`, and
// dispatch.cjs loads each command's file when that command runs.
export * as accounts from './accounts.js';
export * as api from './api.js';
export * as completion from './completion.js';
export * as delete from './delete.js';
export * as doctor from './doctor.js';
export * as environment from './environment.js';
export * as exitCodes from './exit-codes.js';
export * as login from './login.js';
export * as logout from './logout.js';
export * as media from './media.js';
export * as mediaUpload from './media-upload.js';
export * as sandbox from './sandbox.js';
export * as sandboxApprove from './sandbox-approve.js';
export * as sandboxRun from './sandbox-run.js';
export * as sign from './sign.js';
export * as status from './status.js';
export * as switch from './switch.js';
export * as thread from './thread.js';
export * as token from './token.js';
export * as tweet from './tweet.js';
export * as whoami from './whoami.js';
