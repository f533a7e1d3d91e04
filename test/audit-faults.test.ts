import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cli, tempDir, tempProject } from './helpers.js';

// The audit log under faults: a full file system, a FIFO or device in place of the log, a logs directory
// that leads out of .agentfirewall/. Each is reported on stderr, the decision is still enforced, and no
// process hangs on the log.

/** The real binary with a file-size limit of `kib` KiB (`ulimit -f`), SIGXFSZ ignored: writes past it are short, then EFBIG. */
function limited(project: string, home: string, kib: number, args: string[]) {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('bash', ['-c', `trap '' XFSZ; ulimit -f ${kib}; exec '${process.execPath}' '${BIN}' ${quoted}`], {
    cwd: project, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }, encoding: 'utf8', timeout: 30_000,
  });
  if (r.error) throw r.error;
  return r;
}

/** The binary with a deadline: a hang on the log is a failure, not a stuck test run. */
function bounded(project: string, home: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: project, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }, encoding: 'utf8', timeout: 15_000 });
  return { status: r.status, stderr: r.stderr ?? '', timedOut: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' };
}

const logOf = (project: string) => join(project, '.agentfirewall/logs/firewall.log');

describe('a short write (full disk, file-size limit)', () => {
  it('is reported, the deny stays a deny, and the next line starts on a line of its own', () => {
    const p = tempProject();
    const log = logOf(p.project);
    mkdirSync(join(p.project, '.agentfirewall/logs'), { recursive: true });
    // Fill the log to just under 1 KiB with whole lines, so the next line only partly fits under `ulimit -f 1`.
    const old = `${JSON.stringify({ time: '2026-01-01T00:00:00.000Z', type: 'command', target: 'x'.repeat(150), verdict: 'deny', rule: 'r/x', source: 'cli', pid: 1, detail: 'd' })}\n`;
    writeFileSync(log, old.repeat(Math.floor(1000 / old.length)));
    const before = readFileSync(log, 'utf8');

    const r = limited(p.project, p.home, 1, ['check', 'git reset --hard']);
    expect(r.stderr).toMatch(/DENY \[git\/reset-hard\]/);
    expect(r.stderr).toMatch(/cannot write the audit log .*firewall\.log: .*(short write|EFBIG)/);
    expect(r.status, r.stderr).toBe(2); // the README's table: a decision whose line cannot be written exits 2, a refusal for every guard
    const fragment = readFileSync(log, 'utf8');
    expect(fragment.startsWith(before)).toBe(true);

    const next = cli(['check', 'git push --force origin main'], { cwd: p.project, home: p.home });
    expect(next.status, next.stderr).toBe(1);
    const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    const last = JSON.parse(lines[lines.length - 1]);
    expect(last).toMatchObject({ target: 'git push --force origin main', verdict: 'deny' });
    // Every line but the torn one is whole JSON; no line carries two records.
    for (const line of lines) expect(line.split('{"time"').length - 1, line).toBeLessThanOrEqual(1);
    expect(lines.filter((l) => { try { JSON.parse(l); return false; } catch { return true; } }).length).toBeLessThanOrEqual(1);
  }, 60_000);
});

