import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
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

/** The running resident checker of a project: its port and token, from `.agentfirewall/run/checker`. */
export function residentChecker(project: string): { port: number; token: string } {
  const [port, token] = readFileSync(join(project, '.agentfirewall/run/checker'), 'utf8').split('\n');
  return { port: Number(port), token };
}

/** One raw request line to the resident checker (`token␟flags␟cwd␟command`), answered with one line. */
export function askResident(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${line}\n`));
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (reply.includes('\n')) {
        socket.end();
        resolve(reply.trim());
      }
    });
    socket.on('error', reject);
  });
}
