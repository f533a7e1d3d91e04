import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installBlock, uninstallBlock } from '../src/adapters/rc-block.js';
import { blockBody } from '../src/adapters/shell-hooks.js';
import { askResident, BIN, cli, residentChecker, tempDir, tempProject } from './helpers.js';
import { waitFor } from './guarded-shells.js';

// Real bash and zsh: interactive shells driven with piped input (bash; readline stays active) or in a tmux
// terminal, and the `bash -c` / `zsh -c` shells agents start, under shell-env. Every wait is for a condition
// (a prompt on the screen, a file, an exit) with a generous limit: the machine may be busy.

/** Every test here starts real shells and node processes; none may fail for being slow. */
const SLOW = { timeout: 300_000 };


/** A project with a secret, and a HOME whose startup files carry the guards. */
function guardedHome() {
  const { home, project } = tempProject();
  writeFileSync(join(project, '.env'), 'SECRET=1\n');
  const zdotdir = join(home, 'zdot');
  mkdirSync(zdotdir);
  expect(cli(['install-hooks', '--shell', 'bash'], { cwd: project, home }).status).toBe(0);
  expect(cli(['install-hooks', '--shell', 'zsh'], { cwd: project, home, env: { ZDOTDIR: zdotdir } }).status).toBe(0);
  appendFileSync(join(home, '.bashrc'), `PS1='${PS1} '; PS2='${PS2} '\n`);
  appendFileSync(join(zdotdir, '.zshrc'), `PS1='${PS1} '; PS2='${PS2} '\n`);
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
  const r = spawnSync('bash', ['--rcfile', join(home, '.bashrc'), '-i'], { cwd, input, env: baseEnv(home, extraEnv), encoding: 'utf8', timeout: 100_000 });
  if (r.error) throw r.error;
  return r;
}

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** Prompts the terminal tests set, so that a prompt on the screen is unmistakable. */
const PS1 = 'AFP$';
const PS2 = 'AFP>';

/**
 * An interactive shell in a tmux terminal. `type` sends one line and Enter, then waits until the shell is
 * back at a bare prompt below one more prompt than before; `screen` is everything the terminal showed.
 */
