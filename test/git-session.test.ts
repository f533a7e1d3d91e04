import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, tempProject } from './helpers.js';
import { addPreCommitHook, alive, auditLines, git, gitEnv, initRepo, markedProcess, stateDir, until } from './git-helpers.js';

// A day of ordinary git under the real watcher, as an agent's shell would run it (carrying the shell-env
// marker, so every process counts as the agent's): nothing may be stopped, and the breaker must never trip.
const children: ChildProcess[] = [];
const projects: { project: string; home: string }[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const { project, home } of projects.splice(0)) cli(['unprotect'], { cwd: project, home });
});

const COMMITS = 1000;

// Every 100 commits: a topic branch with one commit merged back with --no-ff and deleted, and a stash
// pushed and popped; at the end a gc that packs and prunes what the session wrote.
const SESSION = `
set -e
for i in $(seq 1 ${COMMITS}); do
  echo "$i" > work.txt
  git add work.txt
  git commit -q -m "commit $i"
  if [ $((i % 100)) -eq 50 ]; then
    git checkout -q -b "topic$i"
    echo "topic $i" > topic.txt
    git add topic.txt
    git commit -q -m "topic $i"
    git checkout -q main
    git merge -q --no-ff "topic$i" -m "merge $i"
    git branch -q -D "topic$i"
  fi
  if [ $((i % 100)) -eq 0 ]; then
    echo "wip $i" >> work.txt
    git stash -q
    git stash pop -q
  fi
done
git gc -q
echo done
`;

describe('a scripted git session under the watcher', () => {
  it(`${COMMITS} commits with a pre-commit hook, branches, merges and stashes: nothing stopped, the breaker never trips, every commit lands`, async () => {
    const { home, project } = tempProject({ init: false });
    const env = gitEnv(home);
    initRepo(project, env);
    addPreCommitHook(project);
    writeFileSync(join(project, '.env'), 'TOKEN=session-secret\n');
    const p = cli(['protect', '--shell', 'bash'], { cwd: project, home });
    expect(p.status, p.stderr).toBe(0);
    projects.push({ project, home });
    // A marked process that lives through the session: whatever the watcher wrongly stops, it stops this too.
    const bystander = markedProcess(project, home, children);

    const session = spawn('bash', ['-c', SESSION], { cwd: project, env: gitEnv(home, { AGENTFIREWALL_RUN_ID: project }), stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(session);
    let output = '';
    session.stdout!.on('data', (d) => (output += d));
    session.stderr!.on('data', (d) => (output += d));
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => session.once('exit', (c, s) => resolve([c, s])));
    expect({ code, signal }, `${output}\n${auditLines(project).filter((l) => l.verdict !== "allow").slice(0, 6).map((l) => `${l.type} ${l.target} ${l.detail}`).join("\n")}`).toEqual({ code: 0, signal: null });
    expect(output.trim().endsWith('done')).toBe(true);

    // Every commit landed: 1 initial, the session's, and per topic branch its commit and its merge.
    const subjects = git(['log', '--format=%s', 'main'], project, env).trim().split('\n');
    const topics = COMMITS / 100;
    expect(subjects.length).toBe(1 + COMMITS + 2 * topics);
    for (let i = 1; i <= COMMITS; i++) expect(subjects).toContain(`commit ${i}`);

    // Events are judged in order: once a violation after the session is handled, the session's were too.
    writeFileSync(join(project, '.env'), 'OVERWRITTEN\n');
    expect(await until(() => readFileSync(join(project, '.env'), 'utf8') === 'TOKEN=session-secret\n', 120_000)).toBe(true);
    const lines = auditLines(project);
    expect(lines.filter((l) => l.rule === 'watcher/circuit-breaker')).toEqual([]);
    const stops = lines.filter((l) => l.type === 'process' && /^stopping/.test(l.detail));
    expect(stops.filter((l) => !l.detail.includes(`after: write ${join(project, '.env')}`))).toEqual([]);
    expect(lines.filter((l) => l.type === 'file' && l.target.includes('/.git'))).toEqual([]);
    // ... and the watcher was armed all along: that violation stopped the bystander.
    expect(await until(() => !alive(bystander.child))).toBe(true);
    const state = JSON.parse(readFileSync(join(stateDir(home, project), 'watcher.json'), 'utf8'));
    expect(state.alertOnly).toBe(false);
  }, 900_000);
});
