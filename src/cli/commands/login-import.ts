import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { accessToken } from '../../oauth1/index.js';
import {
  readTwurlrc,
  readXurl,
  twurlrcWithout,
  xurlWithout,
  type ImportedCredentials,
  type ImportScan,
} from '../../store/import/index.js';
import { prompts } from '../prompts.js';
import type { Context } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { fetchMe } from '../fetch-me.js';
import { reportError } from '../report-error.js';
import { DEFAULT_API_BASE } from '../settings.js';
import { UsageError } from '../usage-error.js';

/** Another tool's credential file: where it lives, how to read it, and how to write it without them. */
interface Source {
  readonly tool: 'twurl' | 'xurl';
  readonly flag: string;
  readonly defaultName: string;
  readonly read: (text: string) => ImportScan;
  readonly without: (text: string, removed: readonly ImportedCredentials[]) => string;
}

/** Both tools' files are small; anything larger is not one of them. */
const MAX_FILE_BYTES = 1024 * 1024;

function source(which: 'twurl' | 'xurl'): Source {
  return which === 'twurl'
    ? { tool: 'twurl', flag: '--from-twurlrc', defaultName: '.twurlrc', read: readTwurlrc, without: twurlrcWithout }
    : { tool: 'xurl', flag: '--from-xurl', defaultName: '.xurl', read: readXurl, without: xurlWithout };
}

/**
 * `login --from-twurlrc [PATH]` / `--from-xurl [PATH]`: stores the OAuth 1.0a credentials another
 * tool kept, each checked with GET /2/users/me first (a stale token is reported, not stored).
 * Both tools keep them in plain text: afterwards, on a terminal, offer to remove them there.
 */
export async function importCredentials(
  ctx: Context,
  which: 'twurl' | 'xurl',
  pathArg: string | true,
): Promise<number> {
  const src = source(which);
  const path = pathArg === true ? join(ctx.env.HOME || homedir(), src.defaultName) : pathArg;
  const text = readBounded(path, src.flag);
  let scan: ImportScan;
  try {
    scan = src.read(text);
  } catch (err) {
    throw new UsageError(
      `${path} is not a ${src.tool} file twauth can read (${(err as Error).message}); nothing was imported`,
    );
  }
  for (const s of scan.skipped) ctx.io.err(`skipped ${s}`);
  if (scan.found.length === 0) throw new UsageError(`${path} holds no OAuth 1.0a credentials to import`);

  const apiBase = ctx.settings.explicitApiBase ?? DEFAULT_API_BASE;
  const accounts = ctx.accounts();
  const imported: ImportedCredentials[] = [];
  let worst = EXIT.ok as number;
  for (const c of scan.found) {
    const consumer = { key: c.consumerKey, secret: c.consumerSecret };
    const token = accessToken(c.accessToken, c.accessTokenSecret);
    const what = c.screenName ? `@${c.screenName} (app ${c.consumerKey})` : `the entry for app ${c.consumerKey}`;
    try {
      const me = await fetchMe(ctx.client({ consumer, token, apiBase }));
      await accounts.save(
        { userId: me.id, screenName: me.username, consumerKey: c.consumerKey, apiBase },
        { consumerSecret: c.consumerSecret, accessToken: c.accessToken, accessTokenSecret: c.accessTokenSecret },
      );
      ctx.io.err(
        `Imported @${me.username} (id ${me.id}) from ${path}${c.screenName && c.screenName.toLowerCase() !== me.username.toLowerCase() ? ` (recorded there as @${c.screenName})` : ''}`,
      );
      imported.push(c);
    } catch (err) {
      const r = reportError(err);
      ctx.io.err(`not imported: ${what}: ${r.lines.map((l) => l.replace(/^twauth: /, '')).join(' ')}`);
      if (worst === EXIT.ok || r.code === EXIT.auth) worst = r.code;
    }
  }
  if (imported.length === 0) return worst;
  const def = accounts.find();
  if (def) ctx.io.err(`default account is now @${def.screenName}`);
  await offerRemoval(ctx, src, path, text, imported);
  return worst;
}

function readBounded(path: string, flag: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new UsageError(
      `${flag}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  if (size > MAX_FILE_BYTES)
    throw new UsageError(`${flag}: ${path} is larger than ${MAX_FILE_BYTES} bytes: not a credential file`);
  return readFileSync(path, 'utf8');
}

async function offerRemoval(
  ctx: Context,
  src: Source,
  path: string,
  text: string,
  imported: readonly ImportedCredentials[],
): Promise<void> {
  const n = imported.length;
  ctx.io.err(
    `note: ${path} still holds ${n === 1 ? 'this token and its secret' : `these ${n} tokens and their secrets`} in plain text, readable by anything that runs as you.`,
  );
  if (!ctx.io.stdinIsTTY) {
    ctx.io.err(
      `  twauth keeps them in the keychain now; run this again on a terminal to remove them from ${basename(path)}, or remove them yourself.`,
    );
    return;
  }
  const answer = await prompts(ctx.io).askText(
    `Remove the imported credentials from ${path}? ${src.tool} will no longer have them. [y/N]`,
    (v) => (/^(y|yes|n|no|)$/i.test(v.trim()) ? true : 'answer y or n'),
    undefined,
    'answer',
  );
  if (!/^y(es)?$/i.test(answer.trim())) {
    ctx.io.err(`left ${path} as it was`);
    return;
  }
  replaceFile(path, src.without(text, imported));
  ctx.io.err(
    `removed ${n === 1 ? 'it' : 'them'} from ${path} (its comments and layout were not kept; everything else was)`,
  );
}

/** Replaces the file in one rename, keeping its permissions, so a crash leaves the old or the new. */
function replaceFile(path: string, data: string): void {
  const mode = statSync(path).mode & 0o777;
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode & 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // already renamed or never written
    }
    throw err;
  }
}
