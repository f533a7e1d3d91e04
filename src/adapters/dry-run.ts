import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentName } from './agent-protocols.js';

/**
 * Feed an installed hook what its agent would send for a destructive shell command, run exactly as the agent
 * runs it (the command string through the agent's shell, in the project, with the agent's variables), and
 * read the answer in the agent's own protocol. Nothing is executed but the hook: it only decides.
 */

/** The command every dry run asks about: what no guard may let through. */
export const DRY_RUN_COMMAND = 'rm -rf ~';

/** What the hook answered. */
export interface DryRun {
  denied: boolean;
  /** The rule or reason it gave, or what went wrong. */
  detail: string;
}

/** The agent's payload for a shell command: a real captured one (see hooks/payloads/README.md) with our values in. */
export function dryRunPayload(agent: AgentName, hooksDir: string, projectDir: string, home: string, command = DRY_RUN_COMMAND): string {
  const inJson = (s: string) => JSON.stringify(s).slice(1, -1);
  const text = readFileSync(join(hooksDir, 'payloads', `${agent}.json`), 'utf8')
    .replaceAll('@PROJECT@', inJson(projectDir))
    .replaceAll('@HOME@', inJson(home))
    .replaceAll('@COMMAND@', inJson(command));
  const value = JSON.parse(text) as Record<string, Record<string, unknown>>;
  for (const key of ['tool_input', 'toolArgs']) if (value[key] && typeof value[key] === 'object') value[key].command = command;
  return JSON.stringify(value);
}

/** The variables an agent sets for its hooks (the project directory, mostly). */
function agentEnv(agent: AgentName, projectDir: string): Record<string, string> {
  switch (agent) {
    case 'claude':
      return { CLAUDE_PROJECT_DIR: projectDir, CLAUDECODE: '1' };
    case 'gemini':
      return { GEMINI_PROJECT_DIR: projectDir, GEMINI_CWD: projectDir, CLAUDE_PROJECT_DIR: projectDir };
    case 'copilot':
      return { COPILOT_CLI: '1', COPILOT_PROJECT_DIR: projectDir };
    case 'cursor':
      return { CURSOR_PROJECT_DIR: projectDir };
    default:
      return {};
  }
}

/** Did the hook's answer deny, in this agent's protocol? */
function deniedBy(agent: AgentName, stdout: string, status: number | null): boolean {
  if (agent === 'windsurf') return status === 2;
  let a: Record<string, any>;
  try {
    a = JSON.parse(stdout.trim() || '{}') as Record<string, any>;
  } catch {
    return false;
  }
  switch (agent) {
    case 'claude':
    case 'codex':
      return a.hookSpecificOutput?.permissionDecision === 'deny' || status === 2;
    case 'gemini':
      return a.decision === 'deny' || a.decision === 'block' || status === 2;
    case 'cursor':
      return a.permission === 'deny';
    case 'copilot':
      return a.permissionDecision === 'deny';
    case 'cline':
      return a.cancel === true;
  }
}

/** Run the hook `command` (or the Cline script `file`) as `agent` would, with the dry-run payload. */
export function dryRunHook(agent: AgentName, command: string, file: string, payload: string, projectDir: string, env: NodeJS.ProcessEnv = process.env): DryRun {
  // Claude Code and Codex run a hook command through sh -c, Gemini and Copilot (its `bash` entry) through bash -c.
  const [program, args] = agent === 'cline' ? [file, []] : [agent === 'gemini' || agent === 'copilot' ? 'bash' : 'sh', ['-c', command]];
  const r = spawnSync(program, args, { cwd: projectDir, input: payload, env: { ...env, ...agentEnv(agent, projectDir) }, encoding: 'utf8', timeout: 30_000 });
  if (r.error) return { denied: false, detail: `the hook did not run: ${r.error.message}` };
  if (deniedBy(agent, r.stdout, r.status)) {
    const rule = /rule ([a-z0-9-]+\/[a-z0-9-]+)/.exec(r.stdout + r.stderr)?.[1];
    return { denied: true, detail: rule ? `denied by ${rule}` : 'denied' };
  }
  const said = (r.stdout.trim() || r.stderr.trim()).split('\n')[0]?.slice(0, 200);
  return { denied: false, detail: `not denied (exit ${r.status}${said ? `, said: ${said}` : ', no answer'})` };
}
