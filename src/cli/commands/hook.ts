import { existsSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { AGENTS, answer, callerOf, toolCall, type Action, type AgentName } from '../../adapters/agent-protocols.js';
import { commandPaths, ourCommandsIn, settingsFile } from '../../adapters/agent-settings.js';
import { shouldRecord } from '../../adapters/audit-level.js';
import { openAuditLog } from '../../adapters/audit-log.js';
import { decisionNotice } from '../../adapters/breaker-notice.js';
import { decideCommand } from '../../adapters/path-facts.js';
import { findProjectDir, firewallPaths, requireDist } from '../../config/locate.js';
import { howToAllow } from '../../config/next-step.js';
import { loadPolicy } from '../../config/policy-cache.js';
import type { LoadedPolicy } from '../../config/policy-types.js';
import { Engine } from '../../engine/engine.js';
import type { Decision, FirewallEvent } from '../../engine/types.js';
import { commandEvent, homeDir, lazyGlob, resolveExisting } from '../check-commands.js';
import { EXIT } from '../exit-codes.js';
import { print, say } from '../output.js';

const MAX_INPUT = 10 * 1024 * 1024;

/** All of standard input, up to MAX_INPUT bytes (a larger payload is an error, not a truncation). */
function readInput(): string {
  const chunks: Buffer[] = [];
  let total = 0;
  const buffer = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EOF') break;
      throw error;
    }
    if (n === 0) break;
    total += n;
    if (total > MAX_INPUT) throw new Error(`input larger than ${MAX_INPUT} bytes`);
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

function emit(agent: AgentName, verdict: 'allow' | 'warn' | 'deny', message: string): number {
  const a = answer(agent, verdict, message);
  if (a.stdout) print(a.stdout);
  if (a.stderr) process.getBuiltinModule('node:fs').writeSync(2, a.stderr);
  return a.exitCode;
}

/** The engine event for an action, or null for actions that are recorded but not judged (reads, MCP calls themselves). */
function eventFor(action: Action, cwd: string): FirewallEvent | null {
  switch (action.kind) {
    case 'command':
      return commandEvent(action.command, action.cwd ? resolve(cwd, action.cwd) : cwd);
    case 'write':
    case 'delete': {
      const abs = resolve(cwd, action.path);
      const operation = action.kind === 'delete' ? 'delete' : existsSync(abs) ? 'write' : 'create';
      return { type: 'file', operation, path: resolveExisting(abs, action.kind === 'write'), home: homeDir() };
    }
    case 'network':
      return { type: 'network', host: action.host };
    default:
      return null;
  }
}

/** What the audit line names: file targets by absolute path, as the watcher and check-file log them. */
const targetOf = (a: Action, cwd: string): string =>
  a.kind === 'command' ? a.command : a.kind === 'write' || a.kind === 'delete' ? resolve(cwd, a.path) : a.kind === 'network' ? a.host : a.kind === 'read' ? (a.path ? resolve(cwd, a.path) : '') : a.tool;

/** Is our Copilot hook registered where Copilot reads it for this project, with a node and CLI that exist? */
function copilotHookInstalled(projectDir: string): boolean {
  return (['project', 'user'] as const).some((scope) =>
    ourCommandsIn('copilot', settingsFile('copilot', scope, projectDir)).some((command) => commandPaths(command).every((p) => !p.startsWith('/') || existsSync(p))));
}

/** `agentfirewall hook <agent>`: answer one tool call of an agent in its own protocol. */
export async function runHook(agentName: string): Promise<number> {
  if (!(AGENTS as readonly string[]).includes(agentName)) {
    say(`unknown agent '${agentName}'; agents are ${AGENTS.join(', ')}`);
    return EXIT.error;
  }
  const agent = agentName as AgentName;
  let loaded: LoadedPolicy | undefined;
  try {
    let payload: unknown;
    try {
      payload = JSON.parse(readInput());
    } catch (error) {
      throw new Error(`cannot read the hook input: ${(error as Error).message}`);
    }
    const call = toolCall(agent, payload, process.env);
    const projectDir = [...call.projectHints, process.cwd()].map((h) => findProjectDir(h)).find((d): d is string => d !== null);
    if (!projectDir) return emit(agent, 'allow', ''); // outside a protected project: not our business
    const caller = callerOf(agent, payload, process.env);
    // Copilot runs its own hook for the same call when ours is installed for it: check the call once, there.
    if (caller !== agent && copilotHookInstalled(projectDir)) return emit(agent, 'allow', '');
    loaded = await loadPolicy(projectDir);
    let note = '';
    if (loaded.issues.length) {
      const { loadFallbackPolicy } = requireDist<typeof import('../../config/load.js')>('config/load.js');
      const fallback = loadFallbackPolicy(projectDir, loaded.issues);
      note = ` (${fallback.policy.fallback})`;
      loaded = { ...fallback, issues: [] };
    }
    const engine = new Engine(loaded.policy, { glob: lazyGlob });
    const cwd = call.cwd ? resolve(projectDir, call.cwd) : projectDir;
    let worst: { decision: Decision; action: Action } | undefined;
    const toRecord: { action: Action; decision: Decision }[] = [];
    for (const action of call.actions) {
      const event = eventFor(action, cwd);
      const decision: Decision = event ? (event.type === 'command' ? decideCommand(engine, event) : engine.decide(event)) : { verdict: 'allow', rule: 'default/allow', reason: `${action.kind} of ${call.tool} is not judged`, matches: [] };
      if (shouldRecord(loaded.logging, decision.verdict)) toRecord.push({ action, decision });
      const rank = { allow: 0, warn: 1, deny: 2 };
      if (!worst || rank[decision.verdict] > rank[worst.decision.verdict]) worst = { decision, action };
    }
    if (toRecord.length) {
      const audit = openAuditLog(firewallPaths(projectDir).dir, loaded.logging);
      for (const { action, decision } of toRecord) {
        const type = action.kind === 'command' ? 'command' : action.kind === 'network' ? 'network' : 'file';
        audit.decision(type, targetOf(action, cwd), decision, caller, cwd);
      }
    }
    if (!worst || worst.decision.verdict === 'allow') return emit(agent, 'allow', note ? `agentfirewall: ${note.trim()}` : '');
    const d = worst.decision;
    const notice = decisionNotice(loaded, firewallPaths(projectDir).dir);
    const next = howToAllow(d);
    return emit(agent, d.verdict, `agentfirewall: ${d.verdict === 'deny' ? 'denied' : 'warning'} by rule ${d.rule}: ${d.reason}${note}${notice ? ` (${notice})` : ''}${next ? `\nagentfirewall: ${next}` : ''}`);
  } catch (error) {
    // Fail closed unless the config says otherwise: never crash, never stray bytes on stdout.
    const open = loaded?.hooks.fail === 'open';
    say(`hook ${agent}: ${(error as Error).message}`);
    return emit(agent, open ? 'allow' : 'deny', `agentfirewall: ${(error as Error).message}; the call is ${open ? 'allowed (hooks.fail: open)' : 'refused (hooks.fail: closed)'}`);
  }
}
