import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { createEngine } from '../config/glob.js';
import { firewallPaths } from '../config/locate.js';
import { loadFallbackPolicy, loadPolicyFromYaml } from '../config/load.js';
import type { LoadedPolicy } from '../config/policy-types.js';
import { formatIssue } from '../config/validate.js';
import type { Engine } from '../engine/engine.js';
import type { Decision, FileOperation } from '../engine/types.js';
import { openAuditLog, type AuditLog } from './audit-log.js';
import { attribute, listProcesses, stopTree } from './processes.js';
import { envTemplateCopied } from './path-facts.js';

/** What the watcher reports about itself (also written to `.agentfirewall/run/watcher.json` for `status`). */
export interface WatcherState {
  pid: number;
  startedAt: string;
  /** The circuit breaker tripped: violations are logged, nothing is stopped. */
  alertOnly: boolean;
  stops: number;
  /** Config problems when the last reload failed (the last good policy stays in force). */
  configIssues: string[];
  /** The initial scan is done: events are being delivered. */
  ready: boolean;
}

export interface Watcher {
  state(): WatcherState;
  reload(): void;
  /** Resolves when the initial scan is done and events are being delivered. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface WatcherOptions {
  projectDir: string;
  home: string;
  /** A human message (the daemon's own log). */
  say: (message: string) => void;
  /** AGENTFIREWALL_RUN_ID of processes started by a launcher for this project, if any. */
  runId?: string;
}

/** Directories of `.agentfirewall/` that agentfirewall itself writes: never events. */
const OWN_DIRS = ['logs', 'cache', 'run', 'vault', 'hooks'];

const RELOAD_DEBOUNCE_MS = 150;

const EVENT_OPERATION: Record<string, FileOperation> = { unlink: 'delete', unlinkDir: 'delete', change: 'write', add: 'create', addDir: 'create' };

/**
 * Watch the sandbox root; for each event the policy denies: write the audit line, stop the processes the
 * event can be attributed to (logging each stop before it happens), and put a protected file back.
 */
