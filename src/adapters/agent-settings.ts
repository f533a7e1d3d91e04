import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { AgentName } from './agent-protocols.js';
import { checkerPaths, shellQuote } from './shell-hooks.js';

/** Where an agent's hook registration goes: this checkout only, the repository (committed), or the user. */
export type Scope = 'local' | 'project' | 'user';
export const SCOPES: readonly Scope[] = ['local', 'project', 'user'];

/** The default scope: Claude Code has an uncommitted local file; the others a project file. */
export const defaultScope = (agent: AgentName): Scope => (agent === 'claude' ? 'local' : 'project');

/** The file an agent reads its hooks from, for a scope. */
export function settingsFile(agent: AgentName, scope: Scope, projectDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME ?? '';
  const user = scope === 'user';
  switch (agent) {
    case 'claude':
      if (user) return join(env.CLAUDE_CONFIG_DIR || join(home, '.claude'), 'settings.json');
      return join(projectDir, '.claude', scope === 'local' ? 'settings.local.json' : 'settings.json');
    case 'codex':
      return user ? join(env.CODEX_HOME || join(home, '.codex'), 'hooks.json') : join(projectDir, '.codex', 'hooks.json');
    case 'gemini':
      return user ? join(home, '.gemini', 'settings.json') : join(projectDir, '.gemini', 'settings.json');
    case 'cursor':
      return user ? join(home, '.cursor', 'hooks.json') : join(projectDir, '.cursor', 'hooks.json');
    case 'copilot':
      return user ? join(home, '.copilot', 'hooks', 'agentfirewall.json') : join(projectDir, '.github', 'hooks', 'agentfirewall.json');
    case 'windsurf':
      return user ? join(home, '.codeium', 'windsurf', 'hooks.json') : join(projectDir, '.windsurf', 'hooks.json');
    case 'cline':
      return user ? join(home, 'Documents', 'Cline', 'Hooks', 'PreToolUse') : join(projectDir, '.clinerules', 'hooks', 'PreToolUse');
  }
}

/** The agents whose configuration is found in the project or the home directory (what `protect` installs for). */
export function detectAgents(projectDir: string, env: NodeJS.ProcessEnv = process.env): AgentName[] {
  const home = env.HOME ?? '';
  const found: [AgentName, string[]][] = [
    ['claude', [join(projectDir, '.claude'), join(home, '.claude')]],
    ['codex', [join(projectDir, '.codex'), join(home, '.codex')]],
    ['gemini', [join(projectDir, '.gemini'), join(home, '.gemini')]],
    ['cursor', [join(projectDir, '.cursor'), join(home, '.cursor')]],
    ['copilot', [join(projectDir, '.github', 'hooks'), join(home, '.copilot')]],
    ['windsurf', [join(projectDir, '.windsurf'), join(home, '.codeium', 'windsurf')]],
    ['cline', [join(projectDir, '.clinerules'), join(home, 'Documents', 'Cline')]],
  ];
  return found.filter(([, dirs]) => dirs.some((d) => existsSync(d))).map(([agent]) => agent);
}

/** The command the agent runs: absolute node and CLI, so no PATH lookup and no npx. */
export function hookCommand(agent: AgentName): string {
  const { node, cli } = checkerPaths();
  return `${shellQuote(node)} ${shellQuote(cli)} hook ${agent}`;
}

type Json = Record<string, unknown>;
const TAG = 'agentfirewall';

/** Our entries, per agent, as they are merged into the settings. */
function ourEntries(agent: AgentName): Record<string, unknown[]> {
  const command = hookCommand(agent);
  switch (agent) {
    case 'claude':
      return { PreToolUse: [{ matcher: 'Bash|PowerShell|Write|Edit|MultiEdit|NotebookEdit|Read|Glob|Grep|WebFetch|WebSearch|mcp__.*', hooks: [{ type: 'command', command, timeout: 10, statusMessage: TAG }] }] };
    case 'codex':
      return { PreToolUse: [{ matcher: 'Bash|apply_patch|mcp__.*', hooks: [{ type: 'command', command, timeout: 10, statusMessage: TAG }] }] };
    case 'gemini':
      return { BeforeTool: [{ matcher: 'run_shell_command|write_file|replace|read_file|read_many_files|web_fetch|mcp_.*', hooks: [{ name: TAG, type: 'command', command, timeout: 10000 }] }] };
    case 'cursor':
      return {
        beforeShellExecution: [{ command, timeout: 10, failClosed: true }],
        beforeMCPExecution: [{ command, timeout: 10, failClosed: true }],
        beforeReadFile: [{ command, timeout: 10 }],
        preToolUse: [{ command, matcher: 'Write|Delete', timeout: 10 }],
      };
    case 'windsurf': {
      const entry = { command, show_output: true };
      return { pre_run_command: [entry], pre_write_code: [entry], pre_read_code: [entry], pre_mcp_tool_use: [entry] };
    }
    case 'copilot':
      return { preToolUse: [{ type: 'command', bash: command, timeoutSec: 10 }] };
    case 'cline':
      return {};
  }
}

