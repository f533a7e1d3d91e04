import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'bin', 'agentfirewall.js');

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under the system temp dir, removed after the test file. Symlinks resolved. */
export function tempDir(prefix = 'agentfirewall-test-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  created.push(dir);
  return dir;
}

/** A temporary HOME and a project directory inside it, optionally initialised with a preset. */
export function tempProject(options: { init?: string | false } = {}): { home: string; project: string } {
  const home = tempDir('agentfirewall-home-');
  const project = join(home, 'project');
  mkdirSync(project);
  if (options.init !== false) {
    const r = cli(['init', '--preset', options.init ?? 'standard'], { cwd: project, home });
    if (r.status !== 0) throw new Error(`init failed: ${r.stderr}`);
  }
  return { home, project };
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built binary as a user would, with its own HOME and no inherited NODE_OPTIONS. */
export function cli(args: string[], options: { cwd: string; home: string; env?: Record<string, string>; input?: string }): CliResult {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: options.home, ...options.env };
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env,
    encoding: 'utf8',
    input: options.input,
    timeout: 20_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Write a file, creating its directory. */
export function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
