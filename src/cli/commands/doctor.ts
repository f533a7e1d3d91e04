import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectAgents } from '../../adapters/agent-settings.js';
import { DRY_RUN_COMMAND, dryRunHook, dryRunPayload } from '../../adapters/dry-run.js';
import { installedAgentHooks } from '../../adapters/hook-readiness.js';
import { checkerPaths, guardLoaders, projectGuardFiles, rcFile, SHELL_NAMES, shellEnvStatus, shellHookInstalled, type ShellName } from '../../adapters/shell-hooks.js';
import { EXIT } from '../exit-codes.js';
import { print, say } from '../output.js';
import { projectOrExit } from '../project.js';
import { runningWatcher, watcherState } from './daemon.js';

/** One guard's verdict: `ok` protects, `inert` is installed but would not stop anything, `absent` is not installed. */
export interface GuardCheck {
  state: 'ok' | 'inert' | 'absent';
  guard: string;
  detail: string;
}

const missing = (paths: string[]) => paths.filter((p) => p.startsWith('/') && !existsSync(p));

/** The interactive guard in ~/.bashrc or ~/.zshrc: its paths, then the check it runs on Enter, for the dry-run line. */
function rcGuard(shell: ShellName, projectDir: string): GuardCheck {
  const file = rcFile(shell);
  const guard = `${shell} interactive guard (${file})`;
  const text = readFileSync(file, 'utf8');
  const value = (name: string) => new RegExp(`${name}='((?:[^']|'\\\\'')*)'`).exec(text)?.[1].replace(/'\\''/g, "'");
  const node = value('AGENTFIREWALL_NODE');
  const cli = value('AGENTFIREWALL_CLI');
  const script = /if \[ -r '([^']+)' \]/.exec(text)?.[1];
  const gone = missing([node ?? '/?', cli ?? '/?', script ?? '/?']);
  if (!node || !cli || gone.length) return { state: 'inert', guard, detail: `${gone.join(', ') || 'the block'} is missing; reinstall: agentfirewall install-hooks --shell ${shell}` };
  const r = spawnSync(node, [cli, 'check', '--interactive', '--fallback', '--source', shell, DRY_RUN_COMMAND], { cwd: projectDir, encoding: 'utf8', timeout: 30_000 });
  return r.status === 1
    ? { state: 'ok', guard, detail: `installed; dry run of '${DRY_RUN_COMMAND}': denied (new ${shell} sessions)` }
    : { state: 'inert', guard, detail: `dry run of '${DRY_RUN_COMMAND}' was not denied (exit ${r.status}): ${r.stderr.trim().split('\n')[0] ?? ''}` };
}

