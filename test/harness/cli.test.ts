import { statSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { removeTempDir, runTwauth, spawnTwauth, tempConfigDir, twauthEnv } from '../helpers/cli.js';

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

describe('runTwauth', () => {
  it('runs bin/twauth --version: exit 0 and a semver on stdout', async () => {
    const r = await runTwauth(['--version']);
    expect(r).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(r.stdout.trim()).toMatch(SEMVER);
  });

  it('passes stdin and reports a usage error with its exit code', async () => {
    const r = await runTwauth(['--no-such-option'], { input: 'ignored\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/twauth/);
  });
});

describe('spawnTwauth', () => {
  it('streams output and resolves exit', async () => {
    const p = spawnTwauth(['--version']);
    expect((await p.waitForStdout(/\d+\.\d+\.\d+/)).trim()).toMatch(SEMVER);
    expect(await p.exit).toEqual({ code: 0, signal: null });
    await expect(p.waitForStderr(/never/, 100)).rejects.toThrow(/exited/);
  });
});

describe('twauthEnv', () => {
  it('inherits nothing from the developer but PATH, and removes variables set to undefined; one compile cache per test file', () => {
    process.env.TWAUTH_ACCOUNT = 'developer';
    process.env.DBUS_SESSION_BUS_ADDRESS ??= 'unix:path=/dev/null';
    try {
      const env = twauthEnv({ TWAUTH_API_BASE: 'http://127.0.0.1:1', LANG: undefined });
      expect(Object.keys(env).sort()).toEqual(['HOME', 'PATH', 'TWAUTH_API_BASE', 'XDG_CACHE_HOME']);
      expect(env.PATH).toBe(process.env.PATH);
      expect(statSync(env.HOME!).mode & 0o777).toBe(0o700);
      expect(twauthEnv({ HOME: '/somewhere' }).HOME).toBe('/somewhere');
      expect(twauthEnv().XDG_CACHE_HOME).toBe(env.XDG_CACHE_HOME);
      expect(twauthEnv().HOME).not.toBe(env.HOME);
      expect(twauthEnv({ XDG_CACHE_HOME: undefined })).not.toHaveProperty('XDG_CACHE_HOME');
    } finally {
      delete process.env.TWAUTH_ACCOUNT;
    }
  });
});

describe('tempConfigDir', () => {
  it('makes a fresh 0700 directory each time', () => {
    const a = tempConfigDir();
    const b = tempConfigDir();
    expect(a).not.toBe(b);
    expect(statSync(a).mode & 0o777).toBe(0o700);
    removeTempDir(a);
    expect(existsSync(a)).toBe(false);
  });
});
