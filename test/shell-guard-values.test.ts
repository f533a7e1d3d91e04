import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cli, tempProject } from './helpers.js';
import { waitFor } from './guarded-shells.js';

// The engine takes a variable it is not sent as empty, so the guards must send their shell's variables, exported
// or not: real bash and zsh, with and without the resident checker.

const SLOW = { timeout: 300_000 };
const baseEnv = (home: string, extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TERM: 'xterm', SHLVL: '1', ...extra });

function project() {
  const { home, project } = tempProject();
  mkdirSync(join(project, 'dist', 'x'), { recursive: true });
  expect(cli(['install-hooks', '--shell', 'bash'], { cwd: project, home }).status).toBe(0);
  appendFileSync(join(home, '.bashrc'), "PS1='AFV$ '\n");
  return { home, project };
}

function guardEnv(project: string, home: string): Record<string, string> {
  const exports = cli(['shell-env'], { cwd: project, home }).stdout;
  const env: Record<string, string> = baseEnv(home);
  for (const m of exports.matchAll(/^export (\w+)='([^']*)'$/gm)) env[m[1]] = m[2];
  return env;
}

function interactiveBash(home: string, cwd: string, input: string) {
  const r = spawnSync('bash', ['--rcfile', join(home, '.bashrc'), '-i'], { cwd, input, env: baseEnv(home), encoding: 'utf8', timeout: 100_000 });
  if (r.error) throw r.error;
  return r;
}

async function withServer<T>(project: string, home: string, fn: () => T): Promise<T> {
  const server = spawn(process.execPath, [BIN, 'serve'], { cwd: project, env: baseEnv(home), stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  try {
    await waitFor(() => existsSync(join(project, '.agentfirewall/run/checker')) || server.exitCode !== null, 'the resident checker to start');
    return fn();
  } finally {
    server.kill('SIGTERM');
    await exited;
  }
}

const hasZsh = spawnSync('zsh', ['-c', 'true']).status === 0;

describe('the shell guards send the variables a line names', SLOW, () => {
  for (const resident of [false, true]) {
    const how = resident ? 'with the resident checker' : 'with a checker process';
    it(`interactive bash ${how}: a variable set earlier and not exported is its value; an unset one is empty`, async () => {
      const { home, project: dir } = project();
      const typed = 'D=dist/x\nrm -rf "$PWD/$D"\nrm -rf "$PWD/$NOT_SET"\necho after > after.txt\n';
      const r = resident ? await withServer(dir, home, () => interactiveBash(home, dir, typed)) : interactiveBash(home, dir, typed);
      expect(existsSync(join(dir, 'dist', 'x')), r.stderr).toBe(false);
      expect(r.stderr).toMatch(/DENY \[fs\/rm-project\] rm -rf "\$PWD\/\$NOT_SET"/);
      expect(r.stderr.match(/DENY/g)).toHaveLength(1);
      expect(existsSync(join(dir, 'after.txt'))).toBe(true);
    });

    it(`bash -c ${how}: the exported variables of its environment`, async () => {
      const { home, project: dir } = project();
      const env = { ...guardEnv(dir, home), D: 'dist/x' };
      const run = (line: string) => spawnSync('bash', ['-c', line], { cwd: dir, env, encoding: 'utf8' });
      const [ok, refused] = resident ? await withServer(dir, home, () => [run('rm -rf "$PWD/$D"'), run('rm -rf "$PWD/$E"')]) : [run('rm -rf "$PWD/$D"'), run('rm -rf "$PWD/$E"')];
      expect(ok.status, ok.stderr).toBe(0);
      expect(existsSync(join(dir, 'dist', 'x'))).toBe(false);
      expect(refused.status).toBe(126);
      expect(refused.stderr).toMatch(/DENY \[fs\/rm-project\]/);
    });

    it.skipIf(!hasZsh)(`zsh -c ${how}: the exported variables of its environment`, async () => {
      const { home, project: dir } = project();
      const env = { ...guardEnv(dir, home), D: 'dist/x' };
      const run = (line: string) => spawnSync('zsh', ['-c', line], { cwd: dir, env, encoding: 'utf8' });
      const [ok, refused] = resident ? await withServer(dir, home, () => [run('rm -rf "$PWD/$D"'), run('rm -rf "$PWD/$E"')]) : [run('rm -rf "$PWD/$D"'), run('rm -rf "$PWD/$E"')];
      expect(ok.status, ok.stderr).toBe(0);
      expect(existsSync(join(dir, 'dist', 'x'))).toBe(false);
      expect(refused.status).toBe(126);
    });
  }
});

