import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, ROOT, tempProject } from './helpers.js';

// The real watcher judges a file created behind the hooks' back by the same secrets rule as a command,
// and a copy of a template that destroys nothing is not a violation.
const children: ChildProcess[] = [];
const projects: { project: string; home: string }[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  for (const { project, home } of projects) cli(['unprotect'], { cwd: project, home });
});

const log = (project: string): { type: string; target: string; rule: string; verdict: string }[] => {
  const file = join(project, '.agentfirewall/logs/firewall.log');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
};

async function until(check: () => boolean, ms = 60_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (check()) return true;
  return check();
}

describe('watcher: creating secrets files', () => {
  it('a copy of .env.example onto a new .env passes; a new .env.local with other content stops the agent', async () => {
    const { home, project } = tempProject();
    writeFileSync(join(project, '.env.example'), 'API_KEY=\n');
    const r = cli(['protect', '--shell', 'bash'], { cwd: project, home });
    expect(r.status, r.stderr).toBe(0);
    projects.push({ project, home });
    const state = join(home, '.local/state/agentfirewall', createHash('sha256').update(project).digest('hex').slice(0, 24), 'watcher.json');
    expect(await until(() => existsSync(state) && JSON.parse(readFileSync(state, 'utf8')).ready === true)).toBe(true);

    const agent = spawn(process.execPath, [join(ROOT, 'test/fixtures/fake-agent.mjs'), 'claude'], { cwd: project, stdio: 'ignore' });
    children.push(agent);
    const exited = new Promise<void>((resolve) => agent.once('exit', () => resolve()));
    // The stand-in agent is found by its process title: wait until it has set it.
    const title = () => spawnSync('ps', ['-o', 'args=', '-p', String(agent.pid)], { encoding: 'utf8' }).stdout.trim();
    expect(await until(() => title() === 'claude')).toBe(true);

    copyFileSync(join(project, '.env.example'), join(project, '.env'));
    writeFileSync(join(project, '.env.local'), 'API_KEY=made-up\n');

    // Events are handled in order: once the stop for .env.local is logged, the copy was judged before it.
    const stopped = await until(() => log(project).some((l) => l.type === 'process' && /stopping/.test(JSON.stringify(l))));
    expect(stopped, JSON.stringify(log(project), null, 1)).toBe(true);
    await exited;
    const lines = log(project);
    expect(lines.some((l) => l.type === 'file' && l.target === `create ${join(project, '.env.local')}` && l.rule === 'secrets/env-file')).toBe(true);
    expect(lines.filter((l) => l.type === "file" && l.target.endsWith(`${project}/.env`)), JSON.stringify(lines, null, 1)).toEqual([]);
  }, 120_000);
});
