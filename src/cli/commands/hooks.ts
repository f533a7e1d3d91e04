import { detectShell, installShellHook, SHELL_NAMES, shellEnv, uninstallShellHook, type ShellName } from '../../adapters/shell-hooks.js';
import { findProjectDir } from '../../config/locate.js';
import { EXIT } from '../exit-codes.js';
import { print, say } from '../output.js';

function shellsFor(option: string | undefined, all: boolean): ShellName[] | number {
  if (option) return [option as ShellName];
  const detected = detectShell();
  if (detected) return [detected];
  if (all) return [...SHELL_NAMES];
  say(`cannot tell the shell from $SHELL (${process.env.SHELL ?? 'unset'}); pass --shell ${SHELL_NAMES.join('|')}`);
  return EXIT.error;
}

/** `agentfirewall install-hooks`: the interactive guard in ~/.bashrc or ~/.zshrc. */
export function runInstallHooks(options: { shell?: string }): number {
  const shells = shellsFor(options.shell, false);
  if (typeof shells === 'number') return shells;
  for (const shell of shells) {
    try {
      const { file, changed } = installShellHook(shell);
      say(`${changed ? 'installed' : 'already installed'}: ${shell} guard in ${file} (open a new shell to use it)`);
    } catch (error) {
      say(`cannot write the ${shell} startup file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      return EXIT.error;
    }
  }
  return EXIT.ok;
}

/** `agentfirewall uninstall-hooks`: remove exactly what install-hooks added. */
export function runUninstallHooks(options: { shell?: string }): number {
  const shells = options.shell ? [options.shell as ShellName] : [...SHELL_NAMES];
  for (const shell of shells) {
    try {
      const { file, changed } = uninstallShellHook(shell);
      say(changed ? `removed the ${shell} guard from ${file}` : `no ${shell} guard in ${file}`);
    } catch (error) {
      say(`cannot write the ${shell} startup file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      return EXIT.error;
    }
  }
  return EXIT.ok;
}

/** `agentfirewall shell-env`: exports that put an agent's `bash -c` and `zsh -c` shells under the guards. */
export function runShellEnv(options: { cwd?: string }): number {
  const cwd = options.cwd ?? process.cwd();
  const projectDir = findProjectDir(cwd);
  if (!projectDir) {
    say(`no .agentfirewall/ found in ${cwd} or any parent directory (run 'agentfirewall init' first)`);
    return EXIT.error;
  }
  try {
    print(shellEnv(projectDir));
  } catch (error) {
    say(`cannot write the guards into ${projectDir}/.agentfirewall/hooks: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return EXIT.error;
  }
  return EXIT.ok;
}
