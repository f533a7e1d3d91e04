import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { firewallPaths, packageRoot } from '../config/locate.js';
import { hasBlock, installBlock, uninstallBlock } from './rc-block.js';
import { ensureProjectStateDir, projectStateDir } from './state-dir.js';

/** Shells with guards. */
export type ShellName = 'bash' | 'zsh';
export const SHELL_NAMES: readonly ShellName[] = ['bash', 'zsh'];

/** A string as a single-quoted shell word. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The shell named by `$SHELL`, if it is one we guard. */
export function detectShell(env: NodeJS.ProcessEnv = process.env): ShellName | null {
  const name = basename(env.SHELL ?? '');
  return name === 'bash' || name === 'zsh' ? name : null;
}

/** The startup file an interactive shell reads: ~/.bashrc, or .zshrc in $ZDOTDIR (else $HOME). */
export function rcFile(shell: ShellName, env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME ?? '';
  if (shell === 'bash') return join(home, '.bashrc');
  return join(env.ZDOTDIR || home, '.zshrc');
}

/** Absolute paths the guards call: this node and this package's command. */
export function checkerPaths(): { node: string; cli: string; hooks: string } {
  const root = packageRoot();
  return { node: process.execPath, cli: join(root, 'bin', 'agentfirewall.js'), hooks: join(root, 'hooks') };
}

/** The lines between the markers: absolute paths, then the guard itself (which warns if it is gone). */
export function blockBody(shell: ShellName): string {
  const { node, cli, hooks } = checkerPaths();
  const script = join(hooks, `agentfirewall.${shell}`);
  return [
    `AGENTFIREWALL_NODE=${shellQuote(node)}`,
    `AGENTFIREWALL_CLI=${shellQuote(cli)}`,
    `if [ -r ${shellQuote(script)} ]; then . ${shellQuote(script)}; else echo "agentfirewall: ${script.replace(/"/g, '')} is missing; commands are not checked" >&2; fi`,
    '',
  ].join('\n');
}

export function installShellHook(shell: ShellName, env: NodeJS.ProcessEnv = process.env): { file: string; changed: boolean } {
  const file = rcFile(shell, env);
  return { file, changed: installBlock(file, blockBody(shell)) };
}

export function uninstallShellHook(shell: ShellName, env: NodeJS.ProcessEnv = process.env): { file: string; changed: boolean } {
  const file = rcFile(shell, env);
  return { file, changed: uninstallBlock(file) };
}

export function shellHookInstalled(shell: ShellName, env: NodeJS.ProcessEnv = process.env): boolean {
  return hasBlock(rcFile(shell, env));
}