/** Is this hook object (or group holding only such objects) ours? */
function isOurs(entry: unknown, agent: AgentName): boolean {
  const e = entry as Json;
  if (!e || typeof e !== 'object') return false;
  if (Array.isArray(e.hooks)) return e.hooks.length > 0 && e.hooks.every((h) => isOurs(h, agent));
  const command = String(e.command ?? e.bash ?? '');
  return e.statusMessage === TAG || e.name === TAG || (command.includes('agentfirewall') && command.endsWith(` hook ${agent}`));
}

/** The commands of our entries in an agent's settings file (empty when the file or our entry is missing). */
export function ourCommandsIn(agent: AgentName, file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  if (agent === 'cline') {
    const m = /^exec (.+)$/m.exec(text);
    return text.includes('# agentfirewall') && m ? [m[1]] : [];
  }
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch {
    return [];
  }
  const found: string[] = [];
  const visit = (entry: unknown) => {
    const e = entry as Json;
    if (!e || typeof e !== 'object') return;
    if (Array.isArray(e.hooks)) e.hooks.forEach(visit);
    else if (isOurs(e, agent)) found.push(String(e.command ?? e.bash ?? ''));
  };
  for (const list of Object.values(((value.hooks ?? {}) as Json))) if (Array.isArray(list)) list.forEach(visit);
  return [...new Set(found)];
}

/** The first two words of our command: the node and the CLI it runs (single-quoted, as we write them). */
export function commandPaths(command: string): string[] {
  const words: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  for (let m = re.exec(command); m && words.length < 2; m = re.exec(command)) words.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]);
  return words;
}

/** Is this handler object one of ours (for the agent's own trust bookkeeping)? */
export const isOurHandler = (agent: AgentName, handler: Record<string, unknown>): boolean => !Array.isArray(handler.hooks) && isOurs(handler, agent);

/** The settings value with every entry of ours removed (empty arrays we leave behind are dropped too). */
function withoutOurs(value: Json, agent: AgentName): Json {
  const hooks = value.hooks as Json | undefined;
  if (!hooks || typeof hooks !== 'object' || Array.isArray(hooks)) return value;
  const next: Json = {};
  for (const [event, list] of Object.entries(hooks)) {
    if (!Array.isArray(list)) {
      next[event] = list;
      continue;
    }
    const kept = list.filter((e) => !isOurs(e, agent));
    if (kept.length || list.length === 0) next[event] = kept;
  }
  return { ...value, hooks: next };
}

/** Atomic write (temporary file + rename), keeping the mode of the file it replaces. */
function writeAtomic(file: string, text: string, mode?: number): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.agentfirewall-${process.pid}.tmp`;
  writeFileSync(tmp, text);
  if (mode !== undefined) chmodSync(tmp, mode);
  renameSync(tmp, file);
}

/** Where the original text of a settings file is kept, so that uninstall can give its bytes back. */
function backupFile(file: string, backupDir: string): string {
  return join(backupDir, `${file.replace(/[^A-Za-z0-9._-]+/g, '_')}.orig`);
}

/** What install remembers about a settings file until uninstall: its text before, and the directories it made. */
interface Backup {
  existed: boolean;
  text: string;
  /** Directories that did not exist before install, deepest first. */
  dirs?: string[];
}

/** The directories above `file` that do not exist yet, deepest first. */
function missingDirs(file: string): string[] {
  const dirs: string[] = [];
  for (let dir = dirname(file); !existsSync(dir) && dirname(dir) !== dir; dir = dirname(dir)) dirs.push(dir);
  return dirs;
}

/** Keep the state from before our first install (a later reinstall must not overwrite it). */
function saveBackup(file: string, backupDir: string, backup: Backup): void {
  const path = backupFile(file, backupDir);
  if (existsSync(path)) return;
  mkdirSync(backupDir, { recursive: true, mode: 0o700 });
  writeFileSync(path, JSON.stringify(backup), { mode: 0o600 });
}

function readBackup(file: string, backupDir: string): Backup | undefined {
  try {
    return JSON.parse(readFileSync(backupFile(file, backupDir), 'utf8')) as Backup;
  } catch {
    return undefined;
  }
}

/** Remove the directories install created, once they are empty again (anything the user added keeps them). */
function removeCreatedDirs(backup: Backup | undefined): void {
  for (const dir of backup?.dirs ?? []) {
    try {
      rmdirSync(dir);
    } catch {
      return; // not empty, or gone: the ones above it hold it, so stop
    }
  }
}

const CLINE_SCRIPT = (command: string) => `#!/bin/sh\n# agentfirewall: Cline PreToolUse hook\nexec ${command}\n`;

