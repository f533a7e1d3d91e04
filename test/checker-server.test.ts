import { readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { askResident, BIN, cli, rawRequest, residentChecker, tempProject } from './helpers.js';
import { baseEnv, spawnServe, startServe, waitFor } from './checker-helpers.js';

// The resident checker as a real `serve` process, spoken to over TCP the way the guards speak to it.

const SLOW = { timeout: 300_000 };

/** The verdict and rule `check` gives a line, in the resident checker's words (`allow`, `deny [rule]`). */
function checkSays(project: string, home: string, command: string): string {
  const r = cli(['check', '--json', '--', command], { cwd: project, home });
  const d = JSON.parse(r.stdout) as { verdict: string; rule: string };
  return d.verdict === 'allow' ? 'allow' : `${d.verdict} [${d.rule}]`;
}
const verdictOf = (answer: string) => (answer === 'allow' ? 'allow' : (answer.match(/^\w+ \[[^\]]+\]/)?.[0] ?? answer));

describe('the resident checker', SLOW, () => {
  it('checks exactly the text it was sent: separators, newlines and backslashes in a command do not change it', async () => {
    const { home, project } = tempProject();
    writeFileSync(join(project, '.env'), 'SECRET=1\n');
    const serve = await startServe(project, home);
    try {
      const { port, token } = residentChecker(project);
      for (const command of [
        'cat <<X\x1e;rm -f .env;\x1eX', // \x1e was the old newline code: a heredoc to the server, a deletion to bash
        'echo a\x1frm -f .env', // the field separator inside a command
        'echo ok\\\nrm -f .env', // a backslash before a newline
        'cat <<X\nrm -f .env\nX', // a real heredoc stays one
        'echo \\n; rm -f .env',
      ]) {
        const expected = checkSays(project, home, command);
        expect(verdictOf(await askResident(port, `${token}\x1fbash\x1f${project}\x1f${command}`)), JSON.stringify(command)).toBe(expected);
      }
      expect(checkSays(project, home, 'cat <<X\x1e;rm -f .env;\x1eX')).toBe('deny [secrets/env-file]');
    } finally {
      await serve.stop();
    }
  });

  it('answers only with its proof, and a wrong token gets no proof and a closed connection', async () => {
    const { home, project } = tempProject();
    const serve = await startServe(project, home);
    try {
      const { port, token, proof } = residentChecker(project);
      expect(proof).toMatch(/^[\w-]{20,}$/);
      expect(await rawRequest(port, `${token}\x1fbash\x1f${project}\x1fgit status\n`)).toBe(`${proof} allow`);
      const wrong = await rawRequest(port, `${'x'.repeat(token.length)}\x1fbash\x1f${project}\x1fgit status\n`);
      expect(wrong).toBe('error bad token');
      expect(wrong).not.toContain(proof);
      // An escape the guards never send is refused, with the proof (the token was right).
      expect(await rawRequest(port, `${token}\x1fbash\x1f${project}\x1fecho \\q\n`)).toBe(`${proof} error malformed request`);
    } finally {
      await serve.stop();
    }
  });

  it('under 300 connections that flood it without the token and 300 that stay silent, an authenticated client is answered and memory stays bounded', async () => {
    const { home, project } = tempProject();
    const serve = await startServe(project, home);
    const sockets: Socket[] = [];
    try {
      const { port, token } = residentChecker(project);
      const junk = Buffer.alloc(64 * 1024, 'a'); // no newline: the old server buffered up to 1 MB of it per connection
      let floodsDone = 0;
      for (let i = 0; i < 300; i++) {
        const s = connect(port, '127.0.0.1');
        sockets.push(s);
        let sent = 0;
        let finished = false;
        const finish = () => {
          if (!finished) floodsDone++;
          finished = true;
        };
        const pump = () => {
          while (sent < 1_000_000 && !s.destroyed) {
            sent += junk.length;
            if (!s.write(junk)) return void s.once('drain', pump);
          }
          finish();
        };
        s.on('connect', pump);
        s.on('error', () => undefined);
        s.on('close', finish);
      }
      const silent: Socket[] = [];
      let silentClosed = 0;
      for (let i = 0; i < 300; i++) {
        const s = connect(port, '127.0.0.1');
        s.on('error', () => undefined);
        s.on('close', () => silentClosed++);
        silent.push(s);
        sockets.push(s);
      }
      // Answered while the silent ones are connected and the floods are under way.
      expect(await askResident(port, `${token}\x1fbash\x1f${project}\x1fgit status`)).toBe('allow');
      await waitFor(() => floodsDone >= 300, 'every flooding connection to finish or be closed', 120_000);
      // The server's memory after the floods: the old one held their bytes (hundreds of MB); bounded now.
      const rss = Number(readFileSync(`/proc/${serve.child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)![1]) * 1024;
      expect(rss).toBeLessThan(200 * 1024 * 1024);
      expect(await askResident(port, `${token}\x1fbash\x1f${project}\x1fgit push -f`)).toMatch(/^deny \[git\/push-force\]/);
      // Silent connections do not pile up: the server closes them (idle time-out, and a cap on strangers).
      await waitFor(() => silentClosed >= 300, 'the server to close the silent connections', 120_000);
    } finally {
      for (const s of sockets) s.destroy();
      await serve.stop();
    }
  });

  it('a second serve for the same project refuses (exit 2) and leaves the first one answering; a dead one is replaced', async () => {
    const { home, project } = tempProject();
    const first = await startServe(project, home);
    const runFile = join(project, '.agentfirewall/run/checker');
    const before = readFileSync(runFile, 'utf8');
    try {
      const second = spawnServe(project, home);
      await waitFor(() => second.child.exitCode !== null || readFileSync(runFile, 'utf8') !== before, 'the second serve to exit');
      await second.stop();
      expect(second.child.exitCode).toBe(2);
      expect(second.stderr()).toContain(`a resident checker (pid ${first.child.pid}) already runs for ${project}`);
      expect(readFileSync(runFile, 'utf8')).toBe(before);
      const { port, token } = residentChecker(project);
      expect(await askResident(port, `${token}\x1fbash\x1f${project}\x1fgit status`)).toBe('allow');
    } finally {
      await first.stop();
    }
    // A checker killed outright leaves its lock behind; the next serve sees that its process is gone.
    const killed = await startServe(project, home);
    killed.child.kill('SIGKILL');
    await killed.exited;
    const stale = readFileSync(runFile, 'utf8');
    const next = spawnServe(project, home);
    try {
      await waitFor(() => readFileSync(runFile, 'utf8') !== stale || next.child.exitCode !== null, 'a new checker to replace the dead one');
      expect(next.child.exitCode, next.stderr()).toBeNull();
      const { port, token } = residentChecker(project);
      expect(await askResident(port, `${token}\x1fbash\x1f${project}\x1fgit status`)).toBe('allow');
    } finally {
      await next.stop();
    }
  });
  it('a watcher started while a serve runs leaves that checker in place', async () => {
    const { home, project } = tempProject();
    const serve = await startServe(project, home);
    const runFile = join(project, '.agentfirewall/run/checker');
    const before = readFileSync(runFile, 'utf8');
    const watch = spawn(process.execPath, [BIN, 'watch'], { cwd: project, env: baseEnv(home), stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    watch.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    const exited = new Promise((resolve) => watch.once('exit', resolve));
    try {
      await waitFor(() => /watching .*; resident checker/.test(err) || watch.exitCode !== null, 'the watcher to start');
      expect(err).toContain(`resident checker of pid ${serve.child.pid}`);
      expect(readFileSync(runFile, 'utf8')).toBe(before);
    } finally {
      watch.kill('SIGTERM');
      await exited;
    }
    // Its stop leaves the serve's checker and run file alone.
    expect(readFileSync(runFile, 'utf8')).toBe(before);
    const { port, token } = residentChecker(project);
    expect(await askResident(port, `${token}\x1fbash\x1f${project}\x1fgit status`)).toBe('allow');
    await serve.stop();
  });
});
