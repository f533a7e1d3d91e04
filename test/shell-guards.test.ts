import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { installBlock, uninstallBlock } from '../src/adapters/rc-block.js';
import { blockBody } from '../src/adapters/shell-hooks.js';
import { cli, tempDir, tempProject } from './helpers.js';

// Real bash and zsh: interactive shells driven with piped input (bash; readline stays active) or tmux (zsh,
// whose line editor needs a terminal), and the `bash -c` / `zsh -c` shells agents start, under shell-env.

/** A project with a secret, and a HOME whose startup files carry the guards. */
function guardedHome() {
  const { home, project } = tempProject();
  writeFileSync(join(project, '.env'), 'SECRET=1\n');
  const zdotdir = join(home, 'zdot');
  mkdirSync(zdotdir);
  expect(cli(['install-hooks', '--shell', 'bash'], { cwd: project, home }).status).toBe(0);
  expect(cli(['install-hooks', '--shell', 'zsh'], { cwd: project, home, env: { ZDOTDIR: zdotdir } }).status).toBe(0);
  return { home, project, zdotdir };
}

// SHLVL=1 as in any shell a person or agent starts from: a top-level `bash -c` with a socket for stdin (Node's
// pipes are sockets) takes itself for an sshd session and skips BASH_ENV; shell-env exports SHLVL=1 for that.
const baseEnv = (home: string, extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TERM: 'xterm', SHLVL: '1', ...extra });

/** The environment `eval "$(agentfirewall shell-env)"` gives an agent started in `project`. */
function guardEnv(project: string, home: string): Record<string, string> {
  const exports = cli(['shell-env'], { cwd: project, home }).stdout;
  const env: Record<string, string> = baseEnv(home);
  for (const m of exports.matchAll(/^export (\w+)='([^']*)'$/gm)) env[m[1]] = m[2];
  return env;
}

function interactiveBash(home: string, cwd: string, input: string, extraEnv: Record<string, string> = {}) {
  return spawnSync('bash', ['--rcfile', join(home, '.bashrc'), '-i'], { cwd, input, env: baseEnv(home, extraEnv), encoding: 'utf8', timeout: 30_000 });
}

const secretIntact = (project: string) => readFileSync(join(project, '.env'), 'utf8') === 'SECRET=1\n';