/** A clear error for a settings file that cannot be used; it is left untouched. */
export class SettingsError extends Error {}

/**
 * Merge our hook entries into an agent's settings, idempotently (installing twice writes the same bytes).
 * The user's entries are kept; a file that is not valid JSON is refused and left untouched.
 */
export function installAgentHooks(agent: AgentName, file: string, backupDir: string): { changed: boolean } {
  if (agent === 'cline') {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : null;
    if (text !== null && !text.includes('# agentfirewall')) throw new SettingsError(`${file} exists and is not ours; not replaced`);
    const script = CLINE_SCRIPT(hookCommand(agent));
    if (text === script) return { changed: false };
    saveBackup(file, backupDir, { existed: text !== null, text: text ?? '', dirs: missingDirs(file) });
    writeAtomic(file, script, 0o755);
    return { changed: true };
  }
  const exists = existsSync(file);
  const original = exists ? readFileSync(file, 'utf8') : null;
  let value: Json = {};
  if (original !== null && original.trim() !== '') {
    try {
      const parsed = JSON.parse(original) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
      value = parsed as Json;
    } catch (error) {
      throw new SettingsError(`${file} is not valid JSON (${(error as Error).message}); fix it first, nothing was changed`);
    }
  }
  const base = withoutOurs(value, agent);
  const hooks = { ...((base.hooks as Json | undefined) ?? {}) };
  for (const [event, entries] of Object.entries(ourEntries(agent))) hooks[event] = [...((hooks[event] as unknown[] | undefined) ?? []), ...entries];
  const next: Json = agent === 'cursor' || agent === 'copilot' ? { version: 1, ...base, hooks } : { ...base, hooks };
  const text = `${JSON.stringify(next, null, 2)}\n`;
  if (text === original) return { changed: false };
  // Keep the text from before our first install, to give its bytes back on uninstall.
  saveBackup(file, backupDir, { existed: exists, text: original ?? '', dirs: missingDirs(file) });
  writeAtomic(file, text, exists ? statSync(file).mode & 0o7777 : undefined);
  return { changed: true };
}

/** Remove exactly our entries. When the rest equals the file before install, its original bytes come back. */
export function uninstallAgentHooks(agent: AgentName, file: string, backupDir: string): { changed: boolean } {
  if (!existsSync(file)) return { changed: false };
  const text = readFileSync(file, 'utf8');
  if (agent === 'cline') {
    if (!text.includes('# agentfirewall')) return { changed: false };
    rmSync(file);
    removeCreatedDirs(readBackup(file, backupDir));
    rmSync(backupFile(file, backupDir), { force: true });
    return { changed: true };
  }
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (error) {
    throw new SettingsError(`${file} is not valid JSON (${(error as Error).message}); nothing was changed`);
  }
  const rest = withoutOurs(value, agent);
  if (isDeepStrictEqual(rest, value)) return { changed: false };
  const saved = readBackup(file, backupDir);
  // The rest equals the file before install, but for what install itself added (an empty hooks object, version).
  const same = (t: string) => {
    try {
      const before = (t.trim() ? JSON.parse(t) : {}) as Json;
      const r: Json = { ...rest };
      if (!('version' in before)) delete r.version;
      if (!('hooks' in before) && Object.keys((r.hooks as Json | undefined) ?? {}).length === 0) delete r.hooks;
      return isDeepStrictEqual(before, r);
    } catch {
      return false;
    }
  };
  const emptied = isDeepStrictEqual(rest, { hooks: {} }) || isDeepStrictEqual(rest, { version: 1, hooks: {} });
  if (saved && !saved.existed && emptied) {
    rmSync(file);
    removeCreatedDirs(saved);
  } else if (saved && saved.existed && same(saved.text)) writeAtomic(file, saved.text, statSync(file).mode & 0o7777);
  else writeAtomic(file, `${JSON.stringify(rest, null, 2)}\n`, statSync(file).mode & 0o7777);
  rmSync(backupFile(file, backupDir), { force: true });
  return { changed: true };
}
