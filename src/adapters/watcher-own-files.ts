import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { FileOperation } from '../engine/types.js';
import type { Vault } from './vault.js';

/**
 * The files of `.agentfirewall/` the watcher keeps and puts back like any protected file: what the policy is built
 * from (config.yaml, rules/) and the shell guards (hooks/). Runtime directories (logs, cache, run) are not among them.
 */
export type OwnFile = 'policy' | 'guard';

/** Which of the watcher's own files `path` is, if any (`firewallDir` is the project's `.agentfirewall`). */
export function ownFileOf(firewallDir: string, path: string): OwnFile | undefined {
  const rel = relative(firewallDir, path);
  if (rel === 'config.yaml' || rel.startsWith(`rules${sep}`)) return 'policy';
  if (rel.startsWith(`hooks${sep}`)) return 'guard';
  return undefined;
}

/** Every file under config.yaml, rules/ and hooks/ now (bounded depth: these trees are shallow). */
export function ownFiles(firewallDir: string): string[] {
  const found = [join(firewallDir, 'config.yaml')];
  const walk = (dir: string, depth: number) => {
    if (depth > 6) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full, depth + 1);
      else if (e.isFile() && !isOwnTemporary(full)) found.push(full);
    }
  };
  walk(join(firewallDir, 'rules'), 0);
  walk(join(firewallDir, 'hooks'), 0);
  return found;
}

const RESTORE_SUFFIX = '.agentfirewall-restore.tmp';

/**
 * A temporary file of agentfirewall's own atomic writes: the watcher's restore anywhere, and in `.agentfirewall/`
 * shell-env's `<file>.<pid>.tmp`. It lives for a moment and is renamed over the real file, whose change is what
 * gets judged; a file by such a name changes nothing that is protected.
 */
export function isOwnTemporary(path: string, inFirewallDir = true): boolean {
  const name = basename(path);
  return name.endsWith(RESTORE_SUFFIX) || (inFirewallDir && /\.\d+\.tmp$/.test(name));
}

/**
 * Put kept bytes back in one step (a temporary file renamed over the path), so that no event ever shows a
 * half-restored file; the directory is made again if it went with the file.
 */
export function restoreBytes(path: string, bytes: Buffer, mode: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}${RESTORE_SUFFIX}`);
  try {
    writeFileSync(tmp, bytes, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** How long after a restore its own event may still arrive (events lag the write on a loaded machine). */
const PUT_BACK_EVENT_MS = 10_000;

const readOrUndefined = (path: string): Buffer | undefined => {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
};

/**
 * The watcher's own restores: the event a put-back causes is the watcher's own doing, never judged as a create or
 * write. When the file has changed again by the time that event comes, the change is judged as a write (once: the
 * event of that same change is then not judged a second time).
 */
export function putBackTracker(): {
  putBack(path: string, bytes: Buffer, mode: number): void;
  ownPutBack(path: string): 'ours' | 'changed-since' | undefined;
} {
  const putBacks = new Map<string, { at: number; bytes: Buffer }>();
  const changedSince = new Map<string, Buffer>();
  return {
    putBack(path, bytes, mode) {
      putBacks.set(path, { at: Date.now(), bytes });
      restoreBytes(path, bytes, mode);
    },
    ownPutBack(path) {
      if (!putBacks.has(path) && !changedSince.has(path)) return undefined;
      const current = readOrUndefined(path);
      if (!current) return undefined;
      const judged = changedSince.get(path);
      changedSince.delete(path);
      if (judged?.equals(current)) return 'ours';
      const entry = putBacks.get(path);
      putBacks.delete(path);
      if (!entry || Date.now() - entry.at > PUT_BACK_EVENT_MS) return undefined;
      if (current.equals(entry.bytes)) return 'ours';
      changedSince.set(path, current);
      return 'changed-since';
    },
  };
}

/** What reverting a change to the policy's sources needs from the watcher. */
export interface PolicyChange {
  projectDir: string;
  path: string;
  operation: FileOperation;
  /** An attributed agent is at work in the project (its processes, or ones carrying the project's marker). */
  agentAtWork: boolean;
  vault: Vault;
  putBack(path: string, bytes: Buffer, mode: number): void;
  scheduleReload(): void;
  record(type: 'file', target: string, rule: string, detail: string, verdict?: string): void;
  say(message: string): void;
}

/**
 * A change to what the policy is built from (config.yaml, rules/): made while an agent is at work in the project it
 * is reverted to the last good copy and never adopted (a marked process writing `mode: off` must not switch
 * protection off for everyone); with no agent at work it is a person's edit, and the policy is reloaded from it.
 */
export function revertPolicyChange(c: PolicyChange): void {
  if (!c.agentAtWork) {
    c.scheduleReload();
    return;
  }
  const rel = relative(c.projectDir, c.path);
  const kept = c.vault.read(c.path);
  try {
    if (kept) {
      if (!readOrUndefined(c.path)?.equals(kept.bytes)) c.putBack(c.path, kept.bytes, kept.mode);
      c.record('file', `restore ${c.path}`, 'fs/self-protect', `reverted ${rel} to the last good copy: a change to the policy made while an agent is at work is never adopted`, 'restore');
    } else if (c.operation === 'create' || c.operation === 'write') {
      rmSync(c.path, { force: true }); // no good copy of it: a file the last good policy was not built from
      c.record('file', `restore ${c.path}`, 'fs/self-protect', `removed ${rel}: the last good policy was built without it, and a change made while an agent is at work is never adopted`, 'restore');
    }
    c.say(`reverted ${c.path}: the last good policy stays in force`);
  } catch (error) {
    c.record('file', `restore ${c.path}`, 'fs/self-protect', `could not revert ${rel} (${(error as Error).message}); the last good policy stays in force, the change is not loaded`, 'warn');
  }
}
