import type { CommandSpec, GroupSpec } from './command-spec.js';
import * as accounts from './commands/accounts.js';
import * as api from './commands/api.js';
import * as completion from './commands/completion.js';
import * as deletePosts from './commands/delete.js';
import * as doctor from './commands/doctor.js';
import * as exitCodes from './commands/exit-codes.js';
import * as login from './commands/login.js';
import * as logout from './commands/logout.js';
import * as media from './commands/media.js';
import * as mediaUpload from './commands/media-upload.js';
import * as sandbox from './commands/sandbox.js';
import * as sandboxApprove from './commands/sandbox-approve.js';
import * as sandboxRun from './commands/sandbox-run.js';
import * as sign from './commands/sign.js';
import * as status from './commands/status.js';
import * as thread from './commands/thread.js';
import * as switchAccount from './commands/switch.js';
import * as token from './commands/token.js';
import * as tweet from './commands/tweet.js';
import * as whoami from './commands/whoami.js';

/**
 * Every command's declaration, in the order of `twauth --help` (a group before its commands).
 * Adding a command: a file in ./commands/ that exports `spec` and `run`, and one line here.
 *
 * Only `spec` is read here: this module is part of the command-line bundle, from which the
 * build drops every `run` and what it imports (test/e2e/startup-guard.test.ts checks it);
 * dispatch.ts loads the file of the command that runs.
 */
export const COMMANDS = [
  login.spec,
  whoami.spec,
  tweet.spec,
  media.spec,
  mediaUpload.spec,
  thread.spec,
  deletePosts.spec,
  api.spec,
  sign.spec,
  accounts.spec,
  switchAccount.spec,
  status.spec,
  logout.spec,
  token.spec,
  sandbox.spec,
  sandboxRun.spec,
  sandboxApprove.spec,
  doctor.spec,
  completion.spec,
  exitCodes.spec,
] as const satisfies readonly (CommandSpec | GroupSpec)[];

/** The words of a command that runs ("tweet", "sandbox approve"). */
export type CommandName = Exclude<(typeof COMMANDS)[number], GroupSpec>['name'];
