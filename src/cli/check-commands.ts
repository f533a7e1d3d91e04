import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { shouldRecord } from '../adapters/audit-level.js';
import { openAuditLog } from '../adapters/audit-log.js';
import { decisionNotice } from '../adapters/breaker-notice.js';
import { decideCommand } from '../adapters/path-facts.js';
import { parseLineEnv } from '../adapters/line-env.js';
import { firewallPaths, requireDist } from '../config/locate.js';
import { loadPolicy } from '../config/policy-cache.js';
import type { LoadedPolicy } from '../config/policy-types.js';
import { howToAllow } from '../config/next-step.js';
import { formatIssue } from '../config/validate.js';
import { Engine } from '../engine/engine.js';
import type { GlobMatcherFactory } from '../engine/path-globs.js';
import type { Decision, FileOperation, FirewallEvent } from '../engine/types.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { hostSyntaxError } from './host-syntax.js';
import { projectOrExit } from './project.js';
import { print, say, sayLines, styleFor, verdictLabel } from './output.js';

/** Options shared by check, check-file and check-network. */
export interface CheckOptions {
  json?: boolean;
  /** Print nothing for allowed actions (hooks use this). */
  quiet?: boolean;
  /** Who is asking, for the audit log: cli, bash, zsh, claude ... */
  source?: string;
  cwd?: string;
  /** With a broken config, decide with the standard preset (and say so) instead of exiting 2: for enforcement points. */
  fallback?: boolean;
  /** The line was typed at an interactive shell by a person. */
  interactive?: boolean;
  /** The line may be an incomplete fragment: exit 3 when more lines are needed. */
  fragment?: boolean;
}

/** The project's policy for a check, or an exit code when there is none or it is broken. */
export async function policyFor(cwd: string, fallback = false): Promise<LoadedPolicy | number> {
  const projectDir = projectOrExit(cwd);
  if (typeof projectDir === 'number') return projectDir;
  let loaded: LoadedPolicy;
  try {
    loaded = await loadPolicy(projectDir);
  } catch (error) {
    say(`cannot load the configuration: ${(error as Error).message}`);
    return EXIT.error;
  }
  if (loaded.issues.length && fallback) {
    const { loadFallbackPolicy } = requireDist<typeof import('../config/load.js')>('config/load.js');
    const standard = loadFallbackPolicy(projectDir, loaded.issues);
    say(`warning: ${standard.policy.fallback}`);
    return { ...standard, issues: [] };
  }
  if (loaded.issues.length) {
    say(`the configuration has ${loaded.issues.length === 1 ? '1 error' : `${loaded.issues.length} errors`}; nothing was checked:`);
    sayLines(loaded.issues.map((issue) => `  ${formatIssue(issue)}`));
    return EXIT.error;
  }
  return loaded;
}

export function homeDir(): string {
  const home = process.env.HOME || process.getBuiltinModule('node:os').homedir();
  try {
    return realpathSync(home);
  } catch {
    return resolve(home);
  }
}

/** Resolve `..` and symlinks of a path that may not exist yet: the existing part is resolved, the rest appended. */
export function resolveExisting(path: string, followLast: boolean): string {
  const abs = resolve(path);
  const tail: string[] = [];
  let head = followLast ? abs : dirname(abs);
  if (!followLast) tail.push(basename(abs));
  for (;;) {
    try {
      return join(realpathSync(head), ...tail.reverse());
    } catch {
      const up = dirname(head);
      if (up === head) return abs;
      tail.push(basename(head));
      head = up;
    }
  }
}

async function report(
  loaded: LoadedPolicy, type: 'command' | 'file' | 'network', target: string, decision: Decision, options: CheckOptions, cwd: string,
): Promise<number> {
  let code = exitCodeFor(decision.verdict);
  const source = options.source ?? 'cli';
  if (shouldRecord(loaded.logging, decision.verdict)) {
    try {
      openAuditLog(firewallPaths(loaded.policy.projectDir).dir, loaded.logging).decision(type, target, decision, source, cwd);
    } catch (error) {
      say((error as Error).message);
      code = EXIT.error;
    }
  }
  if (options.json) {
    print(JSON.stringify({ verdict: decision.verdict, rule: decision.rule, reason: decision.reason, type, target, matches: decision.matches }));
  } else if (!(options.quiet && decision.verdict === 'allow')) {
    const style = await styleFor(2);
    const rule = decision.verdict === 'allow' ? '' : ` [${decision.rule}]`;
    say(`${verdictLabel(decision.verdict, style)}${rule} ${target}${decision.verdict === 'allow' ? '' : `: ${decision.reason}`}`);
    const next = howToAllow(decision);
    if (next) say(style.dim(next));
  }
  // A disarmed watcher must be heard where the user looks: with every deny and warn.
  const notice = decision.verdict === 'allow' ? '' : decisionNotice(loaded, firewallPaths(loaded.policy.projectDir).dir);
  if (notice) say(notice);
  return code;
}

