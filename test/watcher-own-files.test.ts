import { existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';
import { auditLines, fakeAgent, protectedProject, until, watcherOut } from './watcher-helpers.js';

// The watcher and `.agentfirewall/` itself: the policy's sources and the shell guards are kept like any protected
// file; a change an agent makes to them is reverted, never adopted. A real watcher, real processes.
const SLOW = { timeout: 120_000 };
const dump = (project: string) => `${watcherOut(project)}\n${JSON.stringify(auditLines(project), null, 1)}`;

describe('the watcher never adopts an agent\'s change to the policy', SLOW, () => {
  it('mode: off written while an agent works is reverted from the last good copy and audited; protection stays on', async () => {
    const { project } = protectedProject();
    const config = join(project, '.agentfirewall/config.yaml');
    const original = readFileSync(config);
    const agent = fakeAgent(project);
    expect(await agent.ready).toBe(true);
    writeFileSync(config, original.toString('utf8').replace(/^mode: .*$/m, 'mode: off'));
    expect(await until(() => readFileSync(config).equals(original)), dump(project)).toBe(true);
    expect(await until(() => auditLines(project).some((l) => l.verdict === 'restore' && l.target === `restore ${config}` && /never adopted/.test(l.detail))), dump(project)).toBe(true);
    await agent.exited;
    // Still enforcing: a deleted secret comes back (with mode: off adopted, nothing would be restored).
    unlinkSync(join(project, '.env'));
    expect(await until(() => existsSync(join(project, '.env'))), dump(project)).toBe(true);
    expect(watcherOut(project)).not.toMatch(/configuration reloaded/);
  });

  it('mode: off written and committed at once while an agent works is still reverted: a commit is not a checkout', async () => {
    const { project } = protectedProject((p) => {
      for (const args of [['init', '-q', '-b', 'main'], ['add', '-A'], ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init']]) {
        expect(spawnSync('git', args, { cwd: p.project, env: { ...process.env, HOME: p.home } }).status).toBe(0);
      }
    });
    const config = join(project, '.agentfirewall/config.yaml');
    const original = readFileSync(config);
    const agent = fakeAgent(project);
    expect(await agent.ready).toBe(true);
    writeFileSync(config, original.toString('utf8').replace(/^mode: .*$/m, 'mode: off'));
    const commit = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', 'quiet'], { cwd: project, encoding: 'utf8' });
    expect(commit.status, commit.stderr).toBe(0);
    expect(await until(() => readFileSync(config).equals(original)), dump(project)).toBe(true);
    expect(await until(() => auditLines(project).some((l) => l.verdict === 'restore' && l.target === `restore ${config}`)), dump(project)).toBe(true);
    await agent.exited;
    expect(watcherOut(project)).not.toMatch(/configuration reloaded/);
  });

  it('a rules file an agent adds is removed, not loaded', async () => {
    const { project } = protectedProject();
    const agent = fakeAgent(project);
    expect(await agent.ready).toBe(true);
    const rules = join(project, '.agentfirewall/rules');
    mkdirSync(rules, { recursive: true });
    const added = join(rules, 'quiet.yaml');
    writeFileSync(added, 'rules:\n  - id: secrets/env-file\n    action: off\n');
    expect(await until(() => !existsSync(added)), dump(project)).toBe(true);
    expect(await until(() => auditLines(project).some((l) => l.verdict === 'restore' && l.target === `restore ${added}` && /^removed /.test(l.detail))), dump(project)).toBe(true);
    await agent.exited;
  });

  it("a person's own edit, with no agent at work, is adopted as before", async () => {
    const { project, home } = protectedProject();
    const config = join(project, '.agentfirewall/config.yaml');
    const edited = readFileSync(config, 'utf8').replace(/^mode: .*$/m, 'mode: audit');
    writeFileSync(config, edited);
    expect(await until(() => watcherOut(project).includes('configuration reloaded')), dump(project)).toBe(true);
    expect(readFileSync(config, 'utf8')).toBe(edited);
    expect(cli(['status'], { cwd: project, home }).stdout).toMatch(/^mode +audit/m);
  });
});

describe('the watcher keeps .agentfirewall/hooks/ and logs its restores as restores', SLOW, () => {
  const withShellEnv = (p: { home: string; project: string }) => expect(cli(['shell-env'], { cwd: p.project, home: p.home }).status).toBe(0);

  it("an agent's overwrite of the shell guard is put back byte for byte, and a removed hooks/ comes back", async () => {
    const { project } = protectedProject(withShellEnv);
    const guard = join(project, '.agentfirewall/hooks/bash_env.bash');
    const zsh = join(project, '.agentfirewall/hooks/zdotdir/.zshenv');
    const original = readFileSync(guard);
    const originalZsh = readFileSync(zsh);
    const agent = fakeAgent(project);
    expect(await agent.ready).toBe(true);
    writeFileSync(guard, '# agentfirewall: end of the BASH_ENV guard\n');
    expect(await until(() => readFileSync(guard).equals(original)), dump(project)).toBe(true);
    await agent.exited;
    rmSync(join(project, '.agentfirewall/hooks'), { recursive: true, force: true });
    expect(await until(() => existsSync(guard) && existsSync(zsh) && readFileSync(guard).equals(original) && readFileSync(zsh).equals(originalZsh)), dump(project)).toBe(true);
  });

  it('shell-env run under a running watcher, from a shell already marked, is the firewall\'s own write: nothing is stopped', async () => {
    const { project, home } = protectedProject();
    // The person's shell after a first `eval "$(agentfirewall shell-env)"`: marked, with an agent-like bystander.
    const agent = fakeAgent(project);
    expect(await agent.ready).toBe(true);
    const r = cli(['shell-env'], { cwd: project, home, env: { AGENTFIREWALL_RUN_ID: project } });
    expect(r.status, r.stderr).toBe(0);
    const guard = join(project, '.agentfirewall/hooks/bash_env.bash');
    // A later change an agent makes is judged after the guard's events: once its restore is there, they were handled.
    writeFileSync(join(project, '.env'), 'OVERWRITTEN\n');
    expect(await until(() => auditLines(project).some((l) => l.target === `restore ${join(project, '.env')}`)), dump(project)).toBe(true);
    expect(auditLines(project).filter((l) => String(l.target).includes('.agentfirewall/hooks')), dump(project)).toEqual([]);
    expect(auditLines(project).filter((l) => l.type === 'process' && /after: (create|write) .*hooks/.test(l.detail))).toEqual([]);
    expect(readFileSync(guard, 'utf8')).toMatch(/end of the BASH_ENV guard/);
    await agent.exited;
  });

  it('a restore is an audit line of its own (verdict restore), and putting the file back is not judged as a write', async () => {
    const { project } = protectedProject();
    const env = join(project, '.env');
    const agent = fakeAgent(project);
    expect(await agent.ready).toBe(true);
    unlinkSync(env);
    expect(await until(() => auditLines(project).some((l) => l.target === `restore ${env}`)), dump(project)).toBe(true);
    await agent.exited;
    // A person's edit after it: every event before it has been handled once its line is there.
    appendFileSync(env, 'MORE=1\n');
    expect(await until(() => auditLines(project).some((l) => /not restored: no agent at work/.test(l.detail))), dump(project)).toBe(true);
    const lines = auditLines(project);
    const restore = lines.filter((l) => l.target === `restore ${env}` && /^restored /.test(l.detail));
    expect(restore.length).toBe(1);
    expect(restore[0].verdict).toBe('restore');
    const after = lines.slice(lines.indexOf(restore[0]) + 1);
    // Only the person's write is judged after the restore: the watcher's own put-back is not.
    expect(after.filter((l) => l.type === 'file' && (l.target === `write ${env}` || l.target === `create ${env}`)).length).toBe(1);
  });
});
