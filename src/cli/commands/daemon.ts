import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENTS } from '../../adapters/agent-protocols.js';
import { defaultScope, detectAgents, settingsFile, uninstallAgentHooks } from '../../adapters/agent-settings.js';
import { CheckerRunning, lockOwner } from '../../adapters/checker-lock.js';
import { checkerLockFile, startCheckerServer } from '../../adapters/checker-server.js';
import { detectShell, installShellHook, SHELL_NAMES, shellHookInstalled, uninstallShellHook } from '../../adapters/shell-hooks.js';
import { ensureProjectStateDir, projectStateDir, recordedProjectAbove, watcherPidFile, watcherStateFile } from '../../adapters/state-dir.js';
import { startWatcher, type WatcherState } from '../../adapters/watcher.js';
import { findProjectDir, firewallPaths, packageRoot } from '../../config/locate.js';
import { EXIT } from '../exit-codes.js';
import { projectOrExit } from '../project.js';
import { say } from '../output.js';
import { ensureGitignore, runInit } from './init.js';
import { runDoctor } from './doctor.js';
import { runAgentHooks } from './hooks.js';
import { removeConfig } from './remove-config.js';
import { refuseFromAgent } from '../agent-origin.js';

// Kept in the state directory, outside the project: a checkout that removes .agentfirewall/ must not lose them.
const pidFile = watcherPidFile;
const stateFile = watcherStateFile;

/** Is `pid` a live agentfirewall process? (A stale pid file may name a pid that was reused.) */
function isOurs(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('agentfirewall');
  } catch {
    return true;
  }
}

/** Where watchers of earlier versions kept their pid, inside the project: still honoured, so an upgrade finds them. */
const legacyPidFile = (projectDir: string) => join(firewallPaths(projectDir).dir, 'run', 'watcher.pid');

/** The running watcher's pid, if any. */
export function runningWatcher(projectDir: string): number | null {
  for (const file of [pidFile(projectDir), legacyPidFile(projectDir)]) {
    try {
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid > 0 && isOurs(pid)) return pid;
    } catch {
      // no such record
    }
  }
  return null;
}

export function watcherState(projectDir: string): WatcherState | null {
  try {
    return JSON.parse(readFileSync(stateFile(projectDir), 'utf8')) as WatcherState;
  } catch {
    return null;
  }
}

/** Take the single-instance lock: create the pid file exclusively, replacing a stale one. */
function lock(projectDir: string): number | null {
  const file = pidFile(projectDir);
  ensureProjectStateDir(projectDir);
  const running = runningWatcher(projectDir); // also one of an earlier version, whose pid file is elsewhere
  if (running !== null) return running;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const other = runningWatcher(projectDir);
      if (other !== null) return other;
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  return runningWatcher(projectDir) ?? -1;
}

/** `agentfirewall watch`: the watcher and the resident checker, in the foreground, until SIGTERM or SIGINT. */
export async function runWatch(options: { cwd?: string }): Promise<number> {
  const refused = refuseFromAgent('watch');
  if (refused !== null) return refused;
  const cwd = options.cwd ?? process.cwd();
  const projectDir = projectOrExit(cwd);
  if (typeof projectDir === 'number') return projectDir;
  const other = lock(projectDir);
  if (other !== null) {
    say(`a watcher already runs for ${projectDir} (pid ${other})`);
    return EXIT.error;
  }
  const home = process.env.HOME || process.getBuiltinModule('node:os').homedir();
  const stamp = () => new Date().toISOString();
  const log = (message: string) => say(`${stamp()} ${message}`);
  let watcher: ReturnType<typeof startWatcher> | undefined;
  let server: Awaited<ReturnType<typeof startCheckerServer>> | undefined;
  try {
    // shell-env marks the processes of this project's agents with the project's path.
    watcher = startWatcher({ projectDir, home, say: log, runId: projectDir });
    // A `serve` already running for the project stays the guards' checker; the watcher does not start a second.
    server = await startCheckerServer(projectDir, home, log).catch((error: unknown) => {
      if (error instanceof CheckerRunning) return undefined;
      throw error;
    });
    await watcher.ready;
    log(`watching ${projectDir} (pid ${process.pid}); resident checker ${server ? `on 127.0.0.1:${server.port}` : `of pid ${lockOwner(checkerLockFile(projectDir))}`}`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
      process.on('SIGHUP', () => watcher?.reload());
    });
    log('stopping');
    return EXIT.ok;
  } finally {
    await watcher?.close();
    await server?.close();
    try {
      if (readFileSync(pidFile(projectDir), 'utf8').trim() === String(process.pid)) rmSync(pidFile(projectDir), { force: true });
    } catch {
      // already gone
    }
    rmSync(stateFile(projectDir), { force: true });
  }
}

