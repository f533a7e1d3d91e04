import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cli, ROOT, tempProject } from './helpers.js';

const WRITER = join(ROOT, 'test/fixtures/log-writer.mjs');

/** Write `count` decisions through the real audit log, rotating at `maxSize` bytes (log-writer.mjs). */
function writeDecisions(project: string, id: number, count: number, maxSize = 1024 * 1024, maxFiles = 1000): void {
  const r = spawnSync(process.execPath, [WRITER, join(project, '.agentfirewall'), String(count), String(maxSize), String(maxFiles), String(id)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`log-writer failed: ${r.stderr}`);
}

/** Lines of a decision as stored, with a chosen time. */
function storedLine(time: Date, fields: Record<string, unknown>): string {
  return `${JSON.stringify({ time: time.toISOString(), type: 'command', target: 'x', verdict: 'deny', rule: 'test/x', source: 'cli', pid: 1, detail: 'd', ...fields })}\n`;
}

const logDir = (project: string) => join(project, '.agentfirewall/logs');
const targets = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).target as string);

async function until(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
  for (const start = Date.now(); !condition(); ) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('agentfirewall log', () => {
  it('shows the last 20 decisions by default, newest last, as time, verdict, source, rule and target', () => {
    const { project, home } = tempProject();
    writeDecisions(project, 1, 30);
    const r = cli(['log'], { cwd: project, home });
    expect(r).toMatchObject({ status: 0, stderr: '' });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(20);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}(ALLOW|DENY) +writer-1 +test\/concurrency +writer 1 line 10 /);
    expect(lines.at(-1)).toMatch(/ writer 1 line 29 /);
    expect(lines.filter((l) => / DENY /.test(l))).toHaveLength(6); // every third line of the writer is a denial: 12, 15 ... 27
    expect(targets(cli(['log', '--json', '-n', '3'], { cwd: project, home }).stdout).map((t) => t.trim())).toEqual([27, 28, 29].map((i) => `writer 1 line ${i} ${'x'.repeat((i % 7) * 40)}`.trim()));
  });

  it('reads the rotated files in order, oldest first, losing nothing', () => {
    const { project, home } = tempProject();
    writeDecisions(project, 1, 400, 4096);
    expect(readdirSync(logDir(project)).filter((f) => /^firewall\.log\.\d+$/.test(f)).length).toBeGreaterThan(10);
    const r = cli(['log', '--json', '-n', '1000'], { cwd: project, home });
    expect(r.status).toBe(0);
    expect(targets(r.stdout).map((t) => Number(t.split(' ')[3]))).toEqual(Array.from({ length: 400 }, (_, i) => i));
  });

  it('--json prints the stored lines byte for byte', () => {
    const { project, home } = tempProject();
    writeDecisions(project, 2, 5);
    expect(cli(['log', '--json'], { cwd: project, home }).stdout).toBe(readFileSync(join(logDir(project), 'firewall.log'), 'utf8'));
  });

  it('filters by verdict, rule glob, source and time, and combines the filters', () => {
    const { project, home } = tempProject();
    const now = Date.now();
    mkdirSync(logDir(project), { recursive: true });
    const file = join(logDir(project), 'firewall.log');
    appendFileSync(file, storedLine(new Date(now - 3 * 3600e3), { target: 'old', rule: 'git/push-force' }));
    appendFileSync(file, storedLine(new Date(now - 30 * 60e3), { target: 'half an hour', rule: 'git/reset-hard', source: 'claude' }));
    appendFileSync(file, storedLine(new Date(now - 5 * 60e3), { target: 'recent warn', verdict: 'warn', rule: 'secrets/env-file', source: 'bash' }));
    appendFileSync(file, storedLine(new Date(now - 60e3), { target: 'recent', rule: 'fs/rm-home', source: 'watcher' }));
    const show = (...args: string[]) => {
      const r = cli(['log', '--json', ...args], { cwd: project, home });
      expect(r.status, r.stderr).toBe(0);
      return targets(r.stdout);
    };
    expect(show('--deny')).toEqual(['old', 'half an hour', 'recent']);
    expect(show('--rule', 'git/*')).toEqual(['old', 'half an hour']);
    expect(show('--rule', 'secrets/env-file', '--rule', 'fs/rm-*')).toEqual(['recent warn', 'recent']);
    expect(show('--rule', '*home')).toEqual(['recent']);
    expect(show('--source', 'claude', '--source', 'bash')).toEqual(['half an hour', 'recent warn']);
    expect(show('--since', '10m')).toEqual(['recent warn', 'recent']);
    expect(show('--since', '2h')).toEqual(['half an hour', 'recent warn', 'recent']);
    expect(show('--since', '1d', '-n', '1')).toEqual(['recent']);
    expect(show('--since', new Date(now - 45 * 60e3).toISOString())).toEqual(['half an hour', 'recent warn', 'recent']);
    expect(show('--since', '1h', '--deny', '--source', 'watcher')).toEqual(['recent']);
    const none = cli(['log', '--rule', 'db/*'], { cwd: project, home });
    expect(none).toMatchObject({ status: 0, stdout: '' });
    expect(none.stderr).toMatch(/^agentfirewall: no recorded decision matches/);
  }, 60_000);

  it('shows control characters of a logged command as escapes, and says how many lines it could not read', () => {
    const { project, home } = tempProject();
    mkdirSync(logDir(project), { recursive: true });
    const file = join(logDir(project), 'firewall.log');
    appendFileSync(file, storedLine(new Date(), { target: 'echo \u001b[2J\u001b]0;owned\u0007\nrm -rf ~' }));
    appendFileSync(file, 'not json at all\n');
    const r = cli(['log'], { cwd: project, home });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(r.stdout).toContain('echo \\x1b[2J\\x1b]0;owned\\x07\\nrm -rf ~\n');
    expect(r.stderr).toMatch(/1 line\(s\) of .*firewall\.log are not JSON and were skipped/);
  });

  it('colours the verdict on a terminal, and not with NO_COLOR or into a pipe', () => {
    const { project, home } = tempProject();
    writeDecisions(project, 1, 3);
    const command = [process.execPath, BIN, 'log'].map((w) => `'${w}'`).join(' ');
    // script(1) runs the command on a terminal; what it printed comes back on script's stdout.
    const onTerminal = (env: Record<string, string>) =>
      spawnSync('script', ['-qec', command, '/dev/null'], { cwd: project, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...env }, encoding: 'utf8', timeout: 20_000 });
    const coloured = onTerminal({});
    expect(coloured.status).toBe(0);
    expect(coloured.stdout).toMatch(/\u001b\[[0-9;]*mDENY\u001b\[[0-9;]*m/);
    expect(coloured.stdout).toMatch(/\u001b\[[0-9;]*mALLOW\u001b\[[0-9;]*m/);
    expect(onTerminal({ NO_COLOR: '1' }).stdout).not.toMatch(/\u001b\[/);
    expect(cli(['log'], { cwd: project, home }).stdout).not.toMatch(/\u001b\[/);
  }, 60_000);

  it('with no log yet says so and exits 0; a bad -n or --since is a usage error', () => {
    const { project, home } = tempProject();
    const r = cli(['log'], { cwd: project, home });
    expect(r).toMatchObject({ status: 0, stdout: '' });
    expect(r.stderr).toMatch(/no decisions recorded yet/);
    for (const args of [['-n', '0'], ['-n', 'ten'], ['--since', 'yesterday'], ['--since', '10x']]) {
      const bad = cli(['log', ...args], { cwd: project, home });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/^agentfirewall: (-n takes|--since takes)/);
    }
    expect(cli(['log'], { cwd: join(home), home }).status).toBe(2); // outside a project
  }, 60_000);

  it('--follow prints new decisions as they are recorded, across many rotations, each once and in order', async () => {
    const { project, home } = tempProject();
    writeDecisions(project, 0, 1);
    const child = spawn(process.execPath, [BIN, 'log', '--follow', '--json', '--source', 'writer-0', '--source', 'writer-1', '--source', 'writer-2'], {
      cwd: project,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until(() => out.includes('writer 0 line 0'), 'the history line');
      // Two writers at once, rotating every 8 KB: the follower must read every file it missed between polls.
      await Promise.all([1, 2].map((id) => new Promise<void>((resolve, reject) => {
        const w = spawn(process.execPath, [WRITER, join(project, '.agentfirewall'), '300', String(8 * 1024), '1000', String(id)], { stdio: 'inherit' });
        w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${id} exited ${code}`))));
      })));
      await until(() => out.split('\n').filter(Boolean).length >= 601, 'every line written');
      // Under CPU contention a writer that finds the rotation lock taken appends on, so files grow past
      // 8 KB and rotate less often; several rotations happen however loaded the machine is.
      expect(readdirSync(logDir(project)).filter((f) => /^firewall\.log\.\d+$/.test(f)).length).toBeGreaterThanOrEqual(3);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const got = targets(out);
    expect(got).toHaveLength(601);
    for (const id of [1, 2]) {
      expect(got.filter((t) => t.startsWith(`writer ${id} `)).map((t) => Number(t.split(' ')[3]))).toEqual(Array.from({ length: 300 }, (_, i) => i));
    }
  }, 120_000);
});
