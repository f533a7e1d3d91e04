import { readFileSync } from 'node:fs';
import { say } from './output.js';

/**
 * Whether this process runs inside an agent's process tree: `shell-env` marks every process an agent starts
 * with AGENTFIREWALL_RUN_ID, and a process that dropped it from its own environment still has an ancestor
 * carrying it. Linux only for the ancestors (/proc); elsewhere the own environment decides.
 */
export function agentMarker(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.AGENTFIREWALL_RUN_ID) return `AGENTFIREWALL_RUN_ID is set (${env.AGENTFIREWALL_RUN_ID})`;
  // The watcher that `protect` starts is told its parent's pid: that parent is our own, already-checked start.
  let pid = parentOf(process.pid);
  if (pid !== null && env.AF_DAEMON_PARENT === String(pid)) return null;
  for (let hops = 0; pid !== null && pid > 1 && hops < 64; hops++) {
    const environ = read(`/proc/${pid}/environ`);
    if (environ?.split('\0').some((e) => e.startsWith('AGENTFIREWALL_RUN_ID='))) return `its ancestor process ${pid} carries AGENTFIREWALL_RUN_ID`;
    pid = parentOf(pid);
  }
  return null;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | null {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return null;
  // The fields after the command name, which may itself hold spaces and parentheses: state, ppid, ...
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  return Number.isInteger(ppid) && ppid > 0 ? ppid : null;
}

/**
 * Refuse a command that switches protection off (or replaces a guard) when an agent runs it: inside an
 * agent's process tree with no terminal on stdin. Returns the exit code to stop with, or null to go on.
 */
export function refuseFromAgent(what: string): number | null {
  if (process.stdin.isTTY) return null;
  const marker = agentMarker();
  if (!marker) return null;
  say(`DENY [tamper/firewall] ${what} switches protection off: it is refused from an agent's process tree (${marker}) without a terminal`);
  say('a person runs it from their own terminal');
  return 1;
}
