import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startInTmux, type TmuxSession } from '../helpers/tmux.js';
import { processesMentioning } from '../helpers/proc-scan.js';

const sessions: TmuxSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.kill()));
});

const PATH = process.env.PATH ?? '/usr/bin:/bin';

describe('startInTmux', () => {
  it('runs a command on a terminal, types into it, reads the screen and gets its exit code', async () => {
    const s = await startInTmux(['sh', '-c', 'printf "name? "; read x; echo "got:$x"; [ -t 0 ] && echo tty; exit 7'], {
      env: { PATH },
      cwd: '/tmp',
      width: 60,
      height: 10,
    });
    sessions.push(s);
    await s.waitFor(/name\?$/m); // capture() trims trailing blanks
    await s.sendKeys("it's me", true);
    const screen = await s.waitFor(/got:/);
    expect(screen).toContain("got:it's me");
    expect(screen).toContain('tty');
    expect(await s.exitCode()).toBe(7);
    expect(await s.capture()).toContain("got:it's me"); // the screen stays readable after exit
  });

  it('passes exactly the given environment and working directory', async () => {
    process.env.TWAUTH_LEAK_CHECK = 'leaked';
    try {
      const s = await startInTmux(['sh', '-c', 'env | sort; pwd'], { env: { PATH, FOO: 'a b $c' }, cwd: '/usr' });
      sessions.push(s);
      expect(await s.exitCode()).toBe(0);
      const lines = (await s.capture()).split('\n').filter((l) => l !== '');
      expect(lines).toContain('FOO=a b $c');
      expect(lines).toContain('TERM=tmux-256color');
      expect(lines).toContain('/usr');
      const names = lines.filter((l) => l.includes('=')).map((l) => l.split('=')[0]);
      // sh itself adds PWD (and may add OLDPWD/SHLVL/_); nothing comes from this process or tmux.
      expect(names.filter((n) => !['PWD', 'OLDPWD', 'SHLVL', '_'].includes(n!)).sort()).toEqual([
        'FOO',
        'PATH',
        'TERM',
      ]);
    } finally {
      delete process.env.TWAUTH_LEAK_CHECK;
    }
  });

  it('reports death by signal as 128+n, and kill() leaves nothing running', async () => {
    const s = await startInTmux(['sh', '-c', 'echo ready; kill -TERM $$'], { env: { PATH }, cwd: '/tmp' });
    expect(await s.exitCode()).toBe(143);
    const s2 = await startInTmux(['sleep', '1000'], { env: { PATH, MARK: 'twauth-tmux-kill-test' }, cwd: '/tmp' });
    await s.kill();
    expect(await processesMentioning('twauth-tmux-kill-test')).not.toEqual([]);
    await s2.kill();
    expect(await processesMentioning('twauth-tmux-kill-test')).toEqual([]);
    await expect(s2.exitCode(300)).rejects.toThrow(/timed out/);
  });

  it('presses special keys', async () => {
    const s = await startInTmux(
      ['sh', '-c', 'trap "echo interrupted; exit 5" INT; echo waiting; while :; do sleep 0.1; done'],
      {
        env: { PATH },
        cwd: '/tmp',
      },
    );
    sessions.push(s);
    await s.waitFor(/waiting/);
    await s.press('C-c');
    expect(await s.exitCode()).toBe(5);
    expect(await s.capture()).toContain('interrupted');
    expect(existsSync('/tmp')).toBe(true);
  });

  it('lets Ctrl-C interrupt a command as on a real terminal (status 130)', async () => {
    const s = await startInTmux(['sleep', '1000'], { env: { PATH }, cwd: '/tmp' });
    sessions.push(s);
    await new Promise((r) => setTimeout(r, 200));
    await s.press('C-c');
    expect(await s.exitCode()).toBe(130);
  });
});
