import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempProject } from './helpers.js';

// The shell-env guards fail closed: BASH_ENV and ZDOTDIR name loaders in the installed package, so an agent that
// deletes or empties the project's .agentfirewall/hooks/ does not get unguarded shells; every command is refused
// with the reason and the way back. Real bash and zsh, the real binary, a decoy that must survive.
const SLOW = { timeout: 300_000 };

function guardEnv(project: string, home: string): Record<string, string> {
  const r = cli(['shell-env'], { cwd: project, home });
  expect(r.status, r.stderr).toBe(0);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, SHLVL: '1' };
  for (const m of r.stdout.matchAll(/^export (\w+)='([^']*)'$/gm)) env[m[1]] = m[2];
  return env;
}

function setup() {
  const { home, project } = tempProject();
  writeFileSync(join(project, '.env'), 'SECRET=1\n');
  mkdirSync(join(project, 'decoy'));
  writeFileSync(join(project, 'decoy/keep.txt'), 'keep\n');
  return { home, project, env: guardEnv(project, home) };
}

const run = (shell: string, command: string, cwd: string, env: Record<string, string>) =>
  spawnSync(shell, ['-c', command], { cwd, env, encoding: 'utf8', timeout: 100_000 });

const intact = (project: string) => existsSync(join(project, '.env')) && existsSync(join(project, 'decoy/keep.txt'));

describe('shell-env guards fail closed when the project copies are gone', SLOW, () => {
  it('exports loaders from the package, not files in the project', () => {
    const { project, env } = setup();
    expect(env.BASH_ENV.startsWith(join(project, '.agentfirewall'))).toBe(false);
    expect(env.ZDOTDIR.startsWith(join(project, '.agentfirewall'))).toBe(false);
    expect(env.AGENTFIREWALL_GUARD_DIR).toBe(join(project, '.agentfirewall/hooks'));
  });

  it.each(['bash', 'zsh'])('%s -c after rm -rf .agentfirewall/hooks: destructive and ordinary commands are refused, saying how to restore', (shell) => {
    const { home, project, env } = setup();
    rmSync(join(project, '.agentfirewall/hooks'), { recursive: true, force: true });
    for (const command of ['rm -rf decoy .env; echo RAN', 'rm -rf decoy']) {
      const r = run(shell, command, project, env);
      expect(r.status).toBe(126);
      expect(r.stdout).toBe('');
      expect(intact(project)).toBe(true);
    }
    const ordinary = run(shell, 'echo hello', project, env);
    expect(ordinary.status).toBe(126);
    expect(ordinary.stdout).toBe('');
    expect(ordinary.stderr).toMatch(/agentfirewall: the shell guard .*\.agentfirewall\/hooks\/.* is missing or damaged; every command of this shell is refused/);
    expect(ordinary.stderr).toContain(`run  agentfirewall shell-env  in ${project}`);
    // As the message says: shell-env writes the guard back, and the same environment is guarded again.
    expect(cli(['shell-env'], { cwd: project, home }).status).toBe(0);
    expect(run(shell, 'echo hello', project, env).stdout).toBe('hello\n');
    expect(run(shell, 'rm -rf .env', project, env).status).toBe(126);
    expect(intact(project)).toBe(true);
  });

  it.each([
    ['bash', '.agentfirewall/hooks/bash_env.bash'],
    ['zsh', '.agentfirewall/hooks/zdotdir/.zshenv'],
  ])('%s -c with its guard emptied (truncate -s0) is refused', (shell, file) => {
    const { project, env } = setup();
    truncateSync(join(project, file), 0);
    const r = run(shell, 'rm -rf decoy', project, env);
    expect(r.status).toBe(126);
    expect(r.stderr).toMatch(/is missing or damaged/);
    expect(intact(project)).toBe(true);
  });

  it('with the whole .agentfirewall/ gone, commands are refused instead of running outside any project', () => {
    const { project, env } = setup();
    rmSync(join(project, '.agentfirewall'), { recursive: true, force: true });
    const r = run('bash', 'rm -rf decoy', project, env);
    expect(r.status).toBe(126);
    expect(r.stderr).toMatch(/if \.agentfirewall\/ itself is gone, restore it first/);
    expect(existsSync(join(project, 'decoy/keep.txt'))).toBe(true);
  });

  it('doctor and status say the guard is broken, never active', () => {
    const { home, project } = setup();
    const before = cli(['doctor'], { cwd: project, home });
    expect(before.stdout).toMatch(/^ok +shell-env guard/m);
    rmSync(join(project, '.agentfirewall/hooks'), { recursive: true, force: true });
    const doctor = cli(['doctor'], { cwd: project, home });
    expect(doctor.status).toBe(1);
    expect(doctor.stdout).toMatch(/^INERT shell-env guard .*BROKEN: .*bash_env\.bash.* missing or damaged; every bash -c \/ zsh -c of the agents' shells is refused/m);
    expect(doctor.stdout).not.toMatch(/^ok +shell-env/m);
    const status = cli(['status'], { cwd: project, home });
    expect(status.status).toBe(2);
    expect(status.stdout).toMatch(/^SHELL GUARD BROKEN: /m);
    expect(status.stdout).toMatch(/^shell-env +BROKEN/m);
  });
});
