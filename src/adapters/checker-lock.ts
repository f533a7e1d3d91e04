import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * One resident checker per project: `run/checker.lock` is created exclusively and holds the owner's pid and
 * start time (from /proc, so a recycled pid is not taken for the owner). A lock whose process is gone is stale
 * and taken over; a live one makes the second checker refuse.
 */
export class CheckerRunning extends Error {
  constructor(readonly pid: number) {
    super(`a resident checker already runs for this project (pid ${pid})`);
  }
}

/** The start time of a process (clock ticks since boot), '' where /proc cannot say. */
export function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return process.platform === 'linux' ? undefined : '';
  }
}

function alive(pid: number, started: string): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = startTime(pid);
  return now !== undefined && (now === '' || started === '' || now === started);
}

/** The pid of the live checker recorded in `file`, or null. */
export function lockOwner(file: string): number | null {
  try {
    const [pid, started = ''] = readFileSync(file, 'utf8').split('\n');
    return alive(Number(pid), started) ? Number(pid) : null;
  } catch {
    return null;
  }
}

/** Take the lock for this process; throws CheckerRunning when a live checker holds it. Returns the release. */
export function takeCheckerLock(file: string): () => void {
  const mine = `${process.pid}\n${startTime(process.pid) ?? ''}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, mine, { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 1) throw error;
      const owner = lockOwner(file);
      if (owner !== null) throw new CheckerRunning(owner);
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  return () => {
    try {
      if (readFileSync(file, 'utf8') === mine) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
}
