import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { askResident, cli, residentChecker, tempDir, tempProject } from './helpers.js';
import { addPreCommitHook, alive, auditLines, git, gitEnv, initRepo, markedProcess, stateDir, until, watcherOut } from './git-helpers.js';

// protect in a real git repository: what is committed, what survives a checkout, and what the watcher makes of git.
const children: ChildProcess[] = [];
const projects: { project: string; home: string }[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const { project, home } of projects.splice(0)) cli(['unprotect'], { cwd: project, home });
});

function protectedRepo(config?: (text: string) => string, before?: (project: string) => void) {
  const { home, project } = tempProject({ init: false });
  const env = gitEnv(home);
  initRepo(project, env);
  before?.(project);
  writeFileSync(join(project, '.env'), 'TOKEN=hunter2-secret\n');
  if (config) {
    expect(cli(['init'], { cwd: project, home }).status).toBe(0);
    const file = join(project, '.agentfirewall/config.yaml');
    writeFileSync(file, config(readFileSync(file, 'utf8')));
  }
  const r = cli(['protect', '--shell', 'bash'], { cwd: project, home });
  expect(r.status, r.stderr).toBe(0);
  projects.push({ project, home });
  return { home, project, env };
}

const watcherPid = (home: string, project: string) => Number(readFileSync(join(stateDir(home, project), 'watcher.pid'), 'utf8'));
/** Is the watcher process still there (a zombie waiting for its parent counts as gone)? */
const running = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('agentfirewall');
  } catch {
    return false;
  }
};

describe('protect keeps runtime state out of git', () => {
  it('git add -A && git commit commits the config and rules, nothing of vault, run, logs, cache or hooks', () => {
    const { home, project, env } = protectedRepo();
    expect(cli(['shell-env'], { cwd: project, home }).status).toBe(0);
    for (const dir of ['run', 'logs', 'hooks']) expect(readdirSync(join(project, '.agentfirewall', dir)).length, dir).toBeGreaterThan(0);
    expect(existsSync(join(project, '.agentfirewall/run/checker'))).toBe(true);
    git(['add', '-A'], project, env);
    git(['commit', '-q', '-m', 'protect'], project, env);
    const committed = git(['ls-files', '.agentfirewall'], project, env).trim().split('\n');
    expect(committed.sort()).toEqual(['.agentfirewall/.gitignore', '.agentfirewall/config.yaml']);
    expect(spawnSync('git', ['grep', '-q', 'hunter2', 'HEAD'], { cwd: project, env }).status).toBe(1);
  }, 60_000);

  it('the vault is sealed, outside the project, 0700/0600', () => {
    const { home, project } = protectedRepo();
    expect(existsSync(join(project, '.agentfirewall/vault'))).toBe(false);
    const vault = join(stateDir(home, project), 'vault');
    expect(statSync(vault).mode & 0o777).toBe(0o700);
    const copies = readdirSync(vault);
    expect(copies.length).toBeGreaterThan(0);
    for (const name of copies) {
      expect(statSync(join(vault, name)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(vault, name)).includes('hunter2')).toBe(false);
      expect(name).not.toMatch(/env/);
    }
  }, 60_000);

  it('an existing project gets its .gitignore, and loses an old in-project vault, on the next protect', () => {
    const { home, project } = tempProject();
    rmSync(join(project, '.agentfirewall/.gitignore'), { force: true });
    mkdirSync(join(project, '.agentfirewall/vault'), { recursive: true });
    writeFileSync(join(project, '.agentfirewall/vault/0123abcd'), 'TOKEN=old-plain-copy\n');
    writeFileSync(join(project, '.agentfirewall/.gitignore'), 'mine/\nlogs/\n');
    projects.push({ project, home });
    expect(cli(['protect', '--shell', 'bash'], { cwd: project, home }).status).toBe(0);
    const ignore = readFileSync(join(project, '.agentfirewall/.gitignore'), 'utf8');
    expect(ignore.startsWith('mine/\nlogs/\n')).toBe(true);
    for (const dir of ['vault/', 'run/', 'cache/', 'hooks/']) expect(ignore.split('\n')).toContain(dir);
    expect(existsSync(join(project, '.agentfirewall/vault'))).toBe(false);
  }, 60_000);
});

