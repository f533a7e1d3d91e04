import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * While the watcher's circuit breaker is tripped it writes `.agentfirewall/run/breaker`; every guard's deny
 * and warn message then says so. Kept to one small read (no file, no cost beyond a failed open) because it
 * runs on the `check` fast path.
 */
export interface BreakerRecord {
  /** The watcher that tripped. */
  pid: number;
  /** When it tripped (ISO time). */
  since: string;
  /** When it re-arms unless another would-be stop comes first (ISO time). */
  rearmAt: string;
}

export const breakerFile = (firewallDir: string) => join(firewallDir, 'run', 'breaker');

/** The tripped breaker of this project's watcher, when there is one and that watcher still runs. */
export function trippedBreaker(firewallDir: string): BreakerRecord | undefined {
  let record: BreakerRecord;
  try {
    record = JSON.parse(readFileSync(breakerFile(firewallDir), 'utf8')) as BreakerRecord;
    process.kill(record.pid, 0);
  } catch {
    return undefined;
  }
  return record;
}

/** The line to add to a deny or warn message, or '' when the watcher is armed. */
export function breakerNotice(firewallDir: string): string {
  const b = trippedBreaker(firewallDir);
  return b
    ? `WATCHER ALERT-ONLY: its circuit breaker tripped at ${b.since} and it stops nothing until it re-arms (${b.rearmAt} if all stays quiet; see 'agentfirewall status')`
    : '';
}

/** What every deny and warn message adds about the state of protection: a disarmed watcher, a missing config. */
export function decisionNotice(loaded: { lastGood?: string }, firewallDir: string): string {
  return [breakerNotice(firewallDir), loaded.lastGood ?? ''].filter(Boolean).join('; ');
}
