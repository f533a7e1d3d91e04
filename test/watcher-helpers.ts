import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect } from 'vitest';
import { cli, ROOT, tempProject } from './helpers.js';

// A real daemon (`protect`) and real child processes posing as agents, cleaned up after each test.
const children: ChildProcess[] = [];
const projects: { project: string; home: string }[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const { project, home } of projects.splice(0)) cli(['unprotect'], { cwd: project, home });
});

/** Polls until `check` holds or `ms` pass; never a fixed sleep. */
export async function until(check: () => boolean, ms = 30_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(25)) if (check()) return true;
  return check();
}

/** A stand-in agent working in `cwd`, recognisable once its process title is set. */
export function fakeAgent(cwd: string, title = 'claude'): { child: ChildProcess; exited: Promise<number | null>; ready: Promise<boolean> } {
  const child = spawn(process.execPath, [join(ROOT, 'test/fixtures/fake-agent.mjs'), title], { cwd, stdio: 'ignore' });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const ready = until(() => {
    try {
      return readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').startsWith(title);
    } catch {
      return false;
    }
  }, 15_000);
  return { child, exited, ready };
}

/** A project with a `.env`, protected by a running watcher. `before` runs before `protect` (shell-env, say). */
export function protectedProject(before?: (p: { home: string; project: string }) => void): { home: string; project: string } {
  const p = tempProject();
  writeFileSync(join(p.project, '.env'), 'SECRET=1\nTOKEN=abc\n');
  before?.(p);
  const r = cli(['protect', '--shell', 'bash'], { cwd: p.project, home: p.home });
  expect(r.status, r.stderr).toBe(0);
  projects.push(p);
  return p;
}

/** The audit log's lines. */
export const auditLines = (project: string): Record<string, string>[] => {
  const file = join(project, '.agentfirewall/logs/firewall.log');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
};

/** The watcher's own messages. */
export const watcherOut = (project: string): string => {
  try {
    return readFileSync(join(project, '.agentfirewall/logs/watcher.out'), 'utf8');
  } catch {
    return '';
  }
};
