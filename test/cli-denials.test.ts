import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { askResident, BIN, cli, residentChecker, tempProject, write } from './helpers.js';

// Through the built binary: protected files are judged alike whichever way they change, copies that destroy
// nothing pass once the CLI has looked at the target, and every denial says how to allow it.
const { home, project } = tempProject();
write(join(project, '.env.example'), 'KEY=\n');
const run = (args: string[]) => cli(args, { cwd: project, home });
const NEXT = /^agentfirewall: to allow, a person sets in \.agentfirewall\/config\.yaml: (rules: \[(\{id: [a-z0-9/-]+, action: off\}(, )?)+\]) \(action: warn to be told only\)$/m;

function hook(agent: string, payload: unknown) {
  const r = spawnSync(process.execPath, [BIN, 'hook', agent], { cwd: project, input: JSON.stringify(payload), env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, json: r.stdout.trim() ? JSON.parse(r.stdout) : undefined };
}
const claude = (tool_name: string, tool_input: unknown) => ({ session_id: 's', cwd: project, hook_event_name: 'PreToolUse', tool_name, tool_input });

describe('creating a protected file is a change like any other', () => {
  it.each([
    [['check-file', '.env.local', '-o', 'create'], 'secrets/env-file'],
    [['check-file', 'config/.env.production', '-o', 'create'], 'secrets/env-file'],
    [['check-file', join(home, '.ssh/id_rsa'), '-o', 'create'], 'secrets/ssh-dir'],
    [['check-file', join(home, '.ssh/authorized_keys'), '-o', 'create'], 'secrets/ssh-dir'],
    [['check', 'touch ~/.ssh/x'], 'secrets/ssh-dir'],
    [['check', 'touch .env.local'], 'secrets/env-file'],
  ])('%j is denied by %s', (args, rule) => {
    const r = run(args);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`DENY [${rule}]`);
  });

  it("an agent's Write of a new .env.local or ~/.ssh/authorized_keys is denied with the reason and the next step", () => {
    for (const [path, rule] of [[join(project, '.env.local'), 'secrets/env-file'], [join(home, '.ssh/authorized_keys'), 'secrets/ssh-dir']]) {
      expect(existsSync(path)).toBe(false);
      const r = hook('claude', claude('Write', { file_path: path, content: 'X=1\n' }));
      expect(r.status).toBe(0);
      expect(r.json.hookSpecificOutput.permissionDecision).toBe('deny');
      expect(r.json.hookSpecificOutput.permissionDecisionReason).toContain(`rule ${rule}`);
      expect(r.json.hookSpecificOutput.permissionDecisionReason).toMatch(NEXT);
    }
  });
});

describe('copies that destroy nothing', () => {
  it('cp .env.example .env passes while there is no .env, and is denied once there is one', () => {
    rmSync(join(project, '.env'), { force: true });
    expect(run(['check', 'cp .env.example .env']).status).toBe(0);
    expect(hook('claude', claude('Bash', { command: 'cp .env.example .env' })).stdout).toBe('');
    writeFileSync(join(project, '.env'), 'KEY=real\n');
    const r = run(['check', 'cp .env.example .env']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('DENY [secrets/env-file]');
    expect(hook('claude', claude('Bash', { command: 'cp .env.example .env' })).json.hookSpecificOutput.permissionDecision).toBe('deny');
  });

  it('cp .env .env.backup passes for a new backup, not over an old one', () => {
    writeFileSync(join(project, '.env'), 'KEY=real\n');
    rmSync(join(project, '.env.backup'), { force: true });
    expect(run(['check', 'cp .env .env.backup']).status).toBe(0);
    writeFileSync(join(project, '.env.backup'), 'KEY=older\n');
    expect(run(['check', 'cp .env .env.backup']).status).toBe(1);
  });

  it('a dangling symlink at the target counts as something there', () => {
    rmSync(join(project, '.env.staging'), { force: true });
    spawnSync('ln', ['-s', '/nonexistent/elsewhere', join(project, '.env.staging')]);
    expect(run(['check', 'cp .env.example .env.staging']).status).toBe(1);
  });
});

describe("SIGKILL of the line's own background job", () => {
  it.each([
    ['sleep 100 & kill -9 $!', 0],
    ['kill -9 %1', 0],
    ['kill -9 $!', 1],
  ])('%s exits %i', (line, status) => {
    expect(run(['check', line]).status).toBe(status);
  });
});

describe('every denial ends with how to allow it', () => {
  it.each([
    [['check', 'git push --force origin main']],
    [['check-file', '.env', '-o', 'delete']],
    [['check-network', '169.254.169.254']],
  ])('%j: the config it names, written as shown, allows it', (args) => {
    const denied = run(args);
    expect(denied.status).toBe(1);
    const lines = denied.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^agentfirewall: DENY \[/);
    const next = NEXT.exec(lines[1]);
    expect(next, denied.stderr).not.toBeNull();
    const config = join(project, '.agentfirewall/config.yaml');
    const before = readFileSync(config, 'utf8');
    try {
      expect(before).toMatch(/^rules: \[\]$/m);
      writeFileSync(config, before.replace(/^rules: \[\]$/m, next![1]));
      const allowed = run(args);
      expect(allowed.stderr).toMatch(/^agentfirewall: ALLOW /);
      expect(allowed.status).toBe(0);
    } finally {
      writeFileSync(config, before);
    }
  });

  it('allowed and warned decisions carry no such line', () => {
    expect(run(['check', 'ls']).stderr).not.toMatch(/to allow/);
    expect(run(['check', 'git push origin --delete old']).stderr).not.toMatch(/to allow/);
  });

  it('the resident checker answers the shell guards with the same line', async () => {
    const server = spawn(process.execPath, [BIN, 'serve'], { cwd: project, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }, stdio: ['ignore', 'ignore', 'pipe'] });
    const runFile = join(project, '.agentfirewall/run/checker');
    try {
      const deadline = Date.now() + 60_000;
      while (!existsSync(runFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const { port, token } = residentChecker(project);
      const answer = await askResident(port, `${token}\x1fbash\x1f${project}\x1fgit reset --hard`);
      expect(answer).toMatch(/^deny \[git\/reset-hard\] .*; to allow, a person sets in \.agentfirewall\/config\.yaml: rules: \[\{id: git\/reset-hard, action: off\}\]/);
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
  }, 90_000);
});
