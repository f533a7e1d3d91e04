import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from './helpers.js';

/** The environment of a git run in a temporary HOME: an identity, no system or user config from the machine. */
export function gitEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    ...extra,
  };
}

/** Run git (or a bash script with `bash -c`) and fail loudly when it fails. */
export function git(args: string[], cwd: string, env: Record<string, string>): string {
  const r = spawnSync('git', args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} exited ${r.status} (${r.signal ?? ''}): ${r.stderr}`);
  return r.stdout;
}

/** A new repository on branch main with one commit. */
export function initRepo(dir: string, env: Record<string, string>): void {
  git(['init', '-q', '-b', 'main'], dir, env);
  writeFileSync(join(dir, 'README.md'), '# demo\n');
  writeFileSync(join(dir, '.gitignore'), '.env\n');
  git(['add', '-A'], dir, env);
  git(['commit', '-q', '-m', 'initial'], dir, env);
}

/** A pre-commit hook that really runs (and fails the commit when the work file is missing). */
export function addPreCommitHook(dir: string): void {
  const hook = join(dir, '.git/hooks/pre-commit');
  writeFileSync(hook, '#!/bin/sh\ntest -n "$(git diff --cached --name-only)" || test -n "$ALLOW_EMPTY"\n');
  chmodSync(hook, 0o755);
}

/** Where the watcher of a project keeps its pid and state: the user's state directory, outside the project. */
export const stateDir = (home: string, project: string) =>
  join(home, '.local/state/agentfirewall', createHash('sha256').update(project).digest('hex').slice(0, 24));

/** The audit log, parsed. */
export const auditLines = (project: string): Record<string, string>[] => {
  const file = join(project, '.agentfirewall/logs/firewall.log');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
};

export const watcherOut = (project: string) => {
  try {
    return readFileSync(join(project, '.agentfirewall/logs/watcher.out'), 'utf8');
  } catch {
    return '';
  }
};

/** Wait for a condition, polling, with a generous overall limit. */
export async function until(check: () => boolean, ms = 20_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (check()) return true;
  return check();
}

/** A long-running process carrying the project's shell-env marker: what the watcher stops on a violation. */
export function markedProcess(project: string, home: string, children: ChildProcess[]): { child: ChildProcess; exited: Promise<void> } {
  const child = spawn(process.execPath, [join(ROOT, 'test/fixtures/fake-agent.mjs'), 'some-build-tool'], {
    cwd: project, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, AGENTFIREWALL_RUN_ID: project }, stdio: 'ignore',
  });
  children.push(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited };
}

export const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
