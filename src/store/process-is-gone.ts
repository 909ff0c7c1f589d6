/**
 * True only when no process has this pid (kill(pid, 0) fails with ESRCH). A process of another
 * user (EPERM) is alive; so, by caution, is any other answer.
 */
export function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
