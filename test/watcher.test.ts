import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, ROOT, tempDir, tempProject } from './helpers.js';
import { fakeAgent, until } from './watcher-helpers.js';

// End to end: a real daemon (`protect`), real files, real child processes posing as agents.
const children: ChildProcess[] = [];
const projects: { project: string; home: string }[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const { project, home } of projects.splice(0)) cli(['unprotect'], { cwd: project, home });
});

/** Resolves to 'stopped' when the process exits, or 'still running' after a generous limit. */
const stoppedWithin = (exited: Promise<unknown>, ms = 15_000) =>
  Promise.race([exited.then(() => 'stopped'), sleep(ms).then(() => 'still running')]);

async function protectedProject(config?: (text: string) => string) {
  const { home, project } = tempProject();
  writeFileSync(join(project, '.env'), 'SECRET=1\nTOKEN=abc\n');
  if (config) {
    const file = join(project, '.agentfirewall/config.yaml');
    writeFileSync(file, config(readFileSync(file, 'utf8')));
  }
  const r = cli(['protect', '--shell', 'bash'], { cwd: project, home });
  expect(r.status, r.stderr).toBe(0);
  projects.push({ project, home });
  return { home, project };
}

const log = (project: string) =>
  existsSync(join(project, '.agentfirewall/logs/firewall.log'))
    ? readFileSync(join(project, '.agentfirewall/logs/firewall.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    : [];

/** Where the watcher of a project keeps its pid and state: the user's state directory, outside the project. */
const stateDir = (home: string, project: string) =>
  join(home, '.local/state/agentfirewall', createHash('sha256').update(project).digest('hex').slice(0, 24));


describe('watcher', () => {
  it('deleting .env stops the agent working in the project, spares the one elsewhere, and restores .env', async () => {
    const { project } = await protectedProject();
    const inside = fakeAgent(project);
    const outside = fakeAgent(tempDir());
    expect(await inside.ready && await outside.ready).toBe(true);
    unlinkSync(join(project, '.env'));
    // How fast is measured by bench/watcher.js; here only that it happens.
    expect(await stoppedWithin(inside.exited)).toBe('stopped');
    expect(outside.child.exitCode).toBeNull();
    expect(outside.child.signalCode).toBeNull();
    expect(await until(() => existsSync(join(project, '.env')))).toBe(true);
    expect(readFileSync(join(project, '.env'), 'utf8')).toBe('SECRET=1\nTOKEN=abc\n');
    const lines = log(project);
    const decision = lines.findIndex((l) => l.type === 'file' && l.target.startsWith('delete ') && l.source === 'watcher');
    const stop = lines.findIndex((l) => l.type === 'process' && l.detail.startsWith(`stopping pid ${inside.child.pid}`));
    expect(decision).toBeGreaterThanOrEqual(0);
    expect(stop).toBeGreaterThan(decision);
    expect(lines.some((l) => l.type === 'process' && l.target === String(outside.child.pid) && /not stopped/.test(l.detail))).toBe(true);
    // The file is back before the line that says so is written.
    expect(await until(() => log(project).some((l) => l.target.startsWith('restore ')))).toBe(true);
  }, 60_000);

  it('a file deleted again the moment it is put back is judged and put back again', async () => {
    const { project } = await protectedProject();
    const env = join(project, '.env');
    // The second delete comes before the tree watch can have looked at the restored file.
    let again = false;
    const dirWatch = watch(project, () => {
      if (again || !existsSync(env)) return;
      again = true;
      unlinkSync(env);
    });
    try {
      unlinkSync(env);
      const deletes = () => log(project).filter((l) => l.type === 'file' && l.target === `delete ${env}`).length;
      expect(await until(() => again && deletes() === 2), JSON.stringify(log(project), null, 1)).toBe(true);
    } finally {
      dirWatch.close();
    }
    expect(await until(() => existsSync(env))).toBe(true);
    expect(readFileSync(env, 'utf8')).toBe('SECRET=1\nTOKEN=abc\n');
  }, 60_000);

  it('an overwrite of a protected file while an agent works is put back byte for byte', async () => {
    const { project } = await protectedProject();
    const agent = fakeAgent(project);
    expect(await agent.ready).toBe(true);
    writeFileSync(join(project, '.env'), 'EVIL=1\n');
    expect(await until(() => readFileSync(join(project, '.env'), 'utf8') === 'SECRET=1\nTOKEN=abc\n')).toBe(true);
    await agent.exited;
  }, 60_000);

  it("with no agent at work, a person's edit of a protected file is reported and kept", async () => {
    const { project } = await protectedProject();
    writeFileSync(join(project, '.env'), 'SECRET=2\nTOKEN=abc\n');
    expect(await until(() => log(project).some((l) => l.type === 'file' && /not restored: no agent at work/.test(l.detail)))).toBe(true);
    expect(readFileSync(join(project, '.env'), 'utf8')).toBe('SECRET=2\nTOKEN=abc\n');
  }, 60_000);

  it('the circuit breaker switches to alert-only after too many stops', async () => {
    const { project, home } = await protectedProject((t) => t.replace(/^  max_stops: \d+$/m, '  max_stops: 1'));
    const first = fakeAgent(project);
    expect(await first.ready).toBe(true);
    unlinkSync(join(project, '.env'));
    await first.exited;
    await until(() => existsSync(join(project, '.env')));
    const second = fakeAgent(project);
    expect(await second.ready).toBe(true);
    unlinkSync(join(project, '.env'));
    expect(await until(() => log(project).some((l) => l.rule === 'watcher/circuit-breaker'))).toBe(true);
    await sleep(300);
    expect(second.child.exitCode).toBeNull();
    expect(cli(['status'], { cwd: project, home }).stdout).toMatch(/ALERT-ONLY/);
  }, 60_000);

  it('reloads a valid config change and keeps the last good policy on an invalid one', async () => {
    const { project } = await protectedProject();
    const config = join(project, '.agentfirewall/config.yaml');
    writeFileSync(join(project, 'keys.txt'), 'k1\n');
    writeFileSync(config, readFileSync(config, 'utf8').replace('    - "~/.ssh/**"', '    - "~/.ssh/**"\n    - "keys.txt"'));
    const reloaded = await until(() => readFileSync(join(project, '.agentfirewall/logs/watcher.out'), 'utf8').includes('configuration reloaded'));
    expect(reloaded, readFileSync(join(project, '.agentfirewall/logs/watcher.out'), 'utf8')).toBe(true);
    await sleep(500); // the watch on the newly protected file is set up asynchronously after the reload
    unlinkSync(join(project, 'keys.txt'));
    const restored = await until(() => existsSync(join(project, 'keys.txt')));
    expect(restored, `${readFileSync(join(project, '.agentfirewall/logs/watcher.out'), 'utf8')}\n${JSON.stringify(log(project), null, 1)}`).toBe(true);
    writeFileSync(config, 'mode: off\nnonsense: [\n');
    expect(await until(() => log(project).some((l) => l.rule === 'config/invalid'))).toBe(true);
    unlinkSync(join(project, '.env'));
    expect(await until(() => existsSync(join(project, '.env')))).toBe(true);
  }, 60_000);

  it('runs once per project, and SIGTERM leaves no pid file behind', async () => {
    const { project, home } = await protectedProject();
    const second = cli(['watch'], { cwd: project, home });
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/already runs/);
    // Nor a second resident checker: it would take run/checker over and remove it when it stops.
    const checker = readFileSync(join(project, '.agentfirewall/run/checker'), 'utf8');
    const serve = cli(['serve'], { cwd: project, home });
    expect(serve.status).toBe(2);
    expect(serve.stderr).toMatch(/already runs the resident checker/);
    expect(readFileSync(join(project, '.agentfirewall/run/checker'), 'utf8')).toBe(checker);
    const pid = Number(readFileSync(join(stateDir(home, project), 'watcher.pid'), 'utf8'));
    process.kill(pid, 'SIGTERM');
    expect(await until(() => !existsSync(join(stateDir(home, project), 'watcher.pid')))).toBe(true);
  }, 60_000);

  it('a stale pid file does not stop a new watcher', async () => {
    const { home, project } = tempProject();
    mkdirSync(stateDir(home, project), { recursive: true });
    writeFileSync(join(stateDir(home, project), 'watcher.pid'), '999999\n');
    projects.push({ project, home });
    const r = cli(['protect', '--shell', 'bash'], { cwd: project, home });
    expect(r.status, r.stderr).toBe(0);
    expect(Number(readFileSync(join(stateDir(home, project), 'watcher.pid'), 'utf8'))).not.toBe(999999);
  }, 60_000);

  it('protect, status and unprotect round trip', async () => {
    const { home, project } = tempProject({ init: false });
    writeFileSync(join(home, '.bashrc'), '# mine\n');
    const p = cli(['protect', '--shell', 'bash'], { cwd: project, home });
    expect(p.status, p.stderr).toBe(0);
    expect(p.stderr).toMatch(/created .*config\.yaml/);
    expect(p.stderr).toMatch(/watcher and resident checker: running/);
    expect(p.stderr).toMatch(/shell-env/);
    const s = cli(['status'], { cwd: project, home });
    expect(s.stdout).toMatch(/^watcher\s+running \(pid \d+\)/m);
    expect(s.stdout).toMatch(/^shell hooks bash$/m);
    const u = cli(['unprotect', '--remove-config'], { cwd: project, home });
    expect(u.status).toBe(0);
    expect(existsSync(join(project, '.agentfirewall'))).toBe(false);
    expect(readFileSync(join(home, '.bashrc'), 'utf8')).toBe('# mine\n');
    rmSync(project, { recursive: true, force: true });
  }, 60_000);
});

describe('watcher attribution by the shell-env marker', () => {
  it("stops a marked process whatever its name, but not the person's interactive shell", async () => {
    const { project, home } = await protectedProject();
    const marker = { AGENTFIREWALL_RUN_ID: project, PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home };
    const tool = spawn(process.execPath, [join(ROOT, 'test/fixtures/fake-agent.mjs'), 'some-build-tool'], { cwd: tempDir(), env: marker, stdio: 'ignore' });
    children.push(tool);
    const toolExited = new Promise((resolve) => tool.once('exit', resolve));
    const shell = spawn('bash', ['-i'], { cwd: project, env: marker, stdio: ['pipe', 'ignore', 'ignore'] });
    children.push(shell);
    expect(await until(() => {
      try {
        return readFileSync(`/proc/${tool.pid}/cmdline`, 'utf8').startsWith('some-build-tool') && existsSync(`/proc/${shell.pid}`);
      } catch {
        return false;
      }
    })).toBe(true);
    unlinkSync(join(project, '.env'));
    expect(await stoppedWithin(toolExited)).toBe('stopped');
    await sleep(300);
    expect(shell.exitCode).toBeNull();
    expect(shell.signalCode).toBeNull();
  }, 60_000);
});