/** Fill a guard template with this installation's absolute paths. */
function fill(template: string): string {
  const { node, cli, hooks } = checkerPaths();
  const inQuotes = (s: string) => s.replace(/'/g, `'\\''`);
  return template.replaceAll('@NODE@', inQuotes(node)).replaceAll('@CLI@', inQuotes(cli)).replaceAll('@HOOKS@', inQuotes(hooks));
}

/** Write a file atomically, unless it already holds exactly this text (a watcher sees no change then). */
function writeIfChanged(path: string, text: string): void {
  try {
    if (readFileSync(path, 'utf8') === text) return;
  } catch {
    // not there yet
  }
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o644 });
  renameSync(tmp, path);
}

/** The last line of each project guard: the package's loaders run a copy only when it ends with it. */
const END_MARKS = { bash: '# agentfirewall: end of the BASH_ENV guard', zsh: '# agentfirewall: end of the zsh guard' } as const;

/** The project's guard files that the package's loaders run. */
export function projectGuardFiles(projectDir: string): { hooksDir: string; bash: string; zsh: string } {
  const hooksDir = join(firewallPaths(projectDir).dir, 'hooks');
  return { hooksDir, bash: join(hooksDir, 'bash_env.bash'), zsh: join(hooksDir, 'zdotdir', '.zshenv') };
}

/**
 * Is `path` one of the guard files `shell-env` writes, holding exactly what it writes (or one of their
 * directories)? The watcher takes such a change as the firewall's own: a person running `eval "$(agentfirewall
 * shell-env)"` under a running watcher must not be stopped for it, and an agent writing our own guard changes nothing.
 */
export function isGeneratedGuard(projectDir: string, path: string): boolean {
  const files = projectGuardFiles(projectDir);
  try {
    if (path === files.hooksDir || path === dirname(files.zsh)) return statSync(path).isDirectory();
    const template = path === files.bash ? 'bash_env.bash' : path === files.zsh ? 'zshenv.zsh' : undefined;
    return template !== undefined && readFileSync(path, 'utf8') === fill(readFileSync(join(checkerPaths().hooks, template), 'utf8'));
  } catch {
    return false;
  }
}

/** What BASH_ENV and ZDOTDIR point at under shell-env: loaders in the package, which no project command can remove. */
export function guardLoaders(): { bashEnv: string; zdotdir: string } {
  const { hooks } = checkerPaths();
  return { bashEnv: join(hooks, 'shell-env.bash'), zdotdir: join(hooks, 'zdotdir') };
}

/** Where shell-env records (outside the project) that it put agents' shells of this project under the guards. */
const shellEnvRecord = (projectDir: string) => join(projectStateDir(projectDir), 'shell-env');

/**
 * The shell-env guards of a project: `absent` when shell-env was never run for it, `ok` when both copies are
 * complete, `broken` when shell-env was run but a copy is missing or damaged: then every `bash -c` / `zsh -c`
 * of the agents' shells is refused (the loaders fail closed) until `agentfirewall shell-env` writes it again.
 */
export function shellEnvStatus(projectDir: string): { state: 'absent' | 'ok' | 'broken'; detail: string } {
  const files = projectGuardFiles(projectDir);
  const damaged = (['bash', 'zsh'] as const).filter((shell) => {
    try {
      return !readFileSync(files[shell], 'utf8').trimEnd().endsWith(`\n${END_MARKS[shell]}`);
    } catch {
      return true;
    }
  });
  const recorded = existsSync(shellEnvRecord(projectDir));
  if (damaged.length === 2 && !recorded) return { state: 'absent', detail: 'not set up (eval "$(agentfirewall shell-env)" where you start the agent)' };
  if (!damaged.length) return { state: 'ok', detail: `${files.hooksDir}: bash -c and zsh -c are checked` };
  const which = damaged.map((shell) => files[shell]).join(', ');
  return { state: 'broken', detail: `BROKEN: ${which} missing or damaged; every bash -c / zsh -c of the agents' shells is refused until it is back: run  agentfirewall shell-env  in ${projectDir}` };
}

/**
 * Write the guards for agents' shells into the project's `.agentfirewall/hooks/` (a `BASH_ENV` guard and a
 * `.zshenv`) and return the exports that put a process tree under them. BASH_ENV and ZDOTDIR name loaders in
 * the package, which run the project's copies only when they are complete and refuse every command otherwise.
 */
export function shellEnv(projectDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const files = projectGuardFiles(projectDir);
  mkdirSync(join(files.hooksDir, 'zdotdir'), { recursive: true });
  const { hooks } = checkerPaths();
  writeIfChanged(files.bash, fill(readFileSync(join(hooks, 'bash_env.bash'), 'utf8')));
  writeIfChanged(files.zsh, fill(readFileSync(join(hooks, 'zshenv.zsh'), 'utf8')));
  try {
    writeFileSync(join(ensureProjectStateDir(projectDir), 'shell-env'), `${files.hooksDir}\n`, { mode: 0o600 });
  } catch {
    // doctor and status then cannot tell a removed guard from one never set up; the guards do not depend on it
  }
  const { bashEnv, zdotdir } = guardLoaders();
  // Remember the user's own ZDOTDIR (unless it is already ours, from an earlier eval).
  const ours = [zdotdir, join(files.hooksDir, 'zdotdir')];
  const userZdotdir = env.ZDOTDIR && !ours.includes(env.ZDOTDIR) ? env.ZDOTDIR : env.AF_USER_ZDOTDIR ?? env.HOME ?? '';
  return [
    // The watcher's marker: processes started from this environment belong to the project's agents.
    `export AGENTFIREWALL_RUN_ID=${shellQuote(projectDir)}`,
    `export AGENTFIREWALL_GUARD_DIR=${shellQuote(files.hooksDir)}`,
    `export BASH_ENV=${shellQuote(bashEnv)}`,
    `export AF_USER_ZDOTDIR=${shellQuote(userZdotdir)}`,
    `export ZDOTDIR=${shellQuote(zdotdir)}`,
    // bash skips BASH_ENV for a top-level `bash -c` whose stdin is a socket (it takes itself for an sshd
    // session), and Node runs children with socket pipes: a shell level of at least 1 keeps BASH_ENV read.
    'case "${SHLVL:-0}" in 0|"") export SHLVL=1 ;; esac',
    '',
  ].join('\n');
}
