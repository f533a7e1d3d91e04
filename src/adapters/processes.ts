import { readFileSync, readlinkSync } from 'node:fs';
import psList from 'ps-list';
import treeKill from 'tree-kill';

/** A process as the watcher sees it. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The command line (argv joined, or the process title). */
  cmd: string;
  /** /proc/PID/comm: what a process title such as `claude` shows up as. */
  comm: string;
  /** The working directory, when it can be read. */
  cwd?: string;
  /** The process state letter from /proc/PID/stat (Z = zombie). */
  state: string;
  /** The value of AGENTFIREWALL_RUN_ID in its environment, when set (launchers set it). */
  runId?: string;
}

/** Why a process may be stopped, strongest first. */
export type Attribution = 'run-marker' | 'agent-in-project' | 'agent-elsewhere';

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

function details(pid: number): Pick<ProcessInfo, 'comm' | 'cwd' | 'state' | 'runId'> {
  const comm = (read(`/proc/${pid}/comm`) ?? '').trim();
  const stat = read(`/proc/${pid}/stat`) ?? '';
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  let cwd: string | undefined;
  try {
    cwd = readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    cwd = undefined;
  }
  const environ = read(`/proc/${pid}/environ`);
  const runId = environ?.split('\0').find((e) => e.startsWith('AGENTFIREWALL_RUN_ID='))?.slice('AGENTFIREWALL_RUN_ID='.length);
  return { comm, cwd, state, runId };
}

/** Every process, with the details attribution needs (ps-list, then /proc for comm, cwd, state, marker). */
export async function listProcesses(): Promise<ProcessInfo[]> {
  const list = await psList({ all: true });
  return list.map((p) => ({ pid: p.pid, ppid: p.ppid, cmd: p.cmd ?? p.name, ...details(p.pid) }));
}

/** Does a process look like a coding agent? Matched on argv[0], the script it runs and comm, never on ps-list's `name`. */
export function matchesSignature(p: Pick<ProcessInfo, 'cmd' | 'comm'>, signatures: readonly string[]): string | undefined {
  const words = p.cmd.split(/\s+/).slice(0, 2).map((w) => w.split('/').pop() ?? '');
  const paths = p.cmd.split(/\s+/).slice(0, 2);
  const tokens = [...words, p.comm];
  return signatures.find(
    (sig) =>
      tokens.some((t) => t === sig || t.startsWith(`${sig}-`) || t.startsWith(`${sig}.`)) ||
      paths.some((path) => path.includes(`/${sig}/`) || path.includes(`/${sig}-`)),
  );
}

/** The pids that must never be stopped: 0, 1, this process and its ancestors. */
export function protectedPids(all: readonly ProcessInfo[], self = process.pid): Set<number> {
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const out = new Set<number>([0, 1, self]);
  for (let p = byPid.get(self); p && !out.has(p.ppid); p = byPid.get(p.ppid)) out.add(p.ppid);
  for (let pid = process.ppid; pid > 1 && !out.has(pid); pid = byPid.get(pid)?.ppid ?? 0) out.add(pid);
  return out;
}

const SHELLS = new Set(['bash', 'zsh', 'sh', 'dash', 'fish', 'ksh', 'tcsh', 'csh']);

/** A shell a person types into (no `-c`, no script): never a target for the launcher marker. */
export function isInteractiveShell(p: Pick<ProcessInfo, 'cmd' | 'comm'>): boolean {
  const words = p.cmd.split(/\s+/);
  const name = (words[0] ?? '').split('/').pop()!.replace(/^-/, '');
  if (!SHELLS.has(name) && !SHELLS.has(p.comm)) return false;
  return !words.slice(1).some((w) => /^-[a-zA-Z]*c/.test(w) || (!w.startsWith('-') && w !== ''));
}

/** Processes an event in `projectDir` can be attributed to, with the reason; never protected pids or zombies. */
export function attribute(
  all: readonly ProcessInfo[], projectDir: string, signatures: readonly string[], runId: string | undefined,
): { process: ProcessInfo; why: Attribution; signature?: string }[] {
  const never = protectedPids(all);
  const out: { process: ProcessInfo; why: Attribution; signature?: string }[] = [];
  for (const p of all) {
    if (never.has(p.pid) || p.state === 'Z') continue;
    // The marker is inherited by the person's own shell too (shell-env is evaluated there): interactive
    // shells are never stopped for it, only the programs started from them.
    if (runId && p.runId === runId && !isInteractiveShell(p)) {
      out.push({ process: p, why: 'run-marker' });
      continue;
    }
    const signature = matchesSignature(p, signatures);
    if (!signature) continue;
    const inProject = p.cwd !== undefined && (p.cwd === projectDir || p.cwd.startsWith(`${projectDir}/`));
    out.push({ process: p, why: inProject ? 'agent-in-project' : 'agent-elsewhere', signature });
  }
  return out;
}

/** SIGTERM the process tree, then SIGKILL what is left after `graceMs`. Resolves when done. */
export async function stopTree(pid: number, graceMs: number): Promise<'terminated' | 'killed' | 'gone'> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      const state = details(pid).state;
      return state !== 'Z' && state !== '';
    } catch {
      return false;
    }
  };
  if (!alive()) return 'gone';
  await new Promise<void>((resolve) => treeKill(pid, 'SIGTERM', () => resolve()));
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!alive()) return 'terminated';
    await new Promise((r) => setTimeout(r, 25));
  }
  if (!alive()) return 'terminated';
  await new Promise<void>((resolve) => treeKill(pid, 'SIGKILL', () => resolve()));
  return 'killed';
}