describe('a log that is not a regular file', () => {
  it('a FIFO in place of the log is refused at once: check neither hangs nor lets the deny pass', () => {
    const p = tempProject();
    mkdirSync(join(p.project, '.agentfirewall/logs'), { recursive: true });
    expect(spawnSync('mkfifo', [logOf(p.project)]).status).toBe(0);
    const denied = bounded(p.project, p.home, ['check', 'git reset --hard']);
    expect(denied.timedOut, 'check hung on the FIFO').toBe(false);
    expect(denied.stderr).toMatch(/DENY \[git\/reset-hard\]/);
    expect(denied.stderr).toMatch(/cannot write the audit log .*firewall\.log: .*not a regular file/);
    expect(denied.status).toBe(2);
    // A reader on the FIFO changes nothing: it is still no place for the log.
    const file = bounded(p.project, p.home, ['check-file', '-o', 'delete', '.git/config']);
    expect(file.timedOut).toBe(false);
    expect(file.stderr).toMatch(/not a regular file/);
    expect(file.status).toBe(2);
  }, 60_000);

  it('a guarded `bash -c` with a FIFO for the log refuses the deletion at once and runs the harmless command', () => {
    const p = tempProject();
    mkdirSync(join(p.project, '.git/objects'), { recursive: true });
    writeFileSync(join(p.project, '.git/HEAD'), 'ref: refs/heads/main\n');
    mkdirSync(join(p.project, '.agentfirewall/logs'), { recursive: true });
    expect(spawnSync('mkfifo', [logOf(p.project)]).status).toBe(0);
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: p.home, SHLVL: '1' };
    for (const m of cli(['shell-env'], { cwd: p.project, home: p.home }).stdout.matchAll(/^export (\w+)='([^']*)'$/gm)) env[m[1]] = m[2];
    expect(env.BASH_ENV).toBeDefined();
    const run = (line: string) => spawnSync('bash', ['-c', line], { cwd: p.project, env, encoding: 'utf8', timeout: 20_000 });
    const refused = run('rm -rf .git; echo ran');
    expect((refused.error as NodeJS.ErrnoException | undefined)?.code, 'the guard hung on the FIFO').toBeUndefined();
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).not.toMatch(/ran/);
    expect(refused.stderr).toMatch(/not a regular file/);
    expect(existsSync(join(p.project, '.git/HEAD'))).toBe(true);
    const harmless = run('echo fine');
    expect(harmless.stdout).toBe('fine\n');
  }, 60_000);

  it('a symlink from the log to /dev/full is refused, not followed', () => {
    const p = tempProject();
    mkdirSync(join(p.project, '.agentfirewall/logs'), { recursive: true });
    symlinkSync('/dev/full', logOf(p.project));
    const denied = bounded(p.project, p.home, ['check', 'git reset --hard']);
    expect(denied.timedOut).toBe(false);
    expect(denied.stderr).toMatch(/DENY \[git\/reset-hard\]/);
    expect(denied.stderr).toMatch(/cannot write the audit log .*firewall\.log: .*symlink/);
    expect(denied.status).toBe(2);
  }, 60_000);
});

describe('a logs directory that leads out of .agentfirewall/', () => {
  it('is refused and nothing is written where it points', () => {
    const p = tempProject();
    const decoy = tempDir('agentfirewall-decoy-');
    writeFileSync(join(decoy, 'keep.txt'), 'keep');
    rmSync(join(p.project, '.agentfirewall/logs'), { recursive: true, force: true });
    symlinkSync(decoy, join(p.project, '.agentfirewall/logs'));
    const denied = bounded(p.project, p.home, ['check', 'git reset --hard']);
    expect(denied.stderr).toMatch(/DENY \[git\/reset-hard\]/);
    expect(denied.stderr).toMatch(/cannot write the audit log .*firewall\.log: .*outside \.agentfirewall/);
    expect(denied.status).toBe(2);
    expect(readdirSync(decoy)).toEqual(['keep.txt']);
    expect(existsSync(join(decoy, 'firewall.log'))).toBe(false);
  }, 60_000);

  it('a logs directory symlinked to a place inside .agentfirewall/ is still used', () => {
    const p = tempProject();
    const dir = join(p.project, '.agentfirewall');
    rmSync(join(dir, 'logs'), { recursive: true, force: true });
    mkdirSync(join(dir, 'audit'));
    symlinkSync('audit', join(dir, 'logs'));
    const denied = bounded(p.project, p.home, ['check', 'git reset --hard']);
    expect(denied.status, denied.stderr).toBe(1);
    expect(readFileSync(join(dir, 'audit/firewall.log'), 'utf8')).toMatch(/git reset --hard/);
  }, 60_000);
});
