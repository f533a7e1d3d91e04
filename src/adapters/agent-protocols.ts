/**
 * Coding agents' hook protocols: what a tool call asks for, read from each agent's payload, and each agent's
 * exact answer for allow, warn and deny. No I/O here; `agentfirewall hook <agent>` does the reading and deciding.
 */

/** Agents with a hook protocol. */
export const AGENTS = ['claude', 'codex', 'gemini', 'cursor', 'copilot', 'windsurf', 'cline'] as const;
export type AgentName = (typeof AGENTS)[number];

/** One thing a tool call would do, in engine terms. */
export type Action =
  | { kind: 'command'; command: string; cwd?: string }
  | { kind: 'write'; path: string }
  | { kind: 'delete'; path: string }
  | { kind: 'network'; host: string }
  | { kind: 'read'; path?: string }
  | { kind: 'mcp'; tool: string }
  | { kind: 'other'; tool: string };

/** A tool call, normalised. */
export interface ToolCall {
  tool: string;
  actions: Action[];
  cwd?: string;
  /** Roots the agent names for the project (env variable or payload). */
  projectHints: string[];
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Tool arguments that arrive as a JSON string in some protocols. */
function args(v: unknown): Json {
  if (typeof v === 'string') {
    try {
      return obj(JSON.parse(v));
    } catch {
      return {};
    }
  }
  return obj(v);
}

const URL_RE = /\bhttps?:\/\/[^\s"'<>)]+/gi;

function hostOf(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#\s]+)/i.exec(url.trim());
  return m ? m[1] : undefined;
}

/** MCP arguments: commands and URLs inside are checked like any other; writes when the tool's name says so. */
function mcpActions(tool: string, a: Json): Action[] {
  const actions: Action[] = [{ kind: 'mcp', tool }];
  const writes = /write|edit|create|delete|remove|move|rename|patch/i.test(tool);
  const walk = (value: unknown, key: string, depth: number) => {
    if (depth > 4) return;
    if (typeof value === 'string') {
      if (/^(command|cmd|script|shell|commandLine|command_line)$/i.test(key)) actions.push({ kind: 'command', command: value });
      else if (/url|uri|href|endpoint/i.test(key) || /^https?:\/\//i.test(value)) {
        const host = hostOf(value);
        if (host) actions.push({ kind: 'network', host });
      } else if (writes && /path|file|dest|target/i.test(key)) {
        actions.push(/delete|remove/i.test(tool) ? { kind: 'delete', path: value } : { kind: 'write', path: value });
      }
    } else if (Array.isArray(value)) value.forEach((v) => walk(v, key, depth + 1));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k, depth + 1);
  };
  walk(a, '', 0);
  return actions;
}

/** Files a Codex `apply_patch` touches. */
function patchActions(input: Json): Action[] {
  const text = Object.values(input).find((v) => typeof v === 'string' && v.includes('*** ')) as string | undefined;
  if (!text) return [{ kind: 'other', tool: 'apply_patch' }];
  const actions: Action[] = [];
  for (const m of text.matchAll(/^\*\*\* (Add File|Update File|Delete File|Move to): (.+)$/gm)) {
    actions.push(m[1] === 'Delete File' ? { kind: 'delete', path: m[2].trim() } : { kind: 'write', path: m[2].trim() });
  }
  return actions.length ? actions : [{ kind: 'other', tool: 'apply_patch' }];
}

/** Claude Code and Codex share a payload shape. */
function claudeShape(p: Json, env: Record<string, string | undefined>, projectVar: string): ToolCall {
  const tool = str(p.tool_name) ?? '';
  const input = args(p.tool_input);
  const cwd = str(p.cwd);
  const hints = [env[projectVar], cwd].filter((x): x is string => !!x);
  const file = str(input.file_path) ?? str(input.notebook_path) ?? str(input.path);
  let actions: Action[];
  if (/^(Bash|PowerShell|shell|local_shell|exec_command|unified_exec)$/.test(tool)) actions = [{ kind: 'command', command: str(input.command) ?? (Array.isArray(input.command) ? (input.command as string[]).join(' ') : '') }];
  else if (/^(Write|Edit|MultiEdit|NotebookEdit)$/.test(tool) && file) actions = [{ kind: 'write', path: file }];
  else if (tool === 'apply_patch') actions = patchActions(input);
  else if (/^(Read|Glob|Grep|LS|NotebookRead)$/.test(tool)) actions = [{ kind: 'read', path: file }];
  else if (tool === 'WebFetch') {
    const host = hostOf(str(input.url) ?? '');
    actions = host ? [{ kind: 'network', host }] : [{ kind: 'other', tool }];
  } else if (tool.startsWith('mcp__')) actions = mcpActions(tool, input);
  else actions = [{ kind: 'other', tool }];
  return { tool, actions, cwd, projectHints: hints };
}

/**
 * Who really made a call that arrived at `hook <agent>`. Copilot CLI also runs the Claude-format hooks of
 * `.claude/settings*.json`; it sets `COPILOT_CLI=1` for its hooks and sends no `transcript_path` (Claude Code
 * always does) with an ISO `timestamp` (Claude Code sends none).
 */
export function callerOf(agent: AgentName, payload: unknown, env: Record<string, string | undefined>): AgentName {
  if (agent !== 'claude') return agent;
  const p = obj(payload);
  if (env.COPILOT_CLI === '1' && !env.CLAUDECODE) return 'copilot';
  if (p.transcript_path === undefined && typeof p.timestamp === 'string' && p.permission_mode === undefined) return 'copilot';
  return agent;
}

/** Read an agent's hook payload (already parsed JSON) into a tool call. */
export function toolCall(agent: AgentName, payload: unknown, env: Record<string, string | undefined>): ToolCall {
  const p = obj(payload);
  switch (agent) {
    case 'claude':
      return claudeShape(p, env, 'CLAUDE_PROJECT_DIR');
    case 'codex':
      return claudeShape(p, env, 'CODEX_PROJECT_DIR');
    case 'gemini': {
      const tool = str(p.tool_name) ?? '';
      const input = args(p.tool_input);
      const cwd = str(input.dir_path) ?? str(p.cwd);
      const hints = [env.GEMINI_PROJECT_DIR, str(p.cwd)].filter((x): x is string => !!x);
      let actions: Action[];
      if (tool === 'run_shell_command') actions = [{ kind: 'command', command: str(input.command) ?? '', cwd }];
      else if ((tool === 'write_file' || tool === 'replace') && str(input.file_path)) actions = [{ kind: 'write', path: str(input.file_path)! }];
      else if (tool === 'read_file' || tool === 'read_many_files') actions = [{ kind: 'read', path: str(input.file_path) }];
      else if (tool === 'web_fetch') {
        const urls = (str(input.prompt) ?? str(input.url) ?? '').match(URL_RE) ?? [];
        actions = urls.map((u) => hostOf(u)).filter((h): h is string => !!h).map((host) => ({ kind: 'network' as const, host }));
        if (!actions.length) actions = [{ kind: 'other', tool }];
      } else if (tool.startsWith('mcp_')) actions = mcpActions(tool, input);
      else actions = [{ kind: 'other', tool }];
      return { tool, actions, cwd, projectHints: hints };
    }
    case 'cursor': {
      const event = str(p.hook_event_name) ?? '';
      const roots = Array.isArray(p.workspace_roots) ? (p.workspace_roots as unknown[]).filter((r): r is string => typeof r === 'string') : [];
      const cwd = str(p.cwd) || undefined;
      const hints = [env.CURSOR_PROJECT_DIR, ...roots, cwd].filter((x): x is string => !!x);
      if (event === 'beforeShellExecution') return { tool: 'shell', actions: [{ kind: 'command', command: str(p.command) ?? '', cwd }], cwd, projectHints: hints };
      if (event === 'beforeMCPExecution') return { tool: str(p.tool_name) ?? 'mcp', actions: mcpActions(str(p.tool_name) ?? 'mcp', args(p.tool_input)), cwd, projectHints: hints };
      if (event === 'beforeReadFile') return { tool: 'read', actions: [{ kind: 'read', path: str(p.file_path) }], cwd, projectHints: hints };
      const tool = str(p.tool_name) ?? event;
      const file = str(args(p.tool_input).file_path);
      if (event === 'preToolUse' && file && (tool === 'Write' || tool === 'Delete')) return { tool, actions: [tool === 'Delete' ? { kind: 'delete', path: file } : { kind: 'write', path: file }], cwd, projectHints: hints };
      return { tool, actions: [{ kind: 'other', tool }], cwd, projectHints: hints };
    }
    case 'copilot': {
      // camelCase `preToolUse` events carry {toolName, toolArgs}; PascalCase ones the Claude shape.
      if (p.tool_name !== undefined) return claudeShape(p, env, 'COPILOT_PROJECT_DIR');
      const tool = str(p.toolName) ?? '';
      const input = args(p.toolArgs);
      const cwd = str(p.cwd);
      const hints = [cwd].filter((x): x is string => !!x);
      const file = str(input.path) ?? str(input.file_path);
      let actions: Action[];
      if (tool === 'bash' || tool === 'powershell' || tool === 'shell') actions = [{ kind: 'command', command: str(input.command) ?? '' }];
      else if ((tool === 'create' || tool === 'edit' || tool === 'write') && file) actions = [{ kind: 'write', path: file }];
      else if (tool === 'view' || tool === 'glob' || tool === 'grep') actions = [{ kind: 'read', path: file }];
      else if (tool === 'web_fetch') {
        const host = hostOf(str(input.url) ?? '');
        actions = host ? [{ kind: 'network', host }] : [{ kind: 'other', tool }];
      } else if (tool === 'task' || tool === 'ask_user' || tool === 'report_intent') actions = [{ kind: 'other', tool }];
      else actions = mcpActions(tool, input);
      return { tool, actions, cwd, projectHints: hints };
    }
    case 'windsurf': {
      const event = str(p.agent_action_name) ?? '';
      const info = obj(p.tool_info);
      const cwd = str(info.cwd);
      const hints = [cwd, env.PWD].filter((x): x is string => !!x);
      if (event === 'pre_run_command') return { tool: event, actions: [{ kind: 'command', command: str(info.command_line) ?? '', cwd }], cwd, projectHints: hints };
      if (event === 'pre_write_code' && str(info.file_path)) return { tool: event, actions: [{ kind: 'write', path: str(info.file_path)! }], cwd, projectHints: hints };
      if (event === 'pre_read_code') return { tool: event, actions: [{ kind: 'read', path: str(info.file_path) }], cwd, projectHints: hints };
      if (event === 'pre_mcp_tool_use') return { tool: `${str(info.mcp_server_name)}/${str(info.mcp_tool_name)}`, actions: mcpActions(str(info.mcp_tool_name) ?? 'mcp', args(info.mcp_tool_arguments)), cwd, projectHints: hints };
      return { tool: event, actions: [{ kind: 'other', tool: event }], cwd, projectHints: hints };
    }
    case 'cline': {
      const pre = obj(p.preToolUse);
      const tool = str(pre.tool) ?? str(pre.toolName) ?? '';
      const input = args(pre.parameters);
      const roots = Array.isArray(p.workspaceRoots) ? (p.workspaceRoots as unknown[]).filter((r): r is string => typeof r === 'string') : [];
      const workspace = str(p.workspacePath) ?? roots[0];
      const hints = [workspace].filter((x): x is string => !!x);
      let actions: Action[];
      if (tool === 'execute_command') actions = [{ kind: 'command', command: str(input.command) ?? '' }];
      else if ((tool === 'write_to_file' || tool === 'replace_in_file') && str(input.path)) actions = [{ kind: 'write', path: str(input.path)! }];
      else if (tool === 'read_file' || tool === 'list_files' || tool === 'search_files') actions = [{ kind: 'read', path: str(input.path) }];
      else if (tool === 'use_mcp_tool') actions = mcpActions(str(input.tool_name) ?? 'mcp', args(input.arguments));
      else if (tool === 'browser_action' && str(input.url)) {
        const host = hostOf(str(input.url)!);
        actions = host ? [{ kind: 'network', host }] : [{ kind: 'other', tool }];
      } else actions = [{ kind: 'other', tool }];
      return { tool, actions, cwd: workspace, projectHints: hints };
    }
  }
}

/** What the hook prints and exits with. */
export interface HookAnswer {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The agent's answer for a verdict. `message` names the rule and reason, for the model and the user. */
export function answer(agent: AgentName, verdict: 'allow' | 'warn' | 'deny', message: string): HookAnswer {
  const json = (v: unknown): HookAnswer => ({ stdout: `${JSON.stringify(v)}\n`, stderr: '', exitCode: 0 });
  const none: HookAnswer = { stdout: '', stderr: '', exitCode: 0 };
  switch (agent) {
    case 'claude':
    case 'codex':
      if (verdict === 'deny') return json({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: message } });
      // Never "allow": that would skip the user's own permission prompt.
      if (verdict === 'warn') return json({ systemMessage: message, hookSpecificOutput: { hookEventName: 'PreToolUse', additionalContext: message } });
      return none;
    case 'gemini':
      if (verdict === 'deny') return json({ decision: 'deny', reason: message });
      if (verdict === 'warn') return json({ systemMessage: message });
      return none;
    case 'cursor':
      if (verdict === 'deny') return json({ permission: 'deny', user_message: message, agent_message: message });
      return json({ permission: 'allow' }); // required with failClosed, which the installer sets
    case 'copilot':
      if (verdict === 'deny') return json({ permissionDecision: 'deny', permissionDecisionReason: message });
      return none;
    case 'windsurf':
      if (verdict === 'deny') return { stdout: '', stderr: `${message}\n`, exitCode: 2 };
      if (verdict === 'warn') return { stdout: `${message}\n`, stderr: '', exitCode: 0 };
      return none;
    case 'cline':
      if (verdict === 'deny') return json({ cancel: true, errorMessage: message, contextModification: message });
      if (verdict === 'warn') return json({ cancel: false, contextModification: message });
      return json({ cancel: false });
  }
}
