import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { firewallPaths, packageRoot } from '../config/locate.js';
import { hasBlock, installBlock, uninstallBlock } from './rc-block.js';

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

function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o644 });
  renameSync(tmp, path);
}

/**
 * Write the guards for agents' shells into the project's `.agentfirewall/hooks/` (a `BASH_ENV` file and a
 * `ZDOTDIR` with a `.zshenv`) and return the exports that put a process tree under them.
 */
export function shellEnv(projectDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const hooksDir = join(firewallPaths(projectDir).dir, 'hooks');
  const zdotdir = join(hooksDir, 'zdotdir');
  mkdirSync(zdotdir, { recursive: true });
  const { hooks } = checkerPaths();
  const bashEnv = join(hooksDir, 'bash_env.bash');
  writeFileAtomic(bashEnv, fill(readFileSync(join(hooks, 'bash_env.bash'), 'utf8')));
  writeFileAtomic(join(zdotdir, '.zshenv'), fill(readFileSync(join(hooks, 'zshenv.zsh'), 'utf8')));
  // Remember the user's own ZDOTDIR (unless it is already ours, from an earlier eval).
  const userZdotdir = env.ZDOTDIR && env.ZDOTDIR !== zdotdir ? env.ZDOTDIR : env.AF_USER_ZDOTDIR ?? env.HOME ?? '';
  return [
    // The watcher's marker: processes started from this environment belong to the project's agents.
    `export AGENTFIREWALL_RUN_ID=${shellQuote(projectDir)}`,
    `export BASH_ENV=${shellQuote(bashEnv)}`,
    `export AF_USER_ZDOTDIR=${shellQuote(userZdotdir)}`,
    `export ZDOTDIR=${shellQuote(zdotdir)}`,
    // bash skips BASH_ENV for a top-level `bash -c` whose stdin is a socket (it takes itself for an sshd
    // session), and Node runs children with socket pipes: a shell level of at least 1 keeps BASH_ENV read.
    'case "${SHLVL:-0}" in 0|"") export SHLVL=1 ;; esac',
    '',
  ].join('\n');
}
