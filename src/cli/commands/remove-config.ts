import { cpSync, existsSync, mkdirSync, readdirSync, readSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { auditFiles } from '../../adapters/audit-reader.js';
import { stateRoot } from '../../adapters/state-dir.js';
import { firewallPaths } from '../../config/locate.js';
import { loadPolicyFromYaml } from '../../config/load.js';
import { say } from '../output.js';

/** Where a removed project's audit log is kept: outside the project, so that nothing marks it protected any more. */
function keepDir(projectDir: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return join(stateRoot(), 'removed', `${basename(projectDir)}-${stamp}`);
}

/** What under `.agentfirewall/` holds the audit log: `logs/`, and the configured log file and its rotations when elsewhere. */
function logPaths(projectDir: string): string[] {
  const paths = firewallPaths(projectDir);
  const kept = existsSync(paths.logs) && readdirSync(paths.logs).length ? [paths.logs] : [];
  try {
    const file = join(paths.dir, loadPolicyFromYaml(projectDir).logging.file);
    const inside = (p: string) => !relative(paths.dir, p).startsWith('..');
    for (const f of auditFiles(file)) if (inside(f) && !f.startsWith(paths.logs + sep)) kept.push(f);
  } catch {
    // an unreadable config: the default place is all there is to keep
  }
  return kept;
}

/** Ask a yes/no question on the terminal; anything but y or yes is no. */
function confirm(question: string): boolean {
  process.getBuiltinModule('node:fs').writeSync(2, `agentfirewall: ${question} [y/N] `);
  const buffer = Buffer.alloc(256);
  let answer = '';
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      return false;
    }
    if (n === 0) break;
    answer += buffer.subarray(0, n).toString('utf8');
    if (answer.includes('\n')) break;
  }
  return /^\s*y(es)?\s*$/i.test(answer.split('\n')[0]);
}

const isTerminal = (fd: number) => process.getBuiltinModule('node:tty').isatty(fd);

function move(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    cpSync(from, to, { recursive: true, preserveTimestamps: true });
    rmSync(from, { recursive: true, force: true });
  }
}

/**
 * `unprotect --remove-config`: delete `.agentfirewall/`. The audit log is the record of what agents did,
 * so it is deleted only with `--yes` or a "y" on the terminal; otherwise it is moved out of the project first.
 */
export function removeConfig(projectDir: string, yes: boolean): void {
  const dir = firewallPaths(projectDir).dir;
  const logs = logPaths(projectDir);
  const deleteLog = yes || !logs.length || (isTerminal(0) && isTerminal(2) && confirm(`delete the audit log too (${logs.map((p) => relative(projectDir, p)).join(', ')})?`));
  if (!deleteLog) {
    const target = keepDir(projectDir);
    for (const d of logs) move(d, join(target, relative(dir, d)));
    say(`kept the audit log: moved to ${target} (add --yes to delete it with the config)`);
  }
  rmSync(dir, { recursive: true, force: true });
  say(`removed ${dir}`);
}
