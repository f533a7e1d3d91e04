import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readTomlString, removeTomlTable, setTomlString, tomlHeaders } from './toml-tables.js';

/**
 * Codex runs a non-managed command hook only when it is trusted: `hooks.state."<file>:<event>:<group>:<handler>"`
 * in `$CODEX_HOME/config.toml` must hold the hook's current hash as `trusted_hash` (what its `/hooks` review
 * writes), and a project's `.codex/hooks.json` is read at all only in a trusted project. The hash is SHA-256 over
 * the compact JSON, keys sorted, of the hook's identity: its event, matcher and handler (Codex's defaults filled).
 */

type Json = Record<string, unknown>;

/** `$CODEX_HOME`, else `~/.codex`. */
export function codexHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.CODEX_HOME || join(env.HOME ?? '', '.codex');
}

export const codexConfigFile = (env: NodeJS.ProcessEnv = process.env): string => join(codexHome(env), 'config.toml');

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const key of Object.keys(value).sort()) out[key] = canonical((value as Json)[key]);
    return out;
  }
  return value;
}

/** Codex's trust hash of one command handler in a group of `hooks.json` (event in Codex's snake case). */
export function codexHookHash(event: string, matcher: string | undefined, handler: Json): string {
  const h: Json = { async: false, timeout: 600, ...handler };
  const identity: Json = { event_name: event, hooks: [h] };
  if (matcher !== undefined) identity.matcher = matcher;
  return `sha256:${createHash('sha256').update(JSON.stringify(canonical(identity))).digest('hex')}`;
}

/** One handler of ours in a Codex hooks file, with the key and hash Codex trusts it by. */
export interface CodexHook {
  key: string;
  hash: string;
  command: string;
}

const EVENTS: Record<string, string> = { PreToolUse: 'pre_tool_use', PostToolUse: 'post_tool_use', SessionStart: 'session_start', UserPromptSubmit: 'user_prompt_submit', Stop: 'stop' };

/** The handlers in a Codex hooks file that `isOurs` picks out, keyed as Codex keys them. */
export function codexHooksIn(file: string, isOurs: (handler: Json) => boolean): CodexHook[] {
  let value: Json;
  try {
    value = JSON.parse(readFileSync(file, 'utf8')) as Json;
  } catch {
    return [];
  }
  const found: CodexHook[] = [];
  const hooks = (value.hooks ?? {}) as Json;
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    const name = EVENTS[event] ?? event.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
    groups.forEach((group: Json, i) => {
      const handlers = Array.isArray(group?.hooks) ? (group.hooks as Json[]) : [];
      handlers.forEach((handler, j) => {
        if (!isOurs(handler)) return;
        const matcher = typeof group.matcher === 'string' ? group.matcher : undefined;
        found.push({ key: `${file}:${name}:${i}:${j}`, hash: codexHookHash(name, matcher, handler), command: String(handler.command ?? '') });
      });
    });
  }
  return found;
}

const stateHeader = (key: string) => `hooks.state.${JSON.stringify(key)}`;
const projectHeader = (dir: string) => `projects.${JSON.stringify(dir)}`;

function readConfig(env: NodeJS.ProcessEnv): string {
  try {
    return readFileSync(codexConfigFile(env), 'utf8');
  } catch {
    return '';
  }
}

function writeConfig(text: string, env: NodeJS.ProcessEnv): void {
  const file = codexConfigFile(env);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.agentfirewall-${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

/** Is this hook trusted by Codex as it is now (the recorded hash is its current one)? */
export function codexHookTrusted(hook: CodexHook, env: NodeJS.ProcessEnv = process.env): boolean {
  return readTomlString(readConfig(env), stateHeader(hook.key), 'trusted_hash') === hook.hash;
}

/** Record trust for these hooks at their current hashes (a changed command gets its new hash). Returns whether the file changed. */
export function trustCodexHooks(hooks: CodexHook[], env: NodeJS.ProcessEnv = process.env): boolean {
  const before = readConfig(env);
  let text = before;
  for (const hook of hooks) text = setTomlString(text, stateHeader(hook.key), 'trusted_hash', hook.hash);
  if (text === before) return false;
  writeConfig(text, env);
  return true;
}

/** Drop the trust entries of these hooks (on uninstall), only where they still hold the hash we wrote. */
export function untrustCodexHooks(hooks: CodexHook[], env: NodeJS.ProcessEnv = process.env): void {
  const before = readConfig(env);
  let text = before;
  for (const hook of hooks) if (readTomlString(text, stateHeader(hook.key), 'trusted_hash') === hook.hash) text = removeTomlTable(text, stateHeader(hook.key));
  if (text !== before) writeConfig(text, env);
}

/** The directory Codex takes as the project for `dir`: the repository root holding it, else `dir` itself. */
function projectRoots(dir: string): string[] {
  const roots = [dir];
  for (let d = dir; dirname(d) !== d; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) {
      if (d !== dir) roots.push(d);
      break;
    }
  }
  return roots;
}

/** Does Codex trust this project (`[projects."<dir>"] trust_level = "trusted"` for it or its repository root)? */
export function codexProjectTrusted(projectDir: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const text = readConfig(env);
  return projectRoots(projectDir).some((d) => readTomlString(text, projectHeader(d), 'trust_level') === 'trusted');
}

/** Mark the project trusted in Codex's config, as its own trust prompt does. */
export function trustCodexProject(projectDir: string, env: NodeJS.ProcessEnv = process.env): void {
  const text = readConfig(env);
  writeConfig(setTomlString(text, projectHeader(projectDir), 'trust_level', 'trusted'), env);
}

/** Every trust key in the config (for tests and doctor). */
export function codexTrustKeys(env: NodeJS.ProcessEnv = process.env): string[] {
  return tomlHeaders(readConfig(env)).filter((h) => h.startsWith('hooks.state.')).map((h) => JSON.parse(h.slice('hooks.state.'.length)) as string);
}
