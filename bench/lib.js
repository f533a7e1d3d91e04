// Shared by the bench scripts: the built entry, a temporary project, a clean environment, a timed child process,
// and the median.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root and the built entry the benches run (`npm run build` first). */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bin = join(root, 'bin', 'agentfirewall.js');

/** A new empty temporary directory. */
export const tempDir = () => mkdtempSync(join(tmpdir(), 'agentfirewall-bench-'));

/** Create `project` (if needed) and run `agentfirewall init` in it with `env`. */
export function initProject(project, env) {
  mkdirSync(project, { recursive: true });
  execFileSync(process.execPath, [bin, 'init'], { cwd: project, env, stdio: 'ignore' });
}

/** The environment with NODE_OPTIONS and NODE_EXTRA_CA_CERTS unset, as the guards run node. */
export function cleanEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** Wall time in milliseconds of one child process; throws when it fails and `check` is set. */
export function timeRun(command, args, { cwd, env, input, check = true } = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd, env, input, stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'ignore'] });
  if (check && r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
