import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AGENTS, type AgentName } from './agent-protocols.js';
import { commandPaths, isOurHandler, ourCommandsIn, SCOPES, settingsFile, type Scope } from './agent-settings.js';
import { codexHooksIn, codexHookTrusted, codexProjectTrusted } from './codex-trust.js';

/**
 * Whether an installed agent hook will actually run: the agent must load the file (Codex, Gemini CLI and
 * Copilot CLI read a project's hooks only in a folder the user trusted; Codex also trusts each hook by hash)
 * and the command must point at a node and a CLI that exist.
 */

/** One installed hook of ours and what stands between it and a call it should check. */
export interface HookReadiness {
  agent: AgentName;
  scope: Scope;
  file: string;
  command: string;
  /** True when nothing below stands in the way. */
  loads: boolean;
  /** Why it will not load, one short sentence each. */
  problems: string[];
  /** The one command that arms it, when there is one. */
  arm?: string;
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    // Copilot's config.json starts with `//` comment lines.
    return JSON.parse(readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Gemini CLI's folder trust: `~/.gemini/trustedFolders.json` rules (the longest matching path wins), or trust switched off. */
export function geminiFolderTrusted(dir: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const home = env.HOME ?? '';
  const settings = readJson(join(home, '.gemini', 'settings.json')) as { security?: { folderTrust?: { enabled?: boolean } } } | undefined;
  if (settings?.security?.folderTrust?.enabled === false) return true;
  const rules = readJson(env.GEMINI_CLI_TRUSTED_FOLDERS_PATH || join(home, '.gemini', 'trustedFolders.json')) ?? {};
  let best: { length: number; trusted: boolean } | undefined;
  for (const [path, level] of Object.entries(rules)) {
    const root = level === 'TRUST_PARENT' ? dirname(resolve(path)) : resolve(path);
    if (dir !== root && !dir.startsWith(`${root}/`)) continue;
    if (!best || root.length > best.length) best = { length: root.length, trusted: level !== 'DO_NOT_TRUST' };
  }
  return best?.trusted ?? false;
}

/** Copilot CLI's persisted folder trust (`trustedFolders` in `~/.copilot/config.json`). */
export function copilotFolderTrusted(dir: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const config = readJson(join(env.COPILOT_HOME || join(env.HOME ?? '', '.copilot'), 'config.json'));
  const folders = Array.isArray(config?.trustedFolders) ? (config.trustedFolders as unknown[]) : [];
  return folders.some((f) => typeof f === 'string' && resolve(f) === dir);
}

/** Why a project-scope hook of this agent would not load in this folder, and how to arm it. */
function trustProblems(agent: AgentName, scope: Scope, file: string, projectDir: string, env: NodeJS.ProcessEnv): { problems: string[]; arm?: string } {
  const problems: string[] = [];
  let arm: string | undefined;
  const user = scope === 'user';
  if (agent === 'codex') {
    if (!user && !codexProjectTrusted(projectDir, env)) {
      problems.push(`Codex reads .codex/hooks.json only in a trusted project, and ${projectDir} is not trusted`);
      arm = 'agentfirewall install-hooks --agent codex --trust-project';
    }
    const untrusted = codexHooksIn(file, (h) => isOurHandler('codex', h)).filter((h) => !codexHookTrusted(h, env));
    if (untrusted.length) {
      problems.push(`Codex has not trusted the hook as it is now (no matching trusted_hash for ${untrusted.map((h) => h.key).join(', ')})`);
      arm ??= `agentfirewall install-hooks --agent codex${user ? ' --scope user' : ''}`;
    }
  } else if (agent === 'gemini' && !user && !geminiFolderTrusted(projectDir, env)) {
    problems.push(`Gemini CLI loads project hooks only in trusted folders, and ${projectDir} is not trusted (headless runs refuse it; --skip-trust drops the project's settings)`);
    arm = 'agentfirewall install-hooks --agent gemini --scope user';
  } else if (agent === 'copilot' && !user && !copilotFolderTrusted(projectDir, env)) {
    problems.push(`Copilot CLI loads .github/hooks only in trusted folders, and ${projectDir} is not trusted (unless it runs with --trust-folder)`);
    arm = 'agentfirewall install-hooks --agent copilot --scope user';
  }
  return { problems, arm };
}

/** The readiness of one agent's hook in one settings file, or null when none of ours is there. */
export function hookReadiness(agent: AgentName, scope: Scope, projectDir: string, env: NodeJS.ProcessEnv = process.env): HookReadiness | null {
  const file = settingsFile(agent, scope, projectDir, env);
  const commands = ourCommandsIn(agent, file);
  if (!commands.length) return null;
  const problems: string[] = [];
  for (const path of commandPaths(commands[0])) if (path.startsWith('/') && !existsSync(path)) problems.push(`${path} does not exist (reinstall: agentfirewall install-hooks --agent ${agent}${scope === 'user' ? ' --scope user' : ''})`);
  const trust = trustProblems(agent, scope, file, projectDir, env);
  problems.push(...trust.problems);
  return { agent, scope, file, command: commands[0], loads: problems.length === 0, problems, arm: trust.arm };
}

/** Every hook of ours installed for this project (its files and the user's). */
export function installedAgentHooks(projectDir: string, env: NodeJS.ProcessEnv = process.env): HookReadiness[] {
  const seen = new Set<string>();
  const found: HookReadiness[] = [];
  for (const agent of AGENTS) {
    for (const scope of SCOPES) {
      if (scope === 'local' && agent !== 'claude') continue; // only Claude Code has a local file; others map it to the project's
      const file = settingsFile(agent, scope, projectDir, env);
      if (seen.has(file)) continue;
      seen.add(file);
      const r = hookReadiness(agent, scope, projectDir, env);
      if (r) found.push(r);
    }
  }
  return found;
}

/** One line for a person: where it is and whether it will fire. */
export function readinessLine(r: HookReadiness): string {
  if (r.loads) return `${r.agent} (${r.scope}, ${r.file}): will load`;
  return `${r.agent} (${r.scope}, ${r.file}): INERT: ${r.problems.join('; ')}${r.arm ? `; arm it: ${r.arm}` : ''}`;
}
