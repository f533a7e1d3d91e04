import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';

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