/** Start the watcher in the background and wait until it delivers events. */
async function startDaemon(projectDir: string): Promise<number | string> {
  const running = runningWatcher(projectDir);
  if (running !== null) return running;
  const logs = firewallPaths(projectDir).logs;
  mkdirSync(logs, { recursive: true });
  const out = openSync(join(logs, 'watcher.out'), 'a', 0o600);
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.AGENTFIREWALL_RUN_ID; // the daemon is not one of the agents
  env.AF_DAEMON_PARENT = String(process.pid); // and its parent is this already-checked start
  const child = spawn(process.execPath, [join(packageRoot(), 'bin', 'agentfirewall.js'), 'watch'], {
    cwd: projectDir, detached: true, stdio: ['ignore', out, out], env,
  });
  child.unref();
  for (let i = 0; i < 600; i++) {
    const state = watcherState(projectDir);
    if (state?.ready && state.pid === child.pid) return child.pid!;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return `the watcher did not start; see ${join(logs, 'watcher.out')}`;
}

/** `agentfirewall protect`: init (when needed), the interactive shell guard, and the background watcher. */
export async function runProtect(options: { preset: string; force?: boolean; shell?: string }): Promise<number> {
  const cwd = process.cwd();
  let projectDir = findProjectDir(cwd);
  if (!projectDir || options.force) {
    const code = runInit({ preset: options.preset, force: options.force, dir: options.force && projectDir ? projectDir : cwd });
    if (code !== EXIT.ok) return code;
    projectDir = findProjectDir(cwd)!;
  }
  // Projects set up before .gitignore was written get it now: runtime state must never be committed.
  if (ensureGitignore(firewallPaths(projectDir).dir)) say(`wrote ${join(firewallPaths(projectDir).dir, '.gitignore')} (vault/, run/, logs/, cache/, hooks/ stay out of git)`);
  const shell = (options.shell as (typeof SHELL_NAMES)[number] | undefined) ?? detectShell();
  if (shell) {
    const { file } = installShellHook(shell);
    say(`shell guard: ${shell}, in ${file} (new ${shell} sessions)`);
  } else say(`shell guard: not installed ($SHELL is ${process.env.SHELL ?? 'unset'}; use install-hooks --shell bash|zsh)`);
  // The same install as install-hooks --agent, so Codex's trust by hash and the folder-trust warnings come with it.
  for (const agent of detectAgents(projectDir)) runAgentHooks(agent, undefined, false, false, projectDir);
  const started = await startDaemon(projectDir);
  if (typeof started === 'string') {
    say(started);
    return EXIT.error;
  }
  say(`watcher and resident checker: running (pid ${started})`);
  say(`agents' shells: run  eval "$(agentfirewall shell-env)"  in the shell you start the agent from`);
  runDoctor({ cwd: projectDir, toStderr: true });
  return EXIT.ok;
}

/** `agentfirewall unprotect`: stop the watcher, remove the shell guards, and with --remove-config delete .agentfirewall/. */
export async function runUnprotect(options: { removeConfig?: boolean; yes?: boolean }): Promise<number> {
  const refused = refuseFromAgent(options.removeConfig ? 'unprotect --remove-config' : 'unprotect');
  if (refused !== null) return refused;
  const cwd = process.cwd();
  const projectDir = findProjectDir(cwd);
  // A checkout may have removed .agentfirewall/ while its watcher runs on: the state record still names it.
  const watched = projectDir ?? recordedProjectAbove(cwd);
  if (watched) {
    const pid = runningWatcher(watched);
    if (pid !== null) {
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 200 && isOurs(pid); i++) await new Promise((r) => setTimeout(r, 25));
      say(isOurs(pid) ? `the watcher (pid ${pid}) did not stop` : `stopped the watcher (pid ${pid})`);
    } else say('the watcher was not running');
  }
  for (const shell of SHELL_NAMES) if (shellHookInstalled(shell)) say(`removed the ${shell} guard from ${uninstallShellHook(shell).file}`);
  if (projectDir) {
    for (const agent of AGENTS) {
      const file = settingsFile(agent, defaultScope(agent), projectDir);
      try {
        if (uninstallAgentHooks(agent, file, join(projectDir, '.agentfirewall', 'hooks', 'agents')).changed) say(`removed the ${agent} hook from ${file}`);
      } catch (error) {
        say(`${agent} hook: ${(error as Error).message}`);
      }
    }
  }
  if (options.removeConfig && projectDir) {
    removeConfig(projectDir, options.yes === true);
    rmSync(projectStateDir(projectDir), { recursive: true, force: true });
  }
  if (!watched && !existsSync(join(cwd, '.agentfirewall'))) say('no .agentfirewall/ here; only the shell guards were looked at');
  return EXIT.ok;
}
