import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * Per-project runtime state kept outside the project tree, so that nothing of it can be committed, and so
 * that it survives a `git checkout` that removes `.agentfirewall/`: the watcher's pid and state, and the
 * vault of restore copies. `$XDG_STATE_HOME/agentfirewall/<hash of the project path>/`, by default under
 * `~/.local/state`; every directory 0700.
 */
export function stateRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'agentfirewall');
}

/** The state directory of one project (not created). */
export function projectStateDir(projectDir: string): string {
  return join(stateRoot(), createHash('sha256').update(resolve(projectDir)).digest('hex').slice(0, 24));
}

/** Create the project's state directory (0700) with a record of which project it belongs to. */
export function ensureProjectStateDir(projectDir: string): string {
  const dir = projectStateDir(projectDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'project'), `${resolve(projectDir)}\n`, { mode: 0o600 });
  return dir;
}

/** Where a project's watcher records its pid and its state. */
export const watcherPidFile = (projectDir: string) => join(projectStateDir(projectDir), 'watcher.pid');
export const watcherStateFile = (projectDir: string) => join(projectStateDir(projectDir), 'watcher.json');

/**
 * The nearest directory at or above `start` that has a state record, even when its `.agentfirewall/` is gone
 * (a checkout of a branch without it): status and unprotect still find the watcher running for it.
 */
export function recordedProjectAbove(start: string): string | null {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    try {
      if (readFileSync(join(projectStateDir(dir), 'project'), 'utf8').trim() === dir) return dir;
    } catch {
      // no record for this directory
    }
    if (dirname(dir) === dir) return null;
  }
}