describe('upgrading from a version that kept the pid in the project', () => {
  it('a watcher recorded in .agentfirewall/run/watcher.pid is found: protect starts no second one, unprotect stops it', async () => {
    const { home, project } = tempProject();
    projects.push({ project, home });
    const old = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'agentfirewall', 'watch'], { stdio: 'ignore' });
    children.push(old);
    mkdirSync(join(project, '.agentfirewall/run'), { recursive: true });
    writeFileSync(join(project, '.agentfirewall/run/watcher.pid'), `${old.pid}\n`);
    const p = cli(['protect', '--shell', 'bash'], { cwd: project, home });
    expect(p.stderr).toMatch(`running (pid ${old.pid})`);
    expect(cli(['unprotect'], { cwd: project, home }).stderr).toMatch(`stopped the watcher (pid ${old.pid})`);
    expect(await until(() => old.exitCode !== null || old.signalCode !== null)).toBe(true);
  }, 60_000);
});

describe('the watcher when .agentfirewall/ disappears', () => {
  it('a checkout of a branch without it keeps the last good policy, and status and unprotect still find the watcher', async () => {
    const { home, project, env } = protectedRepo();
    git(['branch', 'bare', 'HEAD'], project, env);
    git(['add', '-A'], project, env);
    git(['commit', '-q', '-m', 'protect'], project, env);
    const pid = watcherPid(home, project);
    git(['checkout', '-q', 'bare'], project, env);
    expect(existsSync(join(project, '.agentfirewall/config.yaml'))).toBe(false);
    expect(await until(() => /CONFIGURATION MISSING.*keeping the last good policy/.test(watcherOut(project))), watcherOut(project)).toBe(true);
    const s = cli(['status'], { cwd: project, home });
    expect(s.status).toBe(2);
    expect(s.stdout).toMatch(new RegExp(`^watcher\\s+running \\(pid ${pid}\\)`, 'm'));
    // Without the committed .gitignore, the runtime directories still keep themselves out of git.
    cli(['check', '--fallback', 'git push --force'], { cwd: project, home });
    expect(git(['add', '-A', '-n'], project, env).split('\n').filter((l) => l.includes('.agentfirewall/'))).toEqual([]);
    // Still enforced: a deleted .env comes back.
    unlinkSync(join(project, '.env'));
    expect(await until(() => existsSync(join(project, '.env')))).toBe(true);
    git(['checkout', '-q', 'main'], project, env);
    expect(await until(() => watcherOut(project).includes('configuration reloaded'))).toBe(true);
    // The merge that used to abort on untracked generated files goes through.
    git(['merge', '-q', 'bare', '-m', 'merge'], project, env);
    const u = cli(['unprotect'], { cwd: project, home });
    expect(u.stderr).toMatch(`stopped the watcher (pid ${pid})`);
    expect(await until(() => !running(pid))).toBe(true);
  }, 60_000);

  it('with .agentfirewall/ removed altogether, status says the watcher still runs and unprotect stops it', async () => {
    const { home, project } = protectedRepo();
    const pid = watcherPid(home, project);
    // Gone at once (the watcher writes its audit lines into logs/ while an rm -r walks the tree).
    renameSync(join(project, '.agentfirewall'), join(tempDir(), 'moved-away'));
    const s = cli(['status'], { cwd: project, home });
    expect(s.status).toBe(2);
    // The watcher may already have re-created .agentfirewall/logs/ for its audit line; either way it is seen.
    expect(`${s.stderr}${s.stdout}`).toMatch(new RegExp(`watcher still runs \\(pid ${pid}\\)|^watcher\\s+running \\(pid ${pid}\\)`, 'm'));
    const u = cli(['unprotect'], { cwd: project, home });
    expect(u.stderr).toMatch(`stopped the watcher (pid ${pid})`);
    expect(await until(() => !running(pid))).toBe(true);
  }, 60_000);
});

describe('a watcher known only by its state record', () => {
  it('status and unprotect find it from the project or any directory below it, with no .agentfirewall/ at all', async () => {
    const { home, project } = tempProject({ init: false });
    mkdirSync(join(project, 'src'));
    const watcher = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'agentfirewall', 'watch'], { stdio: 'ignore' });
    children.push(watcher);
    mkdirSync(stateDir(home, project), { recursive: true });
    writeFileSync(join(stateDir(home, project), 'project'), `${project}\n`);
    writeFileSync(join(stateDir(home, project), 'watcher.pid'), `${watcher.pid}\n`);
    const s = cli(['status'], { cwd: join(project, 'src'), home });
    expect(s.status).toBe(2);
    expect(s.stderr).toMatch(`no .agentfirewall/ in ${project} any more, but its watcher still runs (pid ${watcher.pid})`);
    const u = cli(['unprotect'], { cwd: join(project, 'src'), home });
    expect(u.stderr).toMatch(`stopped the watcher (pid ${watcher.pid})`);
    expect(u.stderr).not.toMatch(/no .agentfirewall\/ here/);
    expect(await until(() => watcher.exitCode !== null || watcher.signalCode !== null)).toBe(true);
  }, 60_000);
});