/** The `bash -c` guard of shell-env: run the dry-run line through it for real, with a throw-away home as `~`. */
function shellEnvGuard(projectDir: string): GuardCheck | null {
  const { hooksDir, bash: bashGuard } = projectGuardFiles(projectDir);
  const { bashEnv } = guardLoaders();
  const status = shellEnvStatus(projectDir);
  const guard = `shell-env guard (${hooksDir})`;
  if (status.state === 'absent') return null;
  // A damaged copy makes the loader refuse every command: nothing runs unchecked, but nothing runs at all.
  if (status.state === 'broken') return { state: 'inert', guard, detail: status.detail };
  const paths = /'(\/[^']+)' '(\/[^']+)' check/.exec(readFileSync(bashGuard, 'utf8'));
  const gone = paths ? missing([paths[1], paths[2], bashEnv]) : missing([bashEnv]);
  if (gone.length) return { state: 'inert', guard, detail: `${gone.join(', ')} is missing; rewrite it: eval "$(agentfirewall shell-env)"` };
  const home = mkdtempSync(join(tmpdir(), 'agentfirewall-doctor-'));
  const decoy = join(home, 'decoy');
  writeFileSync(decoy, 'keep\n');
  try {
    const env = { ...process.env, HOME: home, BASH_ENV: bashEnv, AGENTFIREWALL_GUARD_DIR: hooksDir, SHLVL: '1', AGENTFIREWALL_RUN_ID: projectDir };
    const r = spawnSync('bash', ['-c', DRY_RUN_COMMAND], { cwd: projectDir, env, encoding: 'utf8', timeout: 30_000 });
    const here = process.env.BASH_ENV === bashEnv && process.env.AGENTFIREWALL_GUARD_DIR === hooksDir;
    const active = here ? 'active in this shell' : `not active in this shell (run  eval "$(agentfirewall shell-env)"  where you start the agent)`;
    if (r.status === 126 && existsSync(decoy)) return { state: 'ok', guard, detail: `bash -c '${DRY_RUN_COMMAND}' refused (exit 126); ${active}` };
    return { state: 'inert', guard, detail: `bash -c '${DRY_RUN_COMMAND}' was not refused (exit ${r.status}${existsSync(decoy) ? '' : ', it ran'})` };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function watcherGuard(projectDir: string): GuardCheck {
  const pid = runningWatcher(projectDir);
  if (pid === null) return { state: 'absent', guard: 'watcher', detail: 'not running (agentfirewall protect starts it)' };
  const state = watcherState(projectDir);
  if (state?.alertOnly) return { state: 'inert', guard: 'watcher', detail: `running (pid ${pid}) but ALERT-ONLY: the circuit breaker tripped and it stops nothing` };
  return { state: 'ok', guard: 'watcher', detail: `running (pid ${pid})` };
}

/** Every guard of the project, checked. */
export function doctorChecks(projectDir: string): GuardCheck[] {
  const checks: GuardCheck[] = [];
  const hooks = installedAgentHooks(projectDir);
  const { hooks: packageHooks } = checkerPaths();
  for (const h of hooks) {
    const guard = `${h.agent} hook (${h.scope}, ${h.file})`;
    const dry = dryRunHook(h.agent, h.command, h.file, dryRunPayload(h.agent, packageHooks, projectDir, process.env.HOME ?? ''), projectDir);
    const problems = [...h.problems, ...(dry.denied ? [] : [`dry run of '${DRY_RUN_COMMAND}': ${dry.detail}`])];
    if (!problems.length) checks.push({ state: 'ok', guard, detail: `loads; dry run of '${DRY_RUN_COMMAND}': ${dry.detail}` });
    else checks.push({ state: 'inert', guard, detail: `${problems.join('; ')}${h.arm ? `; arm it: ${h.arm}` : ''}` });
  }
  const hooked = new Set(hooks.map((h) => h.agent));
  for (const agent of detectAgents(projectDir)) {
    if (!hooked.has(agent)) checks.push({ state: 'absent', guard: `${agent} hook`, detail: `${agent} is configured here but has no hook: agentfirewall install-hooks --agent ${agent}` });
  }
  for (const shell of SHELL_NAMES) if (shellHookInstalled(shell)) checks.push(rcGuard(shell, projectDir));
  const env = shellEnvGuard(projectDir);
  if (env) checks.push(env);
  checks.push(watcherGuard(projectDir));
  return checks;
}

const LABEL = { ok: 'ok   ', inert: 'INERT', absent: '--   ' } as const;

/** `agentfirewall doctor`: one line per guard; exit 1 when one is inert or nothing guards the project. */
export function runDoctor(options: { json?: boolean; cwd?: string; toStderr?: boolean }): number {
  const projectDir = projectOrExit(options.cwd ?? process.cwd());
  if (typeof projectDir === 'number') return projectDir;
  const checks = doctorChecks(projectDir);
  const failing = checks.some((c) => c.state === 'inert') || !checks.some((c) => c.state === 'ok');
  if (options.json) print(`${JSON.stringify({ projectDir, ok: !failing, checks })}\n`);
  else {
    const lines = checks.map((c) => `${LABEL[c.state]} ${c.guard}: ${c.detail}`);
    if (!checks.some((c) => c.state === 'ok')) lines.push('INERT nothing guards this project: run agentfirewall protect');
    if (options.toStderr) for (const line of lines) say(`doctor: ${line}`);
    else print(`${lines.join('\n')}\n`);
  }
  return failing ? EXIT.denied : EXIT.ok;
}
