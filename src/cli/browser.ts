import { spawn, type ChildProcess } from 'node:child_process';
import { childEnv } from '../store/child-env.js';

/** How long a browser command gets to fail before we take it as started. */
const GRACE_MS = 3000;

function watch(child: ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, GRACE_MS);
    timer.unref();
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${what}: ${err.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0 || code === null) resolve();
      else reject(new Error(`${what} exited with status ${code}`));
    });
    child.unref();
  });
}

/**
 * Opens a URL for the person. BROWSER (a command; the URL is passed as its last argument, as a
 * separate word so no quoting is needed) wins; otherwise the `open` package (xdg-open, open,
 * start). Its output never reaches our stdout. A failure rejects: the caller only notes it.
 */
export async function openBrowser(url: string, env: NodeJS.ProcessEnv): Promise<void> {
  // The browser (detached, maybe long-lived) gets no TWAUTH_* variable: no consumer secret or
  // token ever reaches it (childEnv).
  if (env.BROWSER) {
    const child = spawn('/bin/sh', ['-c', `${env.BROWSER} "$1"`, 'sh', url], {
      stdio: 'ignore',
      detached: true,
      env: childEnv(env),
    });
    return watch(child, `BROWSER (${env.BROWSER})`);
  }
  // The open package spawns with this process's environment and takes none of its own: the
  // secrets are taken out of it first. login has read them already (its consumer credentials),
  // and nothing after this point reads them from the environment.
  for (const name of Object.keys(process.env))
    if (name.toUpperCase().startsWith('TWAUTH_') && /SECRET|TOKEN/.test(name.toUpperCase())) delete process.env[name];
  const { default: open } = await import('open');
  const child = await open(url, { wait: false });
  return watch(child, 'the system browser opener');
}
