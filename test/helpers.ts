import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { encodeRequest } from '../src/adapters/checker-protocol.js';

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

/** The running resident checker of a project: port, token and proof, from `.agentfirewall/run/checker`. */
export function residentChecker(project: string): { port: number; token: string; proof: string } {
  const [port, token, proof] = readFileSync(join(project, '.agentfirewall/run/checker'), 'utf8').split('\n');
  proofs.set(Number(port), proof);
  return { port: Number(port), token, proof };
}

const proofs = new Map<number, string>();

/** Send raw bytes to a port and resolve with the first line that comes back ('' when it closes without one). */
export function rawRequest(port: number, bytes: Buffer | string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let reply = Buffer.alloc(0);
    const done = () => {
      socket.destroy();
      const text = reply.toString('utf8');
      resolve(text.includes('\n') ? text.slice(0, text.indexOf('\n')) : text);
    };
    socket.on('data', (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]);
      if (reply.includes(10)) done();
    });
    socket.on('end', done);
    socket.on('error', (error) => (reply.length ? done() : reject(error)));
  });
}

/**
 * One request to the resident checker, written as `token␟flags␟cwd␟command` (the command may hold any
 * character, ␟ included): sent escaped as the guards send it, answered with the verdict line. The answer must
 * start with the checker's proof (known once residentChecker has read the run file), which is removed here.
 */
export async function askResident(port: number, line: string): Promise<string> {
  const [token = '', flags = '', cwd = '', ...rest] = line.split('\x1f');
  const reply = await rawRequest(port, `${encodeRequest(token, { flags, cwd, command: rest.join('\x1f') })}\n`);
  const proof = proofs.get(port);
  if (proof && reply.startsWith(`${proof} `)) return reply.slice(proof.length + 1);
  if (proof && reply.startsWith('error ')) return reply; // refused before the token was shown: no proof
  throw new Error(`the answer on port ${port} is not from the resident checker: ${JSON.stringify(reply)}`);
}
