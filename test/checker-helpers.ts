import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cli } from './helpers.js';
import { waitFor } from './guarded-shells.js';

export { waitFor };


// SHLVL=1: a top-level `bash -c` with a socket for stdin takes itself for an sshd session and skips BASH_ENV.
export const baseEnv = (home: string, extra: Record<string, string> = {}): Record<string, string> => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  TERM: 'xterm',
  SHLVL: '1',
  ...extra,
});

/** The environment `eval "$(agentfirewall shell-env)"` gives an agent started in `project`. */
export function guardEnv(project: string, home: string, extra: Record<string, string> = {}): Record<string, string> {
  const exports = cli(['shell-env'], { cwd: project, home }).stdout;
  const env = baseEnv(home, extra);
  for (const m of exports.matchAll(/^export (\w+)='([^']*)'$/gm)) env[m[1]] = m[2];
  return env;
}

/** A running `agentfirewall serve`, with its stderr collected. */
export interface Serve {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
  stop: () => Promise<void>;
}

/** Start `serve` in `project` (not waiting for it). */
export function spawnServe(project: string, home: string): Serve {
  const child = spawn(process.execPath, [BIN, 'serve'], { cwd: project, env: baseEnv(home), stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stderr: () => err,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Start `serve` and wait until its run file is there. */
export async function startServe(project: string, home: string): Promise<Serve> {
  const serve = spawnServe(project, home);
  const runFile = join(project, '.agentfirewall/run/checker');
  await waitFor(() => (existsSync(runFile) && /^\d+\n.+\n/.test(readRun(runFile))) || serve.child.exitCode !== null, 'the resident checker to start');
  if (serve.child.exitCode !== null) throw new Error(`serve exited: ${serve.stderr()}`);
  return serve;
}

function readRun(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** A child process run to its end without blocking this process (so that servers in the test keep answering). */
export function run(command: string, args: string[], options: { cwd: string; env: Record<string, string>; input?: string }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin!.end(options.input ?? '');
  });
}