/** The environment variables a line refers to (`$NAME`, `${NAME...}`); copying all of process.env is slow. */
/**
 * The environment the line runs in: every variable of this process (it runs with the caller's environment, and
 * the engine takes a variable it is not given as empty), with `lineEnv` the shell variables a guard sent
 * (`AGENTFIREWALL_LINE_ENV`, which also carries unexported ones). bash never takes IFS from its environment.
 */
function lineEnvironment(lineEnv: boolean): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  delete env.IFS;
  delete env.AGENTFIREWALL_LINE_ENV;
  if (lineEnv) Object.assign(env, parseLineEnv(process.env.AGENTFIREWALL_LINE_ENV));
  return env;
}

/** picomatch, loaded the first time a command's file operation is compared with protected paths. */
export const lazyGlob: GlobMatcherFactory = (glob) => requireDist<typeof import('../config/glob.js')>('config/glob.js').picomatchGlob(glob);

/** The engine event for a command line run from `cwd`. */
export function commandEvent(command: string, cwd?: string, lineEnv = false): Extract<FirewallEvent, { type: 'command' }> {
  const realCwd = resolveExisting(resolve(cwd ?? process.cwd()), true);
  const env = lineEnvironment(lineEnv);
  env.PWD = realCwd;
  return { type: 'command', command, cwd: realCwd, home: homeDir(), env };
}

/** `agentfirewall check <command>`: decide a shell command line. */
export async function runCheck(command: string, options: CheckOptions): Promise<number> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const loaded = await policyFor(cwd, options.fallback);
  if (typeof loaded === 'number') return loaded;
  // A shell guard sends its shell's variables with the line; an agent's hook has no such caller.
  const event = commandEvent(command, cwd, true);
  if (options.interactive) event.interactive = true;
  if (options.fragment) event.fragment = true;
  const decision = decideCommand(new Engine(loaded.policy, { glob: lazyGlob }), event);
  if (options.fragment && decision.rule === 'parse/incomplete') return EXIT.incomplete;
  return report(loaded, 'command', command, decision, options, cwd);
}

/** `agentfirewall check-file <path> -o <operation>`: decide a file operation. */
export async function runCheckFile(path: string, operation: FileOperation, options: CheckOptions): Promise<number> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const loaded = await policyFor(cwd, options.fallback);
  if (typeof loaded === 'number') return loaded;
  // Deleting or moving a symlink acts on the link itself; writing through it acts on its target.
  const follow = operation !== 'delete' && operation !== 'move_outside_sandbox';
  const resolved = resolveExisting(resolve(cwd, path), follow);
  const { picomatchGlob } = requireDist<typeof import('../config/glob.js')>('config/glob.js');
  const decision = new Engine(loaded.policy, { glob: picomatchGlob }).decide({ type: 'file', operation, path: resolved, home: homeDir() });
  return report(loaded, 'file', `${operation} ${resolved}`, decision, options, cwd);
}

/** `agentfirewall check-network <host>`: decide an outbound connection. */
export async function runCheckNetwork(host: string, port: number | undefined, options: CheckOptions): Promise<number> {
  const problem = hostSyntaxError(host);
  if (problem) {
    sayLines([`agentfirewall: '${host}' ${problem}`, 'agentfirewall: pass a host such as example.com, 10.0.0.1, [::1]:8080 or https://example.com/path']);
    return EXIT.error;
  }
  const cwd = resolve(options.cwd ?? process.cwd());
  const loaded = await policyFor(cwd, options.fallback);
  if (typeof loaded === 'number') return loaded;
  const decision = new Engine(loaded.policy).decide({ type: 'network', host, port });
  return report(loaded, 'network', port ? `${host}:${port}` : host, decision, options, cwd);
}
