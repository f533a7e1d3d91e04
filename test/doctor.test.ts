import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, tempProject, write } from './helpers.js';

// doctor against real installs in a temporary HOME: the hooks it dry-runs are the real commands, run as the agents run them.
type P = { project: string; home: string };
const run = (args: string[], p: P, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd: p.project, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: p.home, ...env }, encoding: 'utf8', timeout: 60_000 });
const lineFor = (out: string, guard: RegExp) => out.split('\n').find((l) => guard.test(l)) ?? '';

describe('agentfirewall doctor', () => {
  it('dry-runs an installed hook with the agent\'s real payload and exits 0 when every guard protects', () => {
    const p = tempProject();
    run(['install-hooks', '--agent', 'claude'], p);
    run(['install-hooks', '--agent', 'codex', '--trust-project'], p);
    const r = run(['doctor'], p);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(lineFor(r.stdout, /claude hook/)).toMatch(/^ok +claude hook \(local, .*settings\.local\.json\): loads; dry run of 'rm -rf ~': denied by fs\/rm-home$/);
    expect(lineFor(r.stdout, /codex hook/)).toMatch(/^ok +codex hook \(project, .*\): loads; dry run of 'rm -rf ~': denied by fs\/rm-home$/);
    expect(lineFor(r.stdout, /watcher/)).toMatch(/^-- +watcher: not running/);
    const json = JSON.parse(run(['doctor', '--json'], p).stdout);
    expect(json).toMatchObject({ ok: true, projectDir: p.project });
    expect(json.checks.filter((c: { state: string }) => c.state === 'ok')).toHaveLength(2);
  }, 60_000);

  it('exits 1 and names the cause when a hook would not fire: untrusted folder, missing CLI, a command that lets everything through', () => {
    const p = tempProject();
    run(['install-hooks', '--agent', 'gemini'], p);
    run(['install-hooks', '--agent', 'claude'], p);
    run(['install-hooks', '--agent', 'copilot', '--scope', 'user'], p);
    const claude = join(p.project, '.claude/settings.local.json');
    writeFileSync(claude, readFileSync(claude, 'utf8').replace(/'[^']*\/bin\/agentfirewall\.js'/, `'${p.home}/gone.js'`));
    const copilot = join(p.home, '.copilot/hooks/agentfirewall.json');
    // Still tagged as ours, but answering nothing: what a broken wrapper would do.
    writeFileSync(copilot, readFileSync(copilot, 'utf8').replace(/"bash": "[^"]*"/, '"bash": "cat >/dev/null # agentfirewall hook copilot"'));
    const r = run(['doctor'], p);
    expect(r.status).toBe(1);
    expect(lineFor(r.stdout, /gemini hook/)).toMatch(/^INERT gemini hook .*only in trusted folders.*arm it: agentfirewall install-hooks --agent gemini --scope user/);
    expect(lineFor(r.stdout, /claude hook/)).toMatch(/^INERT claude hook .*gone\.js does not exist/);
    expect(lineFor(r.stdout, /copilot hook/)).toMatch(/^INERT copilot hook \(user, .*dry run of 'rm -rf ~': not denied \(exit 0, no answer\)/);
    write(join(p.home, '.gemini/trustedFolders.json'), JSON.stringify({ [p.project]: 'TRUST_FOLDER' }));
    expect(lineFor(run(['doctor'], p).stdout, /gemini hook/)).toMatch(/^ok +gemini hook .*denied by fs\/rm-home/);
  }, 60_000);

  it('runs the shell-env guard for real with a throw-away home, and sees when it lets the line run', () => {
    const p = tempProject();
    expect(run(['shell-env'], p).status).toBe(0);
    const ok = run(['doctor'], p);
    expect(ok.status).toBe(0);
    expect(lineFor(ok.stdout, /shell-env/)).toMatch(/^ok +shell-env guard .*refused \(exit 126\); not active in this shell/);
    // A guard that is complete but checks nothing: the dry run sees the line run.
    writeFileSync(join(p.project, '.agentfirewall/hooks/bash_env.bash'), '# emptied\n# agentfirewall: end of the BASH_ENV guard\n');
    const bad = run(['doctor'], p);
    expect(bad.status).toBe(1);
    expect(lineFor(bad.stdout, /shell-env/)).toMatch(/^INERT shell-env guard .*was not refused \(exit 0, it ran\)/);
  }, 60_000);

  it('checks the interactive guard of the rc file, and says when nothing guards the project', () => {
    const p = tempProject();
    const none = run(['doctor'], p);
    expect(none.status).toBe(1);
    expect(none.stdout).toMatch(/INERT nothing guards this project: run agentfirewall protect/);
    run(['install-hooks', '--shell', 'bash'], p);
    const r = run(['doctor'], p);
    expect(r.status).toBe(0);
    expect(lineFor(r.stdout, /bash interactive/)).toMatch(/^ok +bash interactive guard .*\.bashrc\): installed; dry run of 'rm -rf ~': denied/);
  }, 60_000);

  it.each(['cursor', 'windsurf', 'cline'])('dry-runs the %s hook in that agent\'s documented form', (agent) => {
    const p = tempProject();
    run(['install-hooks', '--agent', agent], p);
    const r = run(['doctor'], p);
    expect(lineFor(r.stdout, new RegExp(`${agent} hook`))).toMatch(new RegExp(`^ok +${agent} hook \\(project, .*\\): loads; dry run of 'rm -rf ~': denied by fs/rm-home$`));
    expect(r.status).toBe(0);
  }, 60_000);

  it('says when an agent is configured here but has no hook, and has --help', () => {
    const p = tempProject();
    write(join(p.project, '.gemini/settings.json'), '{}');
    run(['install-hooks', '--shell', 'bash'], p);
    expect(lineFor(run(['doctor'], p).stdout, /gemini/)).toMatch(/^-- +gemini hook: gemini is configured here but has no hook: agentfirewall install-hooks --agent gemini/);
    expect(run(['doctor', '--help'], p).stdout).toMatch(/dry run/);
  }, 60_000);
});
