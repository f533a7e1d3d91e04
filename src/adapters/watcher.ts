import { execFile } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
import { breakerFile } from './breaker-notice.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { isOwnerProcess, judgeOwned, OWNED_TREES, ownedTreeOf, writesWorkTree, type Change, type OwnedTree } from './owned-trees.js';
import { attribute, listProcesses, stopTree, type ProcessInfo } from './processes.js';
import { ensureProjectStateDir, watcherStateFile } from './state-dir.js';
import { openVault } from './vault.js';
import { envTemplateCopied } from './path-facts.js';
import { isGeneratedGuard } from './shell-hooks.js';
import { fileState, watchByName, watchUntilSeen } from './replaced-files.js';
import { isOwnTemporary, ownFileOf, ownFiles, putBackTracker, revertPolicyChange } from './watcher-own-files.js';

/** What the watcher reports about itself (also written to its state file for `status`). */
export interface WatcherState {
  pid: number;
  startedAt: string;
  /** The circuit breaker tripped: violations are logged, nothing is stopped (until it re-arms). */
  alertOnly: boolean;
  /** While tripped: when it tripped, and when it re-arms if all stays quiet (ISO times). */
  alertOnlySince?: string;
  rearmAt?: string;
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

/** Directories of `.agentfirewall/` that agentfirewall itself writes as it runs: never events. */
const OWN_DIRS = ['logs', 'cache', 'run', 'vault'];

const RELOAD_DEBOUNCE_MS = 150;
/** How long after an agent was last seen at work a change to the policy still counts as made while it works. */
const AGENT_RECENT_MS = 10_000;

/** How long after its last bookkeeping change an owner counts as still at work in its tree. */
const OWNER_AT_WORK_MS = 2000;
/** How long after a checkout-like git was last seen its working-tree changes may still arrive (events lag the write). */
const WORK_TREE_WRITER_MS = 1000;
/** How long after git moved HEAD a file that now equals HEAD's copy counts as its checkout (a loaded machine delivers late). */
const HEAD_SETTLE_MS = 15_000;

/** The reflog message of git's last HEAD move (`checkout: moving from a to b`, `commit: ...`), '' when unknown. */
function lastHeadMove(projectDir: string): string {
  let fd: number | undefined;
  try {
    // Only the end of the file: a long-lived repository's reflog is large.
    fd = openSync(join(projectDir, '.git', 'logs', 'HEAD'), 'r');
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(size, 4096));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    const log = tail.toString('utf8').trimEnd();
    const line = log.slice(log.lastIndexOf('\n') + 1);
    return line.slice(line.indexOf('\t') + 1);
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const EVENT_OPERATION: Record<string, FileOperation> = { unlink: 'delete', unlinkDir: 'delete', change: 'write', add: 'create', addDir: 'create' };
const EVENT_CHANGE: Record<string, Change> = { unlink: 'delete', unlinkDir: 'delete', change: 'write', add: 'create', addDir: 'create' };

/**
 * Watch the sandbox root; for each event the policy denies: write the audit line, stop the processes the
 * event can be attributed to (logging each stop before it happens), and put a protected file back.
 */
export function startWatcher(options: WatcherOptions): Watcher {
  const { projectDir, home, say } = options;
  const paths = firewallPaths(projectDir);
  // Restore copies used to live in the project, where `git add -A` could pick them up.
  rmSync(join(paths.dir, 'vault'), { recursive: true, force: true });
  const vault = openVault(join(ensureProjectStateDir(projectDir), 'vault'));
  let loaded: LoadedPolicy;
  let engine: Engine;
  let audit: AuditLog;
  const state: WatcherState = { pid: process.pid, startedAt: new Date().toISOString(), alertOnly: false, stops: 0, configIssues: [], ready: false };
  /** Files the policy protects, found by the last walk (a reload watches the ones that became protected). */
  const protectedFiles = new Set<string>();
  /** Inodes of the files owners replace whole: a new inode after a change means the owner's protocol wrote it. */
  const inodes = new Map<string, number>();
  const inodeOf = (path: string) => {
    try {
      return statSync(path).ino;
    } catch {
      return undefined;
    }
  };

  let fsWatcher: FSWatcher | undefined;
  /** When each owned tree last showed its owner's bookkeeping. */
  const ownerActivity = new Map<OwnedTree, number>();

  const persistState = () => {
    try {
      writeFileSync(watcherStateFile(projectDir), JSON.stringify(state), { mode: 0o600 });
    } catch {
      // status then shows less; enforcement does not depend on it
    }
    try {
      if (state.alertOnly) {
        mkdirSync(join(paths.dir, 'run'), { recursive: true, mode: 0o700 });
        writeFileSync(breakerFile(paths.dir), JSON.stringify({ pid: process.pid, since: state.alertOnlySince, rearmAt: state.rearmAt }), { mode: 0o600 });
      } else rmSync(breakerFile(paths.dir), { force: true });
    } catch {
      // the guards' messages then miss the notice; status still has it
    }
  };

  const load = (initial: boolean) => {
    const next = loadPolicyFromYaml(projectDir);
    if (next.issues.length) {
      state.configIssues = next.issues.map(formatIssue);
      const missing = next.issues.some((i) => /ENOENT|not found|no such|does not exist|missing/i.test(i.message));
      say(`${missing ? 'CONFIGURATION MISSING' : 'CONFIGURATION INVALID'}: ${next.issues.length} problem(s); ${initial ? 'enforcing the standard preset' : 'keeping the last good policy until it is back'}`);
      for (const line of state.configIssues) say(`  ${line}`);
      if (!initial) {
        audit.record({ type: 'file', target: paths.config, verdict: 'warn', rule: 'config/invalid', detail: `reload refused, the last good policy stays in force: ${state.configIssues.join('; ')}`, source: 'watcher' });
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

  /** Sealed copies of protected files, to put back after a denied change. */
  function snapshot(): void {
    vault.clear();
    protectedFiles.clear();
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
          if (loaded.watcher.restore) vault.keep(full, loaded.watcher.restore_max_bytes);
        }
      }
    };
    walk(loaded.policy.sandbox.root, 0);
    // The policy's own sources and the shell guards: the last good copies a change by an agent is reverted to.
    for (const file of ownFiles(paths.dir)) {
      if (!guarded(file)) continue;
      protectedFiles.add(file);
      vault.keep(file, loaded.watcher.restore_max_bytes);
    }
  }

  load(true);
  for (const tree of OWNED_TREES) {
    for (const file of tree.replacedWhole) {
      const full = join(loaded!.policy.sandbox.root, tree.dir, file);
      const ino = inodeOf(full);
      if (ino !== undefined) inodes.set(full, ino);
    }
  }

  const record = (type: 'file' | 'process', target: string, rule: string, detail: string, verdict = 'deny') => {
    try {
      audit.record({ type, target, verdict, rule, detail, source: 'watcher', cwd: projectDir });
    } catch (error) {
      say(`cannot write the audit log: ${(error as Error).message}`);
    }
  };

  const breaker = new CircuitBreaker(
    () => loaded.watcher,
    (change, b) => {
      Object.assign(state, { alertOnly: b.alertOnly, alertOnlySince: b.since, rearmAt: b.rearmAt });
      const w = loaded.watcher;
      if (change === 'tripped') {
        const detail = `more than ${w.max_stops} stops within ${w.stop_window_seconds}s: ALERT-ONLY, nothing is stopped until ${w.rearm_seconds}s pass without a stop (watcher.rearm_seconds)`;
        say(`circuit breaker: ${detail}`);
        record('process', projectDir, 'watcher/circuit-breaker', detail, 'warn');
      } else {
        say('circuit breaker re-armed: violations stop the processes behind them again');
        record('process', projectDir, 'watcher/circuit-breaker', `re-armed after ${w.rearm_seconds}s without a stop`, 'warn');
      }
      persistState();
    },
  );

  /** Is the owner at work in the project (an owner process running there, or carrying the project's marker)? */
  const inProjectOrMarked = (p: ProcessInfo) =>
    (p.cwd !== undefined && (p.cwd === projectDir || p.cwd.startsWith(`${projectDir}/`))) || (options.runId !== undefined && p.runId === options.runId);
  const ownersDoing = (tree: OwnedTree, all: readonly ProcessInfo[]): boolean =>
    all.some((p) => p.state !== 'Z' && isOwnerProcess(tree, p) && inProjectOrMarked(p));

  /** The file now holds exactly what the vault keeps (the watcher's own restore, or a write that changed nothing). */
  const asKept = (path: string): boolean => {
    const kept = vault.read(path);
    if (!kept) return false;
    try {
      return readFileSync(path).equals(kept.bytes);
    } catch {
      return false;
    }
  };

  /**
   * Who runs now: taken when an event arrives, not when its turn in the queue comes, since an owner such as
   * git is often gone a few milliseconds after its change. Events close together share one listing.
   */
  let listing: { at: number; processes: Promise<ProcessInfo[]> } | undefined;
  const processesNow = (): Promise<ProcessInfo[]> => {
    if (!listing || Date.now() - listing.at > 50) listing = { at: Date.now(), processes: listProcesses().catch(() => []) };
    return listing.processes;
  };

  /**
   * Is an owner writing the working tree (git checkout, merge, stash, pull ...) in the project now, or was one
   * seen moments ago? Its changes to tracked protected files were judged as its command line before it ran.
   */
  let workTreeWriterSeen = -Infinity;
  const workTreeBeingWritten = (all: readonly ProcessInfo[]): boolean => {
    if (all.some((p) => p.state !== 'Z' && inProjectOrMarked(p) && OWNED_TREES.some((t) => writesWorkTree(t, p)))) workTreeWriterSeen = Date.now();
    return Date.now() - workTreeWriterSeen < WORK_TREE_WRITER_MS;
  };

  /** Could a checkout have written this path? Not one git ignores (`.env` mostly is): git never touches those. */
  const gitMayWrite = (path: string): Promise<boolean> =>
    new Promise((resolveIt) => {
      execFile('git', ['-C', projectDir, 'check-ignore', '-q', '--', path], (error) => {
        // exit 1: not ignored; 0: ignored; anything else (no git, not a repository): no reason to think so
        resolveIt(error !== null && (error as { code?: unknown }).code === 1);
      });
    });

  /** Does the file hold exactly HEAD's version of it? (`git diff --quiet HEAD`: exit 0 for a tracked, unchanged file.) */
  const sameAsHead = (path: string): Promise<boolean> =>
    new Promise((resolveIt) => {
      // A commit moves HEAD without writing the tree: a file an agent changed and committed is not a checkout's.
      if (lastHeadMove(projectDir).startsWith('commit')) return resolveIt(false);
      execFile('git', ['-C', projectDir, 'diff', '--quiet', 'HEAD', '--', path], (error) => resolveIt(error === null));
    });

  /**
   * Was this change git writing the working tree? While (or just after) a checkout-like git runs, or, on a machine
   * too loaded for that window, when git moved HEAD shortly before and the file now is HEAD's own version of it.
   */
  const gitWroteWorkTree = async (path: string, workTree: Promise<ProcessInfo[]>): Promise<boolean> => {
    const byProcess = workTreeBeingWritten(await workTree);
    if (!byProcess && !(Date.now() - workTreeWriterSeen < HEAD_SETTLE_MS && (await sameAsHead(path)))) return false;
    return gitMayWrite(path);
  };

  const tracker = putBackTracker();
  const { ownPutBack } = tracker;
  /** Files put back that the tree watch has not reported since: each is watched on its own until it does. */
  const unseenPutBacks = new Map<string, () => void>();
  const putBack = (path: string, bytes: Buffer, mode: number) => {
    unseenPutBacks.get(path)?.();
    tracker.putBack(path, bytes, mode);
    unseenPutBacks.set(path, watchUntilSeen(path, () => {
      unseenPutBacks.delete(path);
      onEvent('unlink', path);
    }));
  };

  // An agent stopped a moment ago for one change may have made the next one too, whose event comes after the stop.
  let agentSeenAt = -Infinity;
  const revertOrAdopt = (path: string, operation: FileOperation, found: readonly { why: string }[]) => {
    if (found.some((f) => f.why !== 'agent-elsewhere')) agentSeenAt = Date.now();
    const agentAtWork = Date.now() - agentSeenAt < AGENT_RECENT_MS;
    revertPolicyChange({ projectDir, path, operation, agentAtWork, vault, putBack, scheduleReload, record, say });
  };

  const enforce = async (path: string, operation: FileOperation, decision: Decision, owned?: { tree: OwnedTree; processes: Promise<ProcessInfo[]> }, workTree?: Promise<ProcessInfo[]>) => {
    if ((operation === 'write' || operation === 'create') && asKept(path)) {
      // The last good config is back (a checkout to a branch that has it): the policy it was built from again.
      if (state.configIssues.length && ownFileOf(paths.dir, path) === 'policy') scheduleReload();
      return;
    }
    if ((operation === 'write' || operation === 'create') && isGeneratedGuard(projectDir, path)) {
      // `shell-env` (re)writing the guards: the firewall's own files, kept as the copy to restore from.
      if (ownFileOf(paths.dir, path) === 'guard') vault.keep(path, loaded.watcher.restore_max_bytes);
      return;
    }
    if (owned && ownersDoing(owned.tree, await owned.processes)) {
      ownerActivity.set(owned.tree, Date.now());
      return;
    }
    const policySource = ownFileOf(paths.dir, path) === 'policy';
    if (workTree && (await gitWroteWorkTree(path, workTree))) {
      if (policySource) scheduleReload(); // a checkout brought another config: it is the branch's, as before
      return;
    }
    record('file', `${operation} ${path}`, decision.rule, decision.reason, decision.verdict);
    if (decision.verdict !== 'deny') {
      if (policySource) await revertOrAdopt(path, operation, attribute(await listProcesses(), projectDir, loaded.watcher.agent_signatures, options.runId));
      return;
    }
    const all = await listProcesses();
    const found = attribute(all, projectDir, loaded.watcher.agent_signatures, options.runId);
    for (const { process: p, why, signature } of found) {
      const label = `pid ${p.pid} (${p.comm || p.cmd.split(' ')[0]}${signature ? `, ${signature}` : ''}, ${why})`;
      if (why === 'agent-elsewhere' && !loaded.watcher.kill_unattributed) {
        record('process', `${p.pid}`, decision.rule, `not stopped: ${label} matches an agent but works outside the project (watcher.kill_unattributed is false)`, 'warn');
        continue;
      }
      if (!breaker.allow()) {
        record('process', `${p.pid}`, decision.rule, `alert only (circuit breaker, re-arms ${state.rearmAt ?? 'later'}): would stop ${label}`, 'warn');
        continue;
      }
      state.stops++;
      record('process', `${p.pid}`, decision.rule, `stopping ${label} after: ${operation} ${path}`);
      const result = await stopTree(p.pid, loaded.watcher.grace_ms);
      record('process', `${p.pid}`, decision.rule, `${label}: ${result}`);
      say(`stopped ${label}: ${result}`);
    }
    Object.assign(state, breakerFields(breaker));
    persistState();
    // With no agent at work in the project an overwrite is a person's (or a tool of theirs): it is reported and
    // kept, since putting the old bytes back would lose their edit. A deleted file comes back: that loses nothing.
    const agentAtWork = found.some((f) => f.why !== 'agent-elsewhere');
    if (agentAtWork) agentSeenAt = Date.now();
    if (policySource) return revertOrAdopt(path, operation, found);
    const kept = operation === 'delete' || operation === 'write' ? vault.read(path) : undefined;
    const keepEdit = operation === 'write' && !agentAtWork;
    if (kept && keepEdit) record('file', `restore ${path}`, decision.rule, `not restored: no agent at work in the project, so the edit is kept as a person's`, 'warn');
    const saved = keepEdit ? undefined : kept;
    if (saved) {
      try {
        const current = (() => {
          try {
            return readFileSync(path);
          } catch {
            return undefined;
          }
        })();
        if (!current || !current.equals(saved.bytes)) {
          putBack(path, saved.bytes, saved.mode);
          record('file', `restore ${path}`, decision.rule, `restored ${relative(projectDir, path)} from the sealed copy`, 'restore');
          say(`restored ${path}`);
        }
      } catch (error) {
        record('file', `restore ${path}`, decision.rule, `could not restore: ${(error as Error).message}`, 'warn');
      }
    }
  };

  // A config change reloads the policy once the writing is over: an editor's write arrives as several events,
  // and a half-written file must not become the policy.
  let reloadTimer: NodeJS.Timeout | undefined;
  const scheduleReload = () => {
    clearTimeout(reloadTimer);
    // Through the event queue: a change to the policy's sources that came first is judged (and maybe reverted) first.
    reloadTimer = setTimeout(() => {
      queue = queue.then(() => load(false)).catch((error) => say(`internal error: ${(error as Error).stack}`));
    }, RELOAD_DEBOUNCE_MS);
  };

  /** The last state of each file its owner replaces whole that an event was handled for. */
  const seenStates = new Map<string, string>();
  // Events are handled one at a time, in order: a stop must not race the next decision.
  let queue: Promise<void> = Promise.resolve();
  const onEvent = (event: string, path: string) => {
    // The tree watch has news of a file put back: it follows the file from here.
    unseenPutBacks.get(path)?.();
    unseenPutBacks.delete(path);
    let operation = EVENT_OPERATION[event];
    if (!operation) return;
    if (event === 'add' || event === 'change') {
      const own = ownPutBack(path);
      if (own === 'ours') return;
      if (own === 'changed-since') operation = 'write';
    }
    // A change to the policy's sources is reloaded only once it is known not to be an agent's (enforce decides).
    const policySource = ownFileOf(paths.dir, path) === 'policy';
    // A tool's own tree (git and .git): its bookkeeping is its work, not a violation.
    const inTree = ownedTreeOf(relative(root, path).split(sep).join('/'));
    let replaced = false;
    if (inTree && inTree.tree.replacedWhole.includes(inTree.inner)) {
      // Seen by chokidar and by the directory's watch: one state of the file is one change.
      const seen = fileState(path);
      if (seenStates.get(path) === seen) return;
      seenStates.set(path, seen);
      const before = inodes.get(path);
      const now = inodeOf(path);
      if (now !== undefined) inodes.set(path, now);
      replaced = event === 'change' && before !== undefined && now !== undefined && now !== before;
    }
    let decision = engine.decide({ type: 'file', operation, path, home });
    // A new file that is a copy of an env template next to it (`cp .env.example .env`) destroyed nothing.
    if (decision.verdict === 'deny' && operation === 'create') {
      const copyOf = envTemplateCopied(path);
      if (copyOf) decision = engine.decide({ type: 'file', operation, path, home, copyOf });
    }
    if (decision.verdict === 'allow') {
      if (policySource) scheduleReload(); // self-protection switched off by the policy itself: adopted as before
      return;
    }
    let owned: { tree: OwnedTree; processes: Promise<ProcessInfo[]> } | undefined;
    if (inTree) {
      const { tree, inner } = inTree;
      const judged = judgeOwned(tree, inner, EVENT_CHANGE[event]);
      if (judged === 'bookkeeping') {
        ownerActivity.set(tree, Date.now());
        // git checkout and friends take the index lock before they write the tree and move HEAD after it.
        if (inner === 'index.lock') void processesNow().then(workTreeBeingWritten);
        // A commit moves HEAD too, but writes nothing in the tree: it is not a checkout's mark.
        if (tree.workTreeMarks.includes(inner) && !lastHeadMove(projectDir).startsWith('commit')) workTreeWriterSeen = Date.now();
        return;
      }
      // A run of such changes (git pruning its fan-out directories) keeps the owner at work.
      if (judged === 'owner-at-work' && Date.now() - (ownerActivity.get(tree) ?? -Infinity) < OWNER_AT_WORK_MS) {
        ownerActivity.set(tree, Date.now());
        return;
      }
      if (judged === 'owner-only' && replaced) return; // replaced whole, the way the owner writes it
      if (judged !== 'violation') owned = { tree, processes: processesNow() };
    }
    // Outside the owned trees, a working tree being written by its owner (a checkout) is the owner's work.
    const workTree = !inTree && decision.verdict === 'deny' ? processesNow() : undefined;
    queue = queue.then(() => enforce(path, operation, decision, owned, workTree)).catch((error) => say(`internal error: ${(error as Error).stack}`));
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
      if (parts[0] === '.agentfirewall') return OWN_DIRS.includes(parts[1] ?? '') || isOwnTemporary(path);
      if (isOwnTemporary(path, false)) return true;
      if (parts.some((p) => ignoredDir(p))) return true;
      // git's object store is watched down to its fan-out directories: whole-store removal is seen,
      // without a watch per object.
      if (parts[0] === '.git' && parts[1] === 'objects' && parts.length > 3) return true;
      // Only files the policy protects need a watch of their own (directories are always watched, so new
      // files are seen): on a 100,000-file tree this halves the watcher's memory and start-up time.
      return stats?.isFile() === true && !guarded(path);
    },
  }));
  watcher.on('all', (event: string, path: string) => onEvent(event, path));
  const replacedWhole = OWNED_TREES.flatMap((t) => t.replacedWhole.map((f) => join(root, t.dir, f)));
  for (const file of replacedWhole) seenStates.set(file, fileState(file));
  const stopByName = watchByName(replacedWhole, (event, path) => onEvent(event, path));
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
      breaker.close();
      stopByName();
      for (const stop of unseenPutBacks.values()) stop();
      await watcher.close();
      await queue;
      vault.close();
      rmSync(breakerFile(paths.dir), { force: true });
    },
  };
}

const breakerFields = (breaker: CircuitBreaker) => {
  const b = breaker.state();
  return { alertOnly: b.alertOnly, alertOnlySince: b.since, rearmAt: b.rearmAt };
};
