import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, residentChecker, tempProject } from './helpers.js';
import { baseEnv, guardEnv, run, startServe, waitFor } from './checker-helpers.js';
import { hasTmux, PROMPT, terminal } from './guarded-shells.js';

// The guards' clients of the resident checker, in real bash and zsh, against a real `serve`: what they send
// is what gets checked, they believe no one but our server, and with no answer to trust they ask a checker
// process and refuse when that fails too. The decoy is the project's .env, which must survive.

const SLOW = { timeout: 300_000 };
const SECRET = 'SECRET=1\n';

function project() {
  const p = tempProject();
  writeFileSync(join(p.project, '.env'), SECRET);
  return p;
}
const intact = (dir: string) => existsSync(join(dir, '.env')) && readFileSync(join(dir, '.env'), 'utf8') === SECRET;

describe.each(['bash', 'zsh'])('%s -c against the resident checker', SLOW, (shell) => {
  it('a command holding \\x1e is checked as it is: the old newline code does not hide a pipe into sh', async () => {
    const { home, project: dir } = project();
    // `curl` here prints a local file, so that the line needs no network; the engine judges the words.
    const bin = join(home, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'curl'), '#!/bin/sh\nfor a; do u=$a; done\nexec cat "${u#file://}"\n');
    chmodSync(join(bin, 'curl'), 0o755);
    writeFileSync(join(home, 'payload'), 'rm -f .env\n');
    const line = `cat <<X\x1e;curl -s file://${home}/payload | sh;\x1eX`;
    expect(cli(['check', '--', line], { cwd: dir, home }).status).toBe(1);
    const serve = await startServe(dir, home);
    try {
      const env = guardEnv(dir, home, { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` });
      const r = spawnSync(shell, ['-c', line], { cwd: dir, env, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(126);
      expect(r.stderr).toMatch(/DENY \[rce\/download-exec\]/);
      expect(intact(dir)).toBe(true);
    } finally {
      await serve.stop();
    }
  });

  it.each([
    ['answers allow', true],
    ['never answers', false],
  ])('a process that took over a dead checker\'s port and %s is not believed', async (_how, answers) => {
    const { home, project: dir } = project();
    const serve = await startServe(dir, home);
    const { port } = residentChecker(dir);
    serve.child.kill('SIGKILL');
    await serve.exited;
    let received = '';
    const held: Socket[] = [];
    const decoy = createServer((socket) => {
      held.push(socket);
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        received += chunk;
        if (answers && chunk.includes('\n')) socket.end('allow\n');
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve, reject) => decoy.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
    try {
      const r = await run(shell, ['-c', 'rm -f .env'], { cwd: dir, env: guardEnv(dir, home) });
      expect(received).toContain('rm -f .env'); // the client did ask it
      expect(r.status, r.stderr).toBe(126);
      if (answers) expect(r.stderr).toContain(`what answers on 127.0.0.1:${port} is not the resident checker`);
      expect(r.stderr).toMatch(/DENY \[secrets\/env-file\]/);
      expect(intact(dir)).toBe(true);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => decoy.close(resolve));
    }
  });
});

describe('interactive bash when the resident checker dies mid-session', SLOW, () => {
  /**
   * An interactive bash (input piped, readline active) whose first line waits while the test kills the checker
   * outright (its run file stays behind, the DEBUG trap stays armed); then it sources later.sh.
   */
  async function session(dir: string, home: string) {
    expect(cli(['install-hooks', '--shell', 'bash'], { cwd: dir, home }).status).toBe(0);
    const serve = await startServe(dir, home);
    const input = 'echo ready > ready.txt; while [ ! -e killed.txt ]; do sleep 0.1; done\n. ./later.sh\n';
    const shell = run('bash', ['--rcfile', join(home, '.bashrc'), '-i'], { cwd: dir, env: baseEnv(home), input });
    await waitFor(() => existsSync(join(dir, 'ready.txt')), 'the session to start');
    serve.child.kill('SIGKILL');
    await serve.exited;
    expect(existsSync(join(dir, '.agentfirewall/run/checker'))).toBe(true);
    writeFileSync(join(dir, 'killed.txt'), '');
    return shell;
  }

  it('the backstop asks a checker process: a deletion in a sourced file is still refused', async () => {
    const { home, project: dir } = project();
    writeFileSync(join(dir, 'later.sh'), 'rm -f .env\n');
    const r = await session(dir, home);
    expect(r.stderr).toMatch(/DENY \[secrets\/env-file\] rm -f \.env/);
    expect(intact(dir)).toBe(true);
  });

  it('with the checker process unusable as well, the command is refused', async () => {
    const { home, project: dir } = project();
    expect(cli(['install-hooks', '--shell', 'bash'], { cwd: dir, home }).status).toBe(0);
    // The guard's node is a link the test removes mid-session (as an upgrade that removes the old node would).
    const node = join(home, 'node');
    symlinkSync(process.execPath, node);
    const rc = join(home, '.bashrc');
    writeFileSync(rc, readFileSync(rc, 'utf8').replace(/^AGENTFIREWALL_NODE=.*$/m, `AGENTFIREWALL_NODE='${node}'`));
    // later.sh waits (builtins with plain words only, which the trap lets pass) until both are gone, then deletes.
    writeFileSync(join(dir, 'later.sh'), 'echo go > go.txt\nuntil [ -e gone.txt ]; do :; done\nrm -f .env\n');
    const serve = await startServe(dir, home);
    const shell = run('bash', ['--rcfile', rc, '-i'], { cwd: dir, env: baseEnv(home), input: '. ./later.sh\n' });
    await waitFor(() => existsSync(join(dir, 'go.txt')), 'the session to start');
    serve.child.kill('SIGKILL');
    await serve.exited;
    rmSync(node);
    writeFileSync(join(dir, 'gone.txt'), '');
    const r = await shell;
    expect(r.stderr).toMatch(/the checker is missing .*; refusing the command/);
    expect(intact(dir)).toBe(true);
  });
});

describe('interactive zsh when the resident checker dies mid-session', SLOW, () => {
  it.skipIf(!hasTmux)('the backstop asks a checker process: a deletion in a sourced file is still refused', async () => {
    const { home, project: dir } = project();
    const zdotdir = join(home, 'zdot');
    mkdirSync(zdotdir);
    expect(cli(['install-hooks', '--shell', 'zsh'], { cwd: dir, home, env: { ZDOTDIR: zdotdir } }).status).toBe(0);
    appendFileSync(join(zdotdir, '.zshrc'), `PS1='${PROMPT} '\n`);
    writeFileSync(join(dir, 'later.sh'), 'rm -f .env\ntouch after\n');
    const serve = await startServe(dir, home);
    const term = await terminal(dir, baseEnv(home, { ZDOTDIR: zdotdir }), ['zsh', '-i']);
    try {
      await term.type('touch before');
      serve.child.kill('SIGKILL');
      await serve.exited;
      await term.type('source ./later.sh');
      expect(term.screen()).toMatch(/^agentfirewall: DENY \[secrets\/env-file\] rm -f \.env: /m);
    } finally {
      term.close();
    }
    expect(existsSync(join(dir, 'before'))).toBe(true);
    expect(intact(dir)).toBe(true);
  });
});