describe('the watcher judges .git as git owns it', () => {
  it("git's own writes stop nothing; a non-git process changing .git/config or a hook is stopped", async () => {
    const { home, project } = protectedRepo(undefined, addPreCommitHook);
    const marked = gitEnv(home, { AGENTFIREWALL_RUN_ID: project });
    const bystander = markedProcess(project, home, children);
    const session = spawnSync('bash', ['-c', [
      'set -e', 'echo one > a.txt', 'git add a.txt', 'git commit -q -m one', 'git checkout -q -b topic', 'echo two > b.txt',
      'git add b.txt', 'git commit -q -m two', 'git checkout -q main', 'git merge -q --no-ff topic -m merged', 'git branch -q -D topic',
      'echo three >> a.txt', 'git stash -q', 'git stash pop -q', 'git tag v1', 'git config user.name Someone',
    ].join('\n')], { cwd: project, env: marked, encoding: 'utf8' });
    expect(session.status, session.stderr).toBe(0);
    // The watcher handles events in order: once a later violation is handled, git's events were judged.
    writeFileSync(join(project, '.env'), 'OVERWRITTEN\n');
    expect(await until(() => readFileSync(join(project, '.env'), 'utf8') === 'TOKEN=hunter2-secret\n')).toBe(true);
    await until(() => !alive(bystander.child));
    const stops = auditLines(project).filter((l) => l.type === 'process' && /^stopping/.test(l.detail));
    expect(stops.map((l) => l.detail).filter((d) => d.includes('/.git'))).toEqual([]);
    expect(auditLines(project).filter((l) => l.type === 'file' && l.target.includes('/.git/'))).toEqual([]);

    for (const [what, target] of [['config', '.git/config'], ['hook', '.git/hooks/pre-commit']]) {
      const agent = markedProcess(project, home, children);
      await until(() => agent.child.pid !== undefined);
      const w = spawnSync(process.execPath, ['-e', `require('fs').appendFileSync(${JSON.stringify(join(project, target))}, '\\n# added\\n')`], { env: marked });
      // The writer carries the marker too, so it may be stopped itself before it exits: the write is what counts.
      expect(w.error).toBeUndefined();
      expect(readFileSync(join(project, target), 'utf8')).toContain('# added');
      const stopped = await Promise.race([agent.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 15_000))]);
      expect(stopped, `${what}: ${JSON.stringify(auditLines(project).slice(-5))}`).toBe(true);
      expect(auditLines(project).some((l) => l.type === 'process' && l.detail.includes(`after: write ${join(project, target)}`)), JSON.stringify(auditLines(project), null, 1)).toBe(true);
    }
  }, 90_000);
});

