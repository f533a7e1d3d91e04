import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { agentEnv, hasTmux, installedBin, PROMPT, terminal, waitFor } from './guarded-shells.js';
import { BIN, cli, tempProject } from './helpers.js';

// The firewall's own commands that switch protection off are a person's to run. From an agent's shell (real
// `bash -c` under shell-env) they are refused and protection stays on; typed at a guarded terminal they work.

const SLOW = { timeout: 300_000 };
const watchers: number[] = [];
afterAll(() => {
  for (const pid of watchers) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already stopped
    }
  }
});

/** A project under `protect` (watcher, resident checker, bash guard in ~/.bashrc), `agentfirewall` on PATH. */
function protectedProject() {
  const { home, project } = tempProject();
  const bin = installedBin(home);
  const path = `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`;
  const r = cli(['protect'], { cwd: project, home, env: { SHELL: '/bin/bash', PATH: path } });
  expect(r.status, r.stderr).toBe(0);
  const pid = Number(/watcher and resident checker: running \(pid (\d+)\)/.exec(r.stderr)?.[1]);
  expect(pid).toBeGreaterThan(0);
  watchers.push(pid);
  return { home, project, path, pid };
}

/** What `status` says about the guards, and the config's preset. */
function protection(project: string, home: string) {
  const status = cli(['status'], { cwd: project, home }).stdout;
  return {
    watcher: /^watcher\s+running/m.test(status),
    shellGuard: /^shell hooks\s+bash/m.test(status),
    preset: /^preset\s+(\S+)/m.exec(status)?.[1],
    config: existsSync(join(project, '.agentfirewall/config.yaml')),
  };
}

const ON = { watcher: true, shellGuard: true, preset: 'standard', config: true };

describe("from an agent's bash -c under shell-env", SLOW, () => {
  const { home, project, path } = protectedProject();
  const env = agentEnv(project, home, path);
  const agentShell = (line: string) => spawnSync('bash', ['-c', line], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 100_000 });

  it.each([
    'agentfirewall unprotect',
    'agentfirewall unprotect --remove-config --yes',
    'agentfirewall init --force --preset permissive',
    'agentfirewall protect --force --preset permissive',
    'agentfirewall uninstall-hooks',
    'agentfirewall uninstall-hooks --shell bash',
    'agentfirewall install-hooks --shell bash',
    'timeout 5 agentfirewall serve',
    'timeout 5 agentfirewall watch',
    `node ${BIN} unprotect`,
    'echo y | npx --no-install agentfirewall unprotect',
    "python3 -c \"import os; os.system('agentfirewall unprotect')\"",
    'sub=unprotect; agentfirewall $sub',
  ])('%s is refused as tamper/firewall and protection stays on', (line) => {
    const r = agentShell(line);
    expect(r.status, r.stderr).toBe(126);
    expect(r.stderr).toMatch(/agentfirewall: DENY \[tamper\/firewall\]/);
    expect(protection(project, home)).toEqual(ON);
  });

  it.each(['agentfirewall status', "agentfirewall check 'rm -rf /'", 'agentfirewall log -n 1', 'agentfirewall explain "agentfirewall unprotect"', 'agentfirewall unprotect --help'])(
    '%s (read-only) still runs',
    (line) => {
      const r = agentShell(line);
      expect(r.status === 0 || r.status === 1, r.stderr).toBe(true); // check and explain exit 1 for a denied line
      expect(r.stderr).not.toMatch(/tamper\/firewall\]/);
      expect(protection(project, home)).toEqual(ON);
    },
  );

  it('the CLI refuses by itself inside an agent tree without a terminal, even when the marker was dropped from its own environment', () => {
    // sh reads no BASH_ENV: nothing but the CLI's own check stands in the way here.
    for (const line of [`node ${BIN} unprotect`, `env -u AGENTFIREWALL_RUN_ID node ${BIN} uninstall-hooks; exit $?`, `env -u AGENTFIREWALL_RUN_ID node ${BIN} init --force --preset permissive; exit $?`]) {
      const r = spawnSync('sh', ['-c', line], { cwd: project, env: { ...env, BASH_ENV: '' }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/refused from an agent's process tree .* without a terminal/);
      expect(r.stderr).toMatch(/a person runs it from their own terminal/);
      expect(protection(project, home)).toEqual(ON);
    }
  });
});

describe.skipIf(!hasTmux)('typed by a person at a guarded interactive bash', SLOW, () => {
  it('init --force and unprotect work', async () => {
    const { home, project, path, pid } = protectedProject();
    appendFileSync(join(home, '.bashrc'), `PS1='${PROMPT} '\n`);
    const t = await terminal(project, { PATH: path, HOME: home, TERM: 'xterm', SHELL: '/bin/bash' }, ['bash', '--rcfile', join(home, '.bashrc'), '-i']);
    try {
      // The guard is live in this terminal: an agent-style edit of the secrets is still refused.
      await t.type('touch .env.local');
      expect(t.screen()).toMatch(/DENY \[secrets\/env-file\]/);
      await t.type('agentfirewall init --force --preset strict');
      expect(protection(project, home).preset).toBe('strict');
      await t.type('agentfirewall unprotect');
      await waitFor(() => !protection(project, home).watcher, 'the watcher to stop');
      expect(protection(project, home)).toMatchObject({ watcher: false, shellGuard: false });
      expect(t.screen()).not.toMatch(/tamper\/firewall/);
      await waitFor(() => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      }, 'the watcher process to exit');
    } finally {
      t.close();
    }
    expect(readFileSync(join(project, '.agentfirewall/config.yaml'), 'utf8')).toMatch(/preset: strict/);
  });
});