describe('interactive bash: the Enter guard refuses whole lines', () => {
  it('a denied line runs nothing, before or after the bad command; allowed lines run unchanged', () => {
    const { home, project } = guardedHome();
    const r = interactiveBash(home, project, 'echo A > a.txt; rm .env; echo B > b.txt\nrm -f .env && echo RAN\necho OK > ok.txt\n');
    expect(existsSync(join(project, 'a.txt'))).toBe(false);
    expect(existsSync(join(project, 'b.txt'))).toBe(false);
    expect(secretIntact(project)).toBe(true);
    expect(r.stdout + r.stderr).not.toMatch(/^RAN$/m);
    expect(r.stderr).toMatch(/agentfirewall: DENY \[secrets\/env-file\]/);
    expect(readFileSync(join(project, 'ok.txt'), 'utf8')).toBe('OK\n');
  });

  it('checks continuation lines together: a loop runs when allowed, and a loop hiding a delete never runs', () => {
    const { home, project } = guardedHome();
    interactiveBash(home, project, 'for i in 1 2; do\necho "loop$i" >> loop.txt\ndone\nfor i in 1; do\nrm .env\ndone\n');
    expect(readFileSync(join(project, 'loop.txt'), 'utf8')).toBe('loop1\nloop2\n');
    expect(secretIntact(project)).toBe(true);
  });

  it('guards vi mode too', () => {
    const { home, project } = guardedHome();
    interactiveBash(home, project, 'set -o vi\nrm .env\necho VI > vi.txt\n');
    expect(secretIntact(project)).toBe(true);
    expect(readFileSync(join(project, 'vi.txt'), 'utf8')).toBe('VI\n');
  });

  it('a missing checker means denied', () => {
    const { home, project } = guardedHome();
    const rc = join(home, '.bashrc');
    writeFileSync(rc, readFileSync(rc, 'utf8').replace(/AGENTFIREWALL_CLI='[^']*'/, `AGENTFIREWALL_CLI='${join(home, 'gone.js')}'`));
    const r = interactiveBash(home, project, 'echo X > x.txt\n');
    expect(existsSync(join(project, 'x.txt'))).toBe(false);
    expect(r.stderr).toMatch(/the checker is missing/);
  });

  it('outside a protected project nothing changes', () => {
    const { home } = guardedHome();
    const outside = tempDir();
    writeFileSync(join(outside, '.env'), 'X=1\n');
    interactiveBash(home, outside, 'rm .env\n');
    expect(existsSync(join(outside, '.env'))).toBe(false);
  });

  it('a person may edit .agentfirewall/ from an interactive shell', () => {
    const { home, project } = guardedHome();
    interactiveBash(home, project, 'echo "# note" >> .agentfirewall/config.yaml\n');
    expect(readFileSync(join(project, '.agentfirewall/config.yaml'), 'utf8')).toMatch(/# note\n$/);
  });
});

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

describe.skipIf(!hasTmux)('interactive zsh: the line-editor widget refuses whole lines', () => {
  async function zshSession(home: string, zdotdir: string, project: string, lines: string[]): Promise<string> {
    const socket = `af-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
    const envArgs = Object.entries(baseEnv(home, { ZDOTDIR: zdotdir })).map(([k, v]) => `${k}=${v}`);
    tmux('new-session', '-d', '-s', 'z', '-x', '200', '-y', '50', '-c', project, 'env', ...envArgs, 'zsh', '-i');
    try {
      await sleep(1000);
      for (const line of lines) {
        tmux('send-keys', '-t', 'z', '-l', line);
        tmux('send-keys', '-t', 'z', 'Enter');
        await sleep(900);
      }
      return tmux('capture-pane', '-p', '-t', 'z').stdout;
    } finally {
      tmux('kill-server');
    }
  }

  it("denies the whole line even after trap '' INT, and runs allowed lines", async () => {
    const { home, project, zdotdir } = guardedHome();
    const screen = await zshSession(home, zdotdir, project, ["trap '' INT", 'echo A > a.txt; rm .env; echo B > b.txt', 'echo OK > ok.txt']);
    expect(screen).toMatch(/agentfirewall: DENY/);
    expect(existsSync(join(project, 'a.txt'))).toBe(false);
    expect(existsSync(join(project, 'b.txt'))).toBe(false);
    expect(secretIntact(project)).toBe(true);
    expect(readFileSync(join(project, 'ok.txt'), 'utf8')).toBe('OK\n');
  }, 30_000);

  it('checks a multi-line construct as a whole', async () => {
    const { home, project, zdotdir } = guardedHome();
    await zshSession(home, zdotdir, project, ['for i in 1; do', 'rm .env', 'done', 'echo AFTER > after.txt']);
    expect(secretIntact(project)).toBe(true);
    expect(existsSync(join(project, 'after.txt'))).toBe(true);
  }, 30_000);
});

describe("agents' shells under shell-env: bash -c, bash -lc and zsh -c", () => {
  function agentShell(project: string, home: string, argv: string[]) {
    return spawnSync(argv[0], argv.slice(1), { cwd: project, env: guardEnv(project, home), encoding: 'utf8', timeout: 30_000 });
  }

  it.each([
    [['bash', '-c', 'echo A > a.txt; rm -f .env; echo RAN']],
    [['bash', '-lc', 'rm -f .env && echo RAN']],
    [['zsh', '-c', 'rm -f .env; echo RAN']],
  ])('%j is refused with exit 126 and runs nothing', (argv) => {
    const { home, project } = tempProject();
    writeFileSync(join(project, '.env'), 'SECRET=1\n');
    const r = agentShell(project, home, argv);
    expect(r.status).toBe(126);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/agentfirewall: DENY \[secrets\/env-file\]/);
    expect(secretIntact(project)).toBe(true);
    expect(existsSync(join(project, 'a.txt'))).toBe(false);
  });

  it.each([[['bash', '-c', 'echo hello']], [['bash', '-lc', 'echo hello']], [['zsh', '-c', 'echo hello']]])('%j runs unchanged', (argv) => {
    const { home, project } = tempProject();
    const r = agentShell(project, home, argv);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('hello\n');
  });

  it.each([
    [['bash', '-c', 'unset BASH_ENV; bash -c "rm -f .env"']],
    [['bash', '-c', 'env -i bash -c "rm -f .env"']],
    [['bash', '-c', 'zsh -f -c "rm -f .env"']],
    [['bash', '-c', 'bash --posix -c "rm -f .env"']],
    [['bash', '-c', "trap - DEBUG; echo x"]],
  ])('tampering %j is refused', (argv) => {
    const { home, project } = tempProject();
    writeFileSync(join(project, '.env'), 'SECRET=1\n');
    const r = agentShell(project, home, argv);
    expect(r.status).toBe(126);
    expect(secretIntact(project)).toBe(true);
  });

  it("zsh still reads the user's own .zshenv", () => {
    const { home, project } = tempProject();
    writeFileSync(join(home, '.zshenv'), 'export FROM_USER_ZSHENV=yes\n');
    expect(agentShell(project, home, ['zsh', '-c', 'echo $FROM_USER_ZSHENV']).stdout).toBe('yes\n');
  });

  it('a broken config falls back to the standard preset, loudly', () => {
    const { home, project } = tempProject();
    writeFileSync(join(project, '.env'), 'SECRET=1\n');
    const env = guardEnv(project, home);
    writeFileSync(join(project, '.agentfirewall/config.yaml'), 'mode: off\nbogus: 1\n');
    const r = spawnSync('bash', ['-c', 'rm -f .env'], { cwd: project, env, encoding: 'utf8' });
    expect(r.status).toBe(126);
    expect(r.stderr).toMatch(/warning: .agentfirewall config has 1 problem .* the standard preset is enforced/);
    expect(secretIntact(project)).toBe(true);
  });

  it('a missing checker means denied', () => {
    const { home, project } = tempProject();
    const env = guardEnv(project, home);
    const bashEnv = join(project, '.agentfirewall/hooks/bash_env.bash');
    writeFileSync(bashEnv, readFileSync(bashEnv, 'utf8').replaceAll(/'\/[^']*agentfirewall\.js'/g, `'${join(home, 'gone.js')}'`));
    const r = spawnSync('bash', ['-c', 'echo hello'], { cwd: project, env, encoding: 'utf8' });
    expect(r.status).toBe(126);
    expect(r.stderr).toMatch(/the checker is missing/);
  });

  it('shell-env keeps BASH_ENV effective when SHLVL is missing (bash takes a socket stdin for an sshd session)', () => {
    const { home, project } = tempProject();
    writeFileSync(join(project, '.env'), 'SECRET=1\n');
    const exports = cli(['shell-env'], { cwd: project, home }).stdout;
    const script = `${exports}\nexec bash -c 'rm -f .env'`;
    const r = spawnSync('sh', ['-c', script], { cwd: project, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }, encoding: 'utf8' });
    expect(r.status).toBe(126);
    expect(secretIntact(project)).toBe(true);
  });

  it('outside a project the guards do nothing', () => {
    const { home, project } = tempProject();
    const env = guardEnv(project, home);
    const outside = tempDir();
    writeFileSync(join(outside, '.env'), 'X=1\n');
    expect(spawnSync('bash', ['-c', 'rm .env'], { cwd: outside, env }).status).toBe(0);
    expect(existsSync(join(outside, '.env'))).toBe(false);
  });
});

describe('install-hooks / uninstall-hooks', () => {
  const body = blockBody('bash');
  it.each([
    ['a file with a final newline', 'export PATH=$PATH:~/bin\nalias ll="ls -l"\n'],
    ['a file without a final newline', 'alias ll="ls -l"'],
    ['an empty file', ''],
  ])('200 install/uninstall cycles leave %s byte-identical, mode kept', (_name, original) => {
    const dir = tempDir();
    const rc = join(dir, '.bashrc');
    writeFileSync(rc, original);
    chmodSync(rc, 0o600);
    for (let i = 0; i < 200; i++) {
      installBlock(rc, body);
      installBlock(rc, body); // idempotent
      expect(readFileSync(rc, 'utf8').split('# >>> agentfirewall >>>').length).toBe(2);
      uninstallBlock(rc);
      expect(readFileSync(rc, 'utf8')).toBe(original);
    }
    expect(statSync(rc).mode & 0o777).toBe(0o600);
  });

  it('a missing rc file is created, and removed again on uninstall', () => {
    const rc = join(tempDir(), '.zshrc');
    installBlock(rc, body);
    expect(readFileSync(rc, 'utf8')).toMatch(/^# >>> agentfirewall >>>/);
    uninstallBlock(rc);
    expect(existsSync(rc)).toBe(false);
  });

  it('writes through a symlinked rc file and leaves the link a link', () => {
    const dir = tempDir();
    const real = join(dir, 'dotfiles-bashrc');
    const link = join(dir, '.bashrc');
    writeFileSync(real, 'source ~/.aliases\n');
    symlinkSync(real, link);
    for (let i = 0; i < 200; i++) {
      installBlock(link, body);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      uninstallBlock(link);
    }
    expect(readlinkSync(link)).toBe(real);
    expect(readFileSync(real, 'utf8')).toBe('source ~/.aliases\n');
  });

  it('the CLI installs into ~/.bashrc and $ZDOTDIR/.zshrc, and uninstall restores them', () => {
    const { home, project } = tempProject();
    writeFileSync(join(home, '.bashrc'), '# mine\n');
    const zdot = join(home, 'z');
    mkdirSync(zdot);
    expect(cli(['install-hooks', '--shell', 'bash'], { cwd: project, home }).status).toBe(0);
    expect(cli(['install-hooks'], { cwd: project, home, env: { SHELL: '/usr/bin/zsh', ZDOTDIR: zdot } }).status).toBe(0);
    expect(readFileSync(join(zdot, '.zshrc'), 'utf8')).toMatch(/agentfirewall\.zsh/);
    expect(cli(['uninstall-hooks'], { cwd: project, home, env: { ZDOTDIR: zdot } }).status).toBe(0);
    expect(readFileSync(join(home, '.bashrc'), 'utf8')).toBe('# mine\n');
    expect(existsSync(join(zdot, '.zshrc'))).toBe(false);
  });

  it('without --shell and an unknown $SHELL, install-hooks asks for --shell (exit 2)', () => {
    const { home, project } = tempProject();
    const r = cli(['install-hooks'], { cwd: project, home, env: { SHELL: '/bin/fish' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--shell bash\|zsh/);
  });
});

describe('the resident checker', () => {
  async function withServer<T>(project: string, home: string, fn: () => Promise<T> | T): Promise<T> {
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('./helpers.js');
    const server = spawn(process.execPath, [BIN, 'serve'], { cwd: project, env: baseEnv(home), stdio: ['ignore', 'ignore', 'pipe'] });
    const runFile = join(project, '.agentfirewall/run/checker');
    for (let i = 0; i < 100 && !existsSync(runFile); i++) await sleep(50);
    try {
      expect(existsSync(runFile)).toBe(true);
      expect(statSync(runFile).mode & 0o777).toBe(0o600);
      return await fn();
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
  }

  it('answers over TCP with a token, and the -c guard uses it', async () => {
    const { home, project } = tempProject();
    writeFileSync(join(project, '.env'), 'SECRET=1\n');
    const env = guardEnv(project, home);
    await withServer(project, home, async () => {
      const [port, token] = readFileSync(join(project, '.agentfirewall/run/checker'), 'utf8').split('\n');
      const { connect } = await import('node:net');
      const ask = (line: string) =>
        new Promise<string>((resolve, reject) => {
          const s = connect(Number(port), '127.0.0.1', () => s.write(`${line}\n`));
          let data = '';
          s.on('data', (d) => {
            data += d;
            if (data.includes('\n')) {
              s.end();
              resolve(data.trim());
            }
          });
          s.on('error', reject);
        });
      expect(await ask(`${token}\x1fbash\x1f${project}\x1fgit status`)).toBe('allow');
      expect(await ask(`${token}\x1fbash\x1f${project}\x1fgit push -f`)).toMatch(/^deny \[git\/push-force\]/);
      expect(await ask(`${token}\x1fbash,fragment\x1f${project}\x1ffor i in 1 2`)).toBe('incomplete');
      expect(await ask(`wrong\x1fbash\x1f${project}\x1fls`)).toMatch(/^error bad token/);
      const r = spawnSync('bash', ['-c', 'rm -f .env'], { cwd: project, env, encoding: 'utf8' });
      expect(r.status).toBe(126);
      expect(r.stderr).toMatch(/agentfirewall: deny \[secrets\/env-file\]/);
    });
    const log = readFileSync(join(project, '.agentfirewall/logs/firewall.log'), 'utf8');
    expect(log).toMatch(/"source":"bash"/);
  }, 30_000);

  it('adds a per-command backstop that reaches sourced files and functions', async () => {
    const { home, project } = tempProject();
    writeFileSync(join(project, '.env'), 'SECRET=1\n');
    writeFileSync(join(project, 'setup.sh'), 'echo first > first.txt\nrm -f .env\necho second > second.txt\n');
    const env = guardEnv(project, home);
    // Without the resident checker the -c string alone is checked: `source ./setup.sh` reads as harmless.
    await withServer(project, home, () => {
      const r = spawnSync('bash', ['-c', 'source ./setup.sh'], { cwd: project, env, encoding: 'utf8' });
      expect(r.status).toBe(126);
      expect(existsSync(join(project, 'first.txt'))).toBe(true);
      expect(existsSync(join(project, 'second.txt'))).toBe(false);
      expect(secretIntact(project)).toBe(true);
      const loop = spawnSync('bash', ['-c', 'for i in $(seq 50); do x=$i; done; echo done'], { cwd: project, env, encoding: 'utf8' });
      expect(loop.stdout).toBe('done\n');
    });
  }, 30_000);
});
