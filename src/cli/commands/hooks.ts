import { AGENTS, type AgentName } from '../../adapters/agent-protocols.js';
import { defaultScope, installAgentHooks, isOurHandler, settingsFile, SettingsError, uninstallAgentHooks, type Scope } from '../../adapters/agent-settings.js';
import { codexHooksIn, trustCodexHooks, trustCodexProject, untrustCodexHooks } from '../../adapters/codex-trust.js';
import { hookReadiness, readinessLine } from '../../adapters/hook-readiness.js';
import { detectShell, installShellHook, SHELL_NAMES, shellEnv, uninstallShellHook, type ShellName } from '../../adapters/shell-hooks.js';
import { join } from 'node:path';
import { RcFileError } from '../../adapters/rc-block.js';
import { findProjectDir } from '../../config/locate.js';
import { EXIT } from '../exit-codes.js';
import { projectOrExit } from '../project.js';
import { print, say } from '../output.js';
import { refuseFromAgent } from '../agent-origin.js';

function shellsFor(option: string | undefined, all: boolean): ShellName[] | number {
  if (option) return [option as ShellName];
  const detected = detectShell();
  if (detected) return [detected];
  if (all) return [...SHELL_NAMES];
  say(`cannot tell the shell from $SHELL (${process.env.SHELL ?? 'unset'}); pass --shell ${SHELL_NAMES.join('|')}`);
  return EXIT.error;
}

/** Where the original bytes of an agent's settings are kept until uninstall. */
function backupDir(scope: Scope, projectDir: string | null): string {
  return scope === 'user' || !projectDir ? join(process.env.HOME ?? '', '.agentfirewall', 'agent-hooks') : join(projectDir, '.agentfirewall', 'hooks', 'agents');
}

/** Codex's trust for our hooks as they now are (a changed command is trusted at its new hash), and the project's on request. */
function armCodex(file: string, projectDir: string | null, trustProject: boolean): void {
  if (trustProject && projectDir) trustCodexProject(projectDir);
  if (trustCodexHooks(codexHooksIn(file, (h) => isOurHandler('codex', h)))) say(`trusted the codex hook in ${process.env.CODEX_HOME || '~/.codex'}/config.toml (hooks.state)`);
}

/** Install (or remove) an agent's hook registration. */
export function runAgentHooks(agentName: string, scopeName: string | undefined, remove: boolean, trustProject = false, cwd = process.cwd()): number {
  if (!(AGENTS as readonly string[]).includes(agentName)) {
    say(`unknown agent '${agentName}'; agents are ${AGENTS.join(', ')}`);
    return EXIT.error;
  }
  const agent = agentName as AgentName;
  const scope = (scopeName as Scope | undefined) ?? defaultScope(agent);
  const projectDir = findProjectDir(cwd);
  if (!projectDir && scope !== 'user') {
    say(`no .agentfirewall/ found here; run 'agentfirewall init' first (or use --scope user)`);
    return EXIT.error;
  }
  if (trustProject && agent !== 'codex') {
    say('--trust-project is for --agent codex only');
    return EXIT.error;
  }
  const file = settingsFile(agent, scope, projectDir ?? cwd);
  try {
    const ourCodexHooks = agent === 'codex' && remove ? codexHooksIn(file, (h) => isOurHandler('codex', h)) : [];
    const { changed } = remove ? uninstallAgentHooks(agent, file, backupDir(scope, projectDir)) : installAgentHooks(agent, file, backupDir(scope, projectDir));
    say(remove ? (changed ? `removed the ${agent} hook from ${file}` : `no ${agent} hook of ours in ${file}`) : `${changed ? 'installed' : 'already installed'}: ${agent} hook in ${file}`);
    if (remove) {
      untrustCodexHooks(ourCodexHooks);
      return EXIT.ok;
    }
    if (agent === 'codex') armCodex(file, projectDir, trustProject);
    // A hook the agent will not load protects nothing: say so where the result of the command goes.
    const readiness = hookReadiness(agent, scope, projectDir ?? cwd);
    if (readiness && !readiness.loads) print(`agentfirewall: ${readinessLine(readiness)}\n`);
    return EXIT.ok;
  } catch (error) {
    say(error instanceof SettingsError ? error.message : `cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return EXIT.error;
  }
}

/** Why a startup file was not changed: our own refusal says where, a system error says which. */
function rcFailure(shell: ShellName, error: unknown): string {
  if (error instanceof RcFileError) return error.message;
  return `cannot write the ${shell} startup file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
}

/** `agentfirewall install-hooks`: the interactive guard in ~/.bashrc or ~/.zshrc, or an agent's hook with --agent. */
export function runInstallHooks(options: { shell?: string; agent?: string; scope?: string; trustProject?: boolean }): number {
  const refused = refuseFromAgent('install-hooks');
  if (refused !== null) return refused;
  if (options.agent) return runAgentHooks(options.agent, options.scope, false, options.trustProject);
  const shells = shellsFor(options.shell, false);
  if (typeof shells === 'number') return shells;
  for (const shell of shells) {
    try {
      const { file, changed } = installShellHook(shell);
      say(`${changed ? 'installed' : 'already installed'}: ${shell} guard in ${file} (open a new shell to use it)`);
    } catch (error) {
      say(rcFailure(shell, error));
      return EXIT.error;
    }
  }
  return EXIT.ok;
}

/** `agentfirewall uninstall-hooks`: remove exactly what install-hooks added. */
export function runUninstallHooks(options: { shell?: string; agent?: string; scope?: string }): number {
  const refused = refuseFromAgent('uninstall-hooks');
  if (refused !== null) return refused;
  if (options.agent) return runAgentHooks(options.agent, options.scope, true);
  const shells = options.shell ? [options.shell as ShellName] : [...SHELL_NAMES];
  for (const shell of shells) {
    try {
      const { file, changed } = uninstallShellHook(shell);
      say(changed ? `removed the ${shell} guard from ${file}` : `no ${shell} guard in ${file}`);
    } catch (error) {
      say(rcFailure(shell, error));
      return EXIT.error;
    }
  }
  return EXIT.ok;
}

/** `agentfirewall shell-env`: exports that put an agent's `bash -c` and `zsh -c` shells under the guards. */
export function runShellEnv(options: { cwd?: string }): number {
  const cwd = options.cwd ?? process.cwd();
  const projectDir = projectOrExit(cwd);
  if (typeof projectDir === 'number') return projectDir;
  try {
    print(shellEnv(projectDir));
  } catch (error) {
    say(`cannot write the guards into ${projectDir}/.agentfirewall/hooks: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return EXIT.error;
  }
  return EXIT.ok;
}