async function terminal(cwd: string, env: Record<string, string>, argv: string[]) {
  const socket = `af-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  expect(tmux('new-session', '-d', '-s', 't', '-x', '200', '-y', '50', '-c', cwd, 'env', ...envArgs, ...argv).status).toBe(0);
  const screen = (colours = false) => tmux('capture-pane', '-p', '-J', '-S', '-', ...(colours ? ['-e'] : []), '-t', 't').stdout;
  const lines = () => screen().split('\n').map((l) => l.trimEnd());
  const prompts = () => lines().filter((l) => l.startsWith(PS1) || l.startsWith(PS2)).length;
  const atPrompt = () => {
    const last = lines().filter((l) => l !== '').at(-1);
    return last === PS1 || last === PS2;
  };
  try {
    await waitFor(() => atPrompt(), `the first prompt of ${argv.join(' ')}`);
  } catch (error) {
    tmux('kill-server');
    throw error;
  }
  return {
    screen,
    async type(line: string): Promise<void> {
      const before = prompts();
      tmux('send-keys', '-t', 't', '-l', line);
      tmux('send-keys', '-t', 't', 'Enter');
      await waitFor(() => prompts() > before && atPrompt(), `a prompt after ${JSON.stringify(line)}:\n${screen()}`);
    },
    close: () => tmux('kill-server'),
  };
}

/** The screen's lines from the first typed command on, without blank lines. */
const shown = (screen: string) => screen.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');

const secretIntact = (project: string) => readFileSync(join(project, '.env'), 'utf8') === 'SECRET=1\n';

describe('interactive bash: the Enter guard refuses whole lines', SLOW, () => {
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

describe.skipIf(!hasTmux)('interactive bash in a terminal: what a person sees', SLOW, () => {
  it('a refused line stays on the screen, dimmed, above the reason in the words of check; then one empty prompt', async () => {
    const { home, project } = guardedHome();
    const term = await terminal(project, baseEnv(home), ['bash', '--rcfile', join(home, '.bashrc'), '-i']);
    try {
      await term.type('echo A > a.txt; rm .env');
      await term.type('echo ok');
      const screen = shown(term.screen());
      const at = screen.indexOf(`${PS1} echo A > a.txt; rm .env`);
      expect(at).toBeGreaterThanOrEqual(0);
      expect(screen.slice(at)).toEqual([
        `${PS1} echo A > a.txt; rm .env`,
        `agentfirewall: DENY [secrets/env-file] echo A > a.txt; rm .env: deletes a secrets file (${join(project, '.env')})`,
        'agentfirewall: to allow, a person sets in .agentfirewall/config.yaml: rules: [{id: secrets/env-file, action: off}, {id: fs/protected-path, action: off}] (action: warn to be told only)',
        `${PS1} echo ok`,
        'ok',
        PS1,
      ]);
      expect(term.screen(true)).toContain('\x1b[2mecho A > a.txt; rm .env');
    } finally {
      term.close();
    }
    expect(existsSync(join(project, 'a.txt'))).toBe(false);
    expect(secretIntact(project)).toBe(true);
  });

  it('a refusal inside a multi-line construct drops the whole construct, with no stray prompt', async () => {
    const { home, project } = guardedHome();
    const term = await terminal(project, baseEnv(home), ['bash', '--rcfile', join(home, '.bashrc'), '-i']);
    try {
      for (const line of ['for i in 1; do', 'echo in > in.txt', 'rm .env', 'done', 'echo after > after.txt']) await term.type(line);
      const screen = shown(term.screen());
      expect(screen.filter((l) => l === PS1 || l === PS2)).toEqual([PS1]); // only the prompt waiting at the end
      expect(screen).toContain(`${PS2} done`);
      expect(screen.join('\n')).toMatch(/^agentfirewall: DENY \[secrets\/env-file\] for i in 1; do$/m);
    } finally {
      term.close();
    }
    expect(existsSync(join(project, 'in.txt'))).toBe(false);
    expect(readFileSync(join(project, 'after.txt'), 'utf8')).toBe('after\n');
    expect(secretIntact(project)).toBe(true);
  });
});

describe.skipIf(!hasTmux)('interactive zsh: the line-editor widget refuses whole lines', SLOW, () => {
  async function zshSession(home: string, zdotdir: string, project: string, lines: string[]): Promise<string> {
    const term = await terminal(project, baseEnv(home, { ZDOTDIR: zdotdir }), ['zsh', '-i']);
    try {
      for (const line of lines) await term.type(line);
      return term.screen();
    } finally {
      term.close();
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
  });

  it('checks a multi-line construct as a whole', async () => {
    const { home, project, zdotdir } = guardedHome();
    await zshSession(home, zdotdir, project, ['for i in 1; do', 'rm .env', 'done', 'echo AFTER > after.txt']);
    expect(secretIntact(project)).toBe(true);
    expect(existsSync(join(project, 'after.txt'))).toBe(true);
  });

  it('keeps the refused line on the screen with the reason under it', async () => {
    const { home, project, zdotdir } = guardedHome();
    const screen = shown(await zshSession(home, zdotdir, project, ['rm .env', 'echo ok']));
    const at = screen.indexOf(`${PS1} rm .env`);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(screen[at + 1]).toBe(`agentfirewall: DENY [secrets/env-file] rm .env: deletes a secrets file (${join(project, '.env')})`);
  });
});

describe("agents' shells under shell-env: bash -c, bash -lc and zsh -c", SLOW, () => {
  function agentShell(project: string, home: string, argv: string[]) {
    return spawnSync(argv[0], argv.slice(1), { cwd: project, env: guardEnv(project, home), encoding: 'utf8', timeout: 100_000 });
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

describe('install-hooks / uninstall-hooks', SLOW, () => {
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

describe('the resident checker', SLOW, () => {
  async function withServer<T>(project: string, home: string, fn: (pid: number) => Promise<T> | T): Promise<T> {
    const server = spawn(process.execPath, [BIN, 'serve'], { cwd: project, env: baseEnv(home), stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise((resolve) => server.once('exit', resolve));
    const runFile = join(project, '.agentfirewall/run/checker');
    try {
      await waitFor(() => existsSync(runFile) || server.exitCode !== null, 'the resident checker to start');
      expect(existsSync(runFile)).toBe(true);
      expect(statSync(runFile).mode & 0o777).toBe(0o600);
      return await fn(server.pid!);
    } finally {
      server.kill('SIGTERM');
      await exited;
    }
  }

  it('answers over TCP with a token, and the -c guard uses it', async () => {
    const { home, project } = tempProject();
    writeFileSync(join(project, '.env'), 'SECRET=1\n');
    const env = guardEnv(project, home);
    await withServer(project, home, async () => {
      const { port, token } = residentChecker(project);
      const ask = (line: string) => askResident(port, line);
      expect(await ask(`${token}\x1fbash\x1f${project}\x1fgit status`)).toBe('allow');
      expect(await ask(`${token}\x1fbash\x1f${project}\x1fgit push -f`)).toMatch(/^deny \[git\/push-force\]/);
      expect(await ask(`${token}\x1fbash,fragment\x1f${project}\x1ffor i in 1 2`)).toBe('incomplete');
      expect(await ask(`wrong\x1fbash\x1f${project}\x1fls`)).toMatch(/^error bad token/);
      const r = spawnSync('bash', ['-c', 'rm -f .env'], { cwd: project, env, encoding: 'utf8' });
      expect(r.status).toBe(126);
      expect(r.stderr).toMatch(/^agentfirewall: DENY \[secrets\/env-file\] rm -f \.env: deletes a secrets file/m);
    });
    const log = readFileSync(join(project, '.agentfirewall/logs/firewall.log'), 'utf8');
    expect(log).toMatch(/"source":"bash"/);
  });

  it('a checker that goes away mid-string does not open the backstop: each command is then asked of a checker process', async () => {
    const { home, project } = tempProject();
    writeFileSync(join(project, '.env'), 'SECRET=1\n');
    writeFileSync(join(project, 'later.sh'), 'rm -f .env\n');
    const env = guardEnv(project, home);
    await withServer(project, home, async (pid) => {
      const runFile = join(project, '.agentfirewall/run/checker');
      // The string stops the checker (TERM, an ordinary signal), waits until its run file is gone, then runs a script.
      const line = `kill -TERM ${pid}; while [ -e ${runFile} ]; do sleep 0.05; done; echo before > before.txt; . ./later.sh; echo after > after.txt`;
      const r = spawnSync('bash', ['-c', line], { cwd: project, env, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(126);
      expect(r.stderr).toMatch(/DENY \[secrets\/env-file\]/);
      expect(existsSync(join(project, 'before.txt'))).toBe(true);
      expect(readFileSync(join(project, '.env'), 'utf8')).toBe('SECRET=1\n');
      expect(existsSync(join(project, 'after.txt'))).toBe(false);
    });
  });

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
  });

  /** What each trap case starts from: a secret, scripts that set traps, and one that deletes the secret. */
  const SEEDED = ['.env', 'badtrap.sh', 'evil.sh', 'own.sh', 'settrap.sh'];
  function seed(dir: string): string {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.env'), 'SECRET=1\n');
    writeFileSync(join(dir, 'settrap.sh'), "trap 'touch tr' EXIT\ntouch in\n");
    writeFileSync(join(dir, 'badtrap.sh'), "trap 'rm -f .env' EXIT\ntouch in\n");
    writeFileSync(join(dir, 'evil.sh'), 'touch first\nrm -f .env\ntouch second\n');
    // Functions named like the guards' own (bash __af_…, zsh _af_…): still checked.
    writeFileSync(join(dir, 'own.sh'), '__af_x() { rm -f .env; }\n_af_x() { rm -f .env; }\n');
    return dir;
  }
  function outcome(shell: string, dir: string, line: string, env: Record<string, string>) {
    const r = spawnSync(shell, ['-c', line], { cwd: dir, env, encoding: 'utf8', timeout: 100_000 });
    if (r.error) throw r.error;
    return { status: r.status, stdout: r.stdout, files: readdirSync(dir).sort(), stderr: r.stderr };
  }

  // Trap and option lines, labelled as `check` decides them. The guards must refuse exactly those, before any of
  // the line runs, and run every other one as a plain shell does, the user's traps included.
  const TRAP_LINES: ['allow' | 'deny', string][] = [
    ['allow', "touch b1; trap 'touch tr' EXIT; touch b2"],
    ['allow', "trap 'touch tr' EXIT; exit 3"],
    ['allow', `trap 'echo "status=$?" > st' EXIT; false`],
    ['allow', "set -e; trap 'touch tr' EXIT; false; touch never"],
    ['allow', "trap 'touch tr' EXIT; trap - EXIT; touch a"],
    ['allow', "trap -p EXIT; trap 'touch tr' EXIT; trap -p EXIT"],
    ['allow', 'set -o functrace; touch a'],
    ['allow', "f(){ trap 'touch tr' EXIT; touch inf; }; f; touch after"],
    ['allow', "( trap 'touch sub' EXIT; touch in ); touch after"],
    ['allow', "x=$(trap 'touch cs' EXIT; echo hi); echo $x"],
    ['allow', "trap 'touch usr1' USR1; kill -USR1 $$; touch after"],
    ['allow', "trap 'cd ..; cd - >/dev/null; touch h' USR1; kill -USR1 $$; touch after"],
    ['allow', 'source ./settrap.sh; touch after'],
    ['allow', 'set -e; case x in x) touch c ;; esac; [[ -e c ]] && touch d; touch after'],
    ['allow', 'set -e; select x in a; do break; done < /dev/null; touch after'],
    ['allow', 'set -eu; f(){ touch inf; return 0; }; f; x=$(echo hi); echo "$x"'],
    ['allow', 'set -x; touch a; g(){ touch ing; }; g'],
    ['allow', "trap 'echo x' ERR; touch a"],
    ['allow', "set -E; trap 'touch failed' ERR; f(){ false; }; f; touch after"],
    ['deny', "trap 'touch r' RETURN; touch a"],
    ['deny', "trap 'rm -f .env' ERR; false"],
    ['deny', "trap 'rm -f .env' EXIT; touch a"],
    ['deny', 'f(){ rm -f .env; }; trap f EXIT; touch a'],
    ['deny', "trap 'trap - DEBUG' EXIT; touch a"],
    ['deny', 'trap - DEBUG; touch a'],
  ];
  const BASH_ONLY: ['allow' | 'deny', string][] = [['allow', 'shopt -s extdebug; f(){ touch inf; }; f']];
  const ZSH_ONLY: ['allow' | 'deny', string][] = [
    ['allow', 'TRAPEXIT(){ touch tx; }; touch a'],
    ['allow', 'TRAPUSR1(){ touch u; }; kill -USR1 $$; touch after'],
    ['allow', "f(){ trap 'touch ftr' EXIT; touch inf; }; f; touch after"],
    ['deny', 'TRAPEXIT(){ rm -f .env; }; touch a'],
    ['deny', 'TRAPDEBUG(){ :; }; touch a'],
    ['allow', 'TRAPZERR(){ touch zerr; }; false; touch after'],
  ];

  it.each([
    ['bash', [...TRAP_LINES, ...BASH_ONLY]],
    ['zsh', [...TRAP_LINES, ...ZSH_ONLY]],
  ] as const)('%s -c: trap lines are refused exactly when check refuses them, and otherwise run as in a plain shell', async (shell, lines) => {
    const { home, project } = tempProject();
    const env = guardEnv(project, home);
    const plainRoot = tempDir();
    await withServer(project, home, () => {
      lines.forEach(([label, line], i) => {
        const dir = seed(join(project, 'cases', String(i)));
        expect([label, cli(['check', '-q', line], { cwd: dir, home }).status], line).toEqual([label, label === 'deny' ? 1 : 0]);
        const guarded = outcome(shell, dir, line, env);
        if (label === 'deny') {
          expect({ line, status: guarded.status, stdout: guarded.stdout, files: guarded.files }).toEqual({ line, status: 126, stdout: '', files: SEEDED });
          expect(guarded.stderr, line).toMatch(/^agentfirewall: DENY \[/m);
        } else {
          const plain = outcome(shell, seed(join(plainRoot, String(i))), line, baseEnv(home));
          // Under set -x the backstop's call and its switching xtrace off for itself are all that show of it.
          const own = /^\++ (__af_debug|local - __af_rc=0|set \+x)\n/gm;
          expect({ line, ...guarded, stderr: guarded.stderr.replace(own, '') }).toEqual({ line, ...plain });
        }
      });
    });
  });

  it('bash -c: the backstop refuses a command that check allows only before it runs, stops the whole shell, and keeps exit traps', async () => {
    const { home, project } = tempProject();
    const env = guardEnv(project, home);
    const cases: [string, (files: string[]) => void][] = [
      ['source ./evil.sh; touch after', (files) => expect(files).toEqual([...SEEDED, 'first'].sort())],
      ["trap 'touch ex' EXIT; source ./evil.sh; touch after", (files) => expect(files).toEqual([...SEEDED, 'ex', 'first'].sort())],
      ['source ./badtrap.sh; touch after', (files) => expect(files).toEqual(SEEDED)],
      ["trap 'touch caught' TERM; ( source ./evil.sh ); touch after", (files) => expect(files).toEqual([...SEEDED, 'first'].sort())],
      ["trap '' TERM; ( source ./evil.sh ); touch after", (files) => expect(files).toEqual([...SEEDED, 'first'].sort())],
      ['( ( source ./evil.sh ); touch mid ); touch after', (files) => expect(files).toEqual([...SEEDED, 'first'].sort())],
      ['source ./own.sh; __af_x; touch after', (files) => expect(files).toEqual(SEEDED)],
    ];
    await withServer(project, home, () => {
      cases.forEach(([line, expectFiles], i) => {
        const dir = seed(join(project, 'cases', String(i)));
        expect(cli(['check', '-q', line], { cwd: dir, home }).status, line).toBe(0);
        const r = outcome('bash', dir, line, env);
        expect(r.status, line).not.toBe(0);
        expect(r.stderr, line).toMatch(/^agentfirewall: DENY \[secrets\/env-file\] (rm -f \.env|trap 'rm -f \.env' EXIT): /m);
        expect(readFileSync(join(dir, '.env'), 'utf8'), line).toBe('SECRET=1\n');
        expectFiles(r.files);
      });
    });
  });

  it("interactive bash: the backstop reaches into sourced files and drops the rest of the line; the user's EXIT trap runs", async () => {
    const { home, project } = guardedHome();
    seed(project);
    await withServer(project, home, () => {
      const r = interactiveBash(home, project, "trap 'touch tr' EXIT\nsource ./evil.sh; touch after\nf(){ echo hi > hi.txt; }; f\n");
      expect(r.stderr).toMatch(/^agentfirewall: DENY \[secrets\/env-file\] rm -f \.env: /m);
      expect(r.stderr.match(/DENY/g)).toHaveLength(1);
    });
    expect(secretIntact(project)).toBe(true);
    expect(existsSync(join(project, 'second'))).toBe(false);
    expect(existsSync(join(project, 'after'))).toBe(false);
    for (const f of ['first', 'hi.txt', 'tr']) expect(existsSync(join(project, f)), f).toBe(true);
  });

  it.skipIf(!hasTmux)('interactive zsh: the backstop drops the rest of the line, and user traps run', async () => {
    const { home, project, zdotdir } = guardedHome();
    seed(project);
    await withServer(project, home, async () => {
      const term = await terminal(project, baseEnv(home, { ZDOTDIR: zdotdir }), ['zsh', '-i']);
      try {
        await term.type('TRAPZERR(){ touch zerr }');
        await term.type('source ./own.sh; _af_x; touch after');
        await term.type('source ./evil.sh; touch after');
        await term.type('TRAPUSR1(){ touch u }; kill -USR1 $$');
        await term.type("f(){ trap 'touch ftr' EXIT; touch inf }; f");
        expect(term.screen().match(/^agentfirewall: DENY \[secrets\/env-file\] rm -f \.env: /gm)).toHaveLength(2);
      } finally {
        term.close();
      }
    });
    expect(secretIntact(project)).toBe(true);
    expect(existsSync(join(project, 'second'))).toBe(false);
    expect(existsSync(join(project, 'after'))).toBe(false);
    for (const f of ['first', 'u', 'ftr', 'inf']) expect(existsSync(join(project, f)), f).toBe(true);
  });
});