export function startWatcher(options: WatcherOptions): Watcher {
  const { projectDir, home, say } = options;
  const paths = firewallPaths(projectDir);
  const vaultDir = join(paths.dir, 'vault');
  let loaded: LoadedPolicy;
  let engine: Engine;
  let audit: AuditLog;
  const stopTimes: number[] = [];
  const state: WatcherState = { pid: process.pid, startedAt: new Date().toISOString(), alertOnly: false, stops: 0, configIssues: [], ready: false };
  const vault = new Map<string, { copy: string; mode: number }>();
  /** Files the policy protects, found by the last walk (a reload watches the ones that became protected). */
  const protectedFiles = new Set<string>();
  let fsWatcher: FSWatcher | undefined;

  const persistState = () => {
    try {
      mkdirSync(join(paths.dir, 'run'), { recursive: true, mode: 0o700 });
      writeFileSync(join(paths.dir, 'run', 'watcher.json'), JSON.stringify(state));
    } catch {
      // status then shows less; enforcement does not depend on it
    }
  };

  const load = (initial: boolean) => {
    const next = loadPolicyFromYaml(projectDir);
    if (next.issues.length) {
      state.configIssues = next.issues.map(formatIssue);
      say(`configuration has ${next.issues.length} problem(s); ${initial ? 'enforcing the standard preset' : 'keeping the last good policy'}`);
      for (const line of state.configIssues) say(`  ${line}`);
      if (!initial) {
        audit.record({ type: 'file', target: paths.config, verdict: 'warn', rule: 'config/invalid', detail: `reload refused: ${state.configIssues.join('; ')}`, source: 'watcher' });
        persistState();
        return;
      }
      loaded = loadFallbackPolicy(projectDir, next.issues);
    } else {
      if (!initial) say('configuration reloaded');
      state.configIssues = [];
      loaded = next;
    }
    engine = createEngine(loaded.policy);
    audit = openAuditLog(paths.dir, loaded.logging);
    snapshot();
    // Files that only now became protected were ignored so far: give them a watch.
    if (fsWatcher && protectedFiles.size) fsWatcher.add([...protectedFiles]);
    persistState();
  };

  const ignoredDir = (name: string) => loaded.watcher.ignore.includes(name);

  /** Would a change to this file be judged at all (a deny or warn for delete or write)? */
  const guarded = (path: string): boolean =>
    (['delete', 'write'] as const).some((operation) => {
      const d = engine.decide({ type: 'file', operation, path, home });
      return d.verdict !== 'allow' && d.rule !== 'fs/sandbox-escape';
    });

  /** Private copies of protected files (0600, in .agentfirewall/vault), to put back after a denied change. */
  function snapshot(): void {
    vault.clear();
    protectedFiles.clear();
    if (loaded.watcher.restore) mkdirSync(vaultDir, { recursive: true, mode: 0o700 });
    const walk = (dir: string, depth: number) => {
      if (depth > 12) return;
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const full = join(dir, e.name);
        if (e.isDirectory()) {
          // .git holds too much to copy (its objects are out of scope for restore); generated trees too.
          if (e.name === '.git' || e.name === '.agentfirewall' || ignoredDir(e.name)) continue;
          walk(full, depth + 1);
        } else if (e.isFile()) {
          if (!guarded(full)) continue;
          protectedFiles.add(full);
          if (!loaded.watcher.restore) continue;
          try {
            const st = statSync(full);
            if (st.size > loaded.watcher.restore_max_bytes) continue;
            const copy = join(vaultDir, createHash('sha256').update(full).digest('hex').slice(0, 32));
            copyFileSync(full, copy);
            chmodSync(copy, 0o600);
            vault.set(full, { copy, mode: st.mode & 0o7777 });
          } catch {
            // unreadable: nothing to restore from
          }
        }
      }
    };
    walk(loaded.policy.sandbox.root, 0);
  }

  load(true);

  const record = (type: 'file' | 'process', target: string, rule: string, detail: string, verdict = 'deny') => {
    try {
      audit.record({ type, target, verdict, rule, detail, source: 'watcher', cwd: projectDir });
    } catch (error) {
      say(`cannot write the audit log: ${(error as Error).message}`);
    }
  };

  /** The circuit breaker: too many stops too fast means something is wrong with us, not the agents. */
  const mayStop = (): boolean => {
    if (state.alertOnly) return false;
    const now = Date.now();
    const windowMs = loaded.watcher.stop_window_seconds * 1000;
    while (stopTimes.length && now - stopTimes[0] > windowMs) stopTimes.shift();
    if (stopTimes.length >= loaded.watcher.max_stops) {
      state.alertOnly = true;
      say(`circuit breaker: more than ${loaded.watcher.max_stops} stops in ${loaded.watcher.stop_window_seconds}s; alert-only from now on`);
      record('process', projectDir, 'watcher/circuit-breaker', `more than ${loaded.watcher.max_stops} stops within ${loaded.watcher.stop_window_seconds}s: the watcher only alerts from now on`, 'warn');
      persistState();
      return false;
    }
    return true;
  };

  const enforce = async (path: string, operation: FileOperation, decision: Decision) => {
    record('file', `${operation} ${path}`, decision.rule, decision.reason, decision.verdict);
    if (decision.verdict !== 'deny') return;
    const all = await listProcesses();
    const found = attribute(all, projectDir, loaded.watcher.agent_signatures, options.runId);
    for (const { process: p, why, signature } of found) {
      const label = `pid ${p.pid} (${p.comm || p.cmd.split(' ')[0]}${signature ? `, ${signature}` : ''}, ${why})`;
      if (why === 'agent-elsewhere' && !loaded.watcher.kill_unattributed) {
        record('process', `${p.pid}`, decision.rule, `not stopped: ${label} matches an agent but works outside the project (watcher.kill_unattributed is false)`, 'warn');
        continue;
      }
      if (!mayStop()) {
        record('process', `${p.pid}`, decision.rule, `alert only (circuit breaker): would stop ${label}`, 'warn');
        continue;
      }
      stopTimes.push(Date.now());
      state.stops++;
      record('process', `${p.pid}`, decision.rule, `stopping ${label} after: ${operation} ${path}`);
      const result = await stopTree(p.pid, loaded.watcher.grace_ms);
      record('process', `${p.pid}`, decision.rule, `${label}: ${result}`);
      say(`stopped ${label}: ${result}`);
    }
    persistState();
    const saved = vault.get(path);
    if (saved && (operation === 'delete' || operation === 'write')) {
      try {
        const current = (() => {
          try {
            return readFileSync(path);
          } catch {
            return undefined;
          }
        })();
        if (!current || !current.equals(readFileSync(saved.copy))) {
          copyFileSync(saved.copy, path);
          chmodSync(path, saved.mode);
          record('file', `restore ${path}`, decision.rule, `restored ${relative(projectDir, path)} from the private copy`);
          say(`restored ${path}`);
        }
      } catch (error) {
        record('file', `restore ${path}`, decision.rule, `could not restore: ${(error as Error).message}`, 'warn');
      }
    }
  };

  const sameAsCopy = (path: string): boolean => {
    const saved = vault.get(path);
    if (!saved) return false;
    try {
      return readFileSync(path).equals(readFileSync(saved.copy));
    } catch {
      return false;
    }
  };

  // A config change reloads the policy once the writing is over: an editor's write arrives as several events,
  // and a half-written file must not become the policy.
  let reloadTimer: NodeJS.Timeout | undefined;
  const scheduleReload = () => {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => load(false), RELOAD_DEBOUNCE_MS);
  };

  // Events are handled one at a time, in order: a stop must not race the next decision.
  let queue: Promise<void> = Promise.resolve();
  const onEvent = (event: string, path: string) => {
    const operation = EVENT_OPERATION[event];
    if (!operation) return;
    const rel = relative(paths.dir, path);
    if (rel === 'config.yaml' || rel.startsWith(`rules${sep}`)) scheduleReload();
    // A protected file whose bytes are those of its private copy did not change (the watcher's own restore, first of all).
    if ((operation === 'create' || operation === 'write') && sameAsCopy(path)) return;
    let decision = engine.decide({ type: 'file', operation, path, home });
    // A new file that is a copy of an env template next to it (`cp .env.example .env`) destroyed nothing.
    if (decision.verdict === 'deny' && operation === 'create') {
      const copyOf = envTemplateCopied(path);
      if (copyOf) decision = engine.decide({ type: 'file', operation, path, home, copyOf });
    }
    if (decision.verdict === 'allow') return;
    queue = queue.then(() => enforce(path, operation, decision)).catch((error) => say(`internal error: ${(error as Error).stack}`));
  };

  const root = loaded!.policy.sandbox.root;
  const watcher: FSWatcher = (fsWatcher = watch(root, {
    ignoreInitial: true,
    persistent: true,
    followSymlinks: false,
    ignored: (path: string, stats?: { isFile(): boolean }) => {
      const rel = relative(root, path);
      if (rel === '' || rel.startsWith('..')) return false;
      const parts = rel.split(sep);
      if (parts[0] === '.agentfirewall') return OWN_DIRS.includes(parts[1] ?? '');
      if (parts.some((p) => ignoredDir(p)) || (parts[0] === '.git' && parts[1] === 'objects')) return true;
      // Only files the policy protects need a watch of their own (directories are always watched, so new
      // files are seen): on a 100,000-file tree this halves the watcher's memory and start-up time.
      return stats?.isFile() === true && !guarded(path);
    },
  }));
  watcher.on('all', (event: string, path: string) => onEvent(event, path));
  watcher.on('error', (error) => say(`watch error: ${(error as Error).message}`));
  const ready = new Promise<void>((resolve) =>
    watcher.once('ready', () => {
      state.ready = true;
      persistState();
      resolve();
    }),
  );

  return {
    state: () => ({ ...state }),
    reload: () => load(false),
    ready,
    close: async () => {
      clearTimeout(reloadTimer);
      await watcher.close();
      await queue;
    },
  };
}