describe('git writing the working tree', () => {
  it('a checkout, merge and stash that change a tracked .env.example and the config stop nothing and revert nothing', async () => {
    // The template is there before the watcher starts, as in a real clone.
    const { home, project, env } = protectedRepo(undefined, (dir) => writeFileSync(join(dir, '.env.example'), 'API_KEY=\n'));
    const marked = gitEnv(home, { AGENTFIREWALL_RUN_ID: project });
    git(['add', '-A'], project, env);
    git(['commit', '-q', '-m', 'protect'], project, env);
    // The branch that changes them is made elsewhere and fetched, as a pull would bring it: only .git changes here.
    const other = join(tempDir(), 'clone');
    git(['clone', '-q', project, other], home, env);
    writeFileSync(join(other, '.env.example'), 'API_KEY=\nNEW_VAR=1\n');
    const otherConfig = join(other, '.agentfirewall/config.yaml');
    writeFileSync(otherConfig, readFileSync(otherConfig, 'utf8').replace(/^mode: enforce$/m, 'mode: enforce # team default'));
    git(['commit', '-q', '-am', 'change'], other, env);
    git(['push', '-q', 'origin', 'HEAD:envchange'], other, env);
    const bystander = markedProcess(project, home, children);
    const session = spawnSync('bash', ['-c', [
      'set -e', 'git checkout -q envchange', 'git checkout -q main', 'git merge -q --no-ff envchange -m merged',
      'git checkout -q HEAD~1', 'git checkout -q main', 'echo more >> README.md', 'git stash -q', 'git checkout -q HEAD~1', 'git checkout -q main', 'git stash pop -q',
    ].join('\n')], { cwd: project, env: marked, encoding: 'utf8' });
    expect(session.status, session.stderr).toBe(0);
    // Events are handled in order: once a later violation is handled, the checkout's were judged.
    // Changes right after git was seen at work count as its own, so the write is repeated until one is judged.
    const judged = () => auditLines(project).some((l) => l.type === 'file' && l.target === `write ${join(project, '.env')}`);
    for (let attempt = 0; attempt < 20 && !judged(); attempt++) {
      writeFileSync(join(project, '.env'), `OVERWRITTEN ${attempt}\n`);
      await until(judged, 3_000);
    }
    expect(judged(), JSON.stringify(auditLines(project).slice(-5), null, 1)).toBe(true);
    const stopLines = () => auditLines(project).filter((l) => l.type === 'process' && /^stopping/.test(l.detail));
    expect(await until(() => stopLines().length > 0)).toBe(true); // the file line is written before the stops
    const stops = stopLines();
    expect(stops.every((l) => l.detail.endsWith(`after: write ${join(project, '.env')}`)), JSON.stringify(stops, null, 1)).toBe(true);
    expect(readFileSync(join(project, '.env.example'), 'utf8')).toBe('API_KEY=\nNEW_VAR=1\n');
    expect(readFileSync(join(project, '.agentfirewall/config.yaml'), 'utf8')).toMatch(/^mode: enforce # team default$/m);
    expect(git(['status', '--porcelain', '--untracked-files=no'], project, env)).toBe(' M README.md\n');
    await until(() => !alive(bystander.child));
  }, 120_000);
});

/** One question to the resident checker, as the shell guards ask it. */
function askChecker(project: string, command: string): Promise<string> {
  const { port, token } = residentChecker(project);
  return askResident(port, `${token}\x1fbash\x1f${project}\x1f${command}`);
}

describe('the circuit breaker is loud and re-arms', () => {
  it('a tripped breaker shows in every deny message and in status, and re-arms after the quiet period', async () => {
    const { home, project } = protectedRepo((t) => t.replace(/^  max_stops: \d+$/m, '  max_stops: 1').replace(/^  rearm_seconds: \d+$/m, '  rearm_seconds: 3'));
    const first = markedProcess(project, home, children);
    unlinkSync(join(project, '.env'));
    await first.exited;
    await until(() => existsSync(join(project, '.env')));
    const second = markedProcess(project, home, children);
    unlinkSync(join(project, '.env'));
    expect(await until(() => auditLines(project).some((l) => l.rule === 'watcher/circuit-breaker'), 60_000), JSON.stringify(auditLines(project).slice(-6), null, 1)).toBe(true);
    expect(alive(second.child)).toBe(true);
    const denied = cli(['check', 'rm -rf ~'], { cwd: project, home });
    expect(denied.status).toBe(1);
    expect(denied.stderr).toMatch(/WATCHER ALERT-ONLY/);
    const hook = cli(['hook', 'claude'], { cwd: project, home, input: JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'rm -rf ~' }, cwd: project }) });
    expect(hook.stdout).toMatch(/"deny"[\s\S]*WATCHER ALERT-ONLY/);
    expect(await askChecker(project, 'rm -rf ~')).toMatch(/^deny .*WATCHER ALERT-ONLY/);
    const s = cli(['status'], { cwd: project, home });
    expect(s.status).toBe(2);
    expect(s.stdout.split('\n')[0]).toMatch(/^ALERT-ONLY: the watcher's circuit breaker tripped/);
    // Quiet for rearm_seconds: armed again, and the messages say nothing more.
    expect(await until(() => cli(['status'], { cwd: project, home }).status === 0, 30_000)).toBe(true);
    expect(cli(['check', 'rm -rf ~'], { cwd: project, home }).stderr).not.toMatch(/ALERT-ONLY/);
    await until(() => existsSync(join(project, '.env')));
    unlinkSync(join(project, '.env'));
    expect(await Promise.race([second.exited.then(() => 'stopped'), new Promise((r) => setTimeout(() => r('running'), 15_000))])).toBe('stopped');
  }, 90_000);
});
