import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { formatAuditLine, openAuditLog, type AuditRecord } from '../src/adapters/audit-log.js';
import { appendLine } from '../src/adapters/rotating-file.js';
import { ROOT, tempDir } from './helpers.js';

const logging = { enabled: true, file: 'logs/firewall.log', level: 'info' as const, max_size: 1024 * 1024, max_files: 3 };
const record = { type: 'command' as const, target: 'git push -f', verdict: 'deny', rule: 'git/push-force', detail: 'why', source: 'cli' };

function lines(dir: string): string[] {
  return readdirSync(join(dir, 'logs'))
    .filter((f) => f.startsWith('firewall.log'))
    .flatMap((f) => readFileSync(join(dir, 'logs', f), 'utf8').split('\n').filter(Boolean));
}

/** The line pino wrote for a record with the options the log used before it wrote lines itself. */
function pinoLine(r: AuditRecord, time: Date): string {
  let out = '';
  const logger = pino(
    { base: undefined, messageKey: 'detail', timestamp: () => `"time":"${time.toISOString()}"`, formatters: { level: () => ({}) } },
    { write: (line: string) => { out += line; } },
  );
  const { detail, ...fields } = r;
  logger.info({ ...fields, pid: r.pid ?? process.pid }, detail);
  return out;
}

describe('audit log', () => {
  it('writes the same bytes pino wrote, field for field and in the same order', () => {
    const time = new Date('2026-11-29T21:54:04.041Z');
    const records: AuditRecord[] = [
      { type: 'command', target: 'git reset --hard', verdict: 'deny', rule: 'git/reset-hard', detail: 'discards work', source: 'cli', cwd: '/work/app' },
      { ...record, cwd: undefined },
      { type: 'file', target: 'write /p/.env "q" \\ \n\t\u0001 é ✓', verdict: 'warn', rule: 'secrets/env-file', detail: `${'long '.repeat(40)}"end"`, source: 'claude', cwd: '/p', pid: 42 },
      { pid: 7, source: 'watcher', type: 'process', target: 'kill 7', verdict: 'deny', rule: 'fs/rm-project', detail: '' },
    ];
    for (const r of records) expect(formatAuditLine(r, time)).toBe(pinoLine(r, time));
    expect(formatAuditLine(records[0], time)).toBe(
      `{"time":"2026-11-29T21:54:04.041Z","type":"command","target":"git reset --hard","verdict":"deny","rule":"git/reset-hard","source":"cli","cwd":"/work/app","pid":${process.pid},"detail":"discards work"}\n`,
    );
  });

  it('filters by level: error keeps deny, warn keeps deny and warn, info keeps all', () => {
    for (const [level, kept] of [['error', ['deny']], ['warn', ['deny', 'warn']], ['info', ['deny', 'warn', 'allow']]] as const) {
      const dir = tempDir();
      const log = openAuditLog(dir, { ...logging, level });
      for (const verdict of ['deny', 'warn', 'allow']) log.record({ ...record, verdict });
      expect(lines(dir).map((l) => JSON.parse(l).verdict)).toEqual(kept);
    }
  });

  it('writes nothing when disabled', () => {
    const dir = tempDir();
    openAuditLog(dir, { ...logging, enabled: false }).record(record);
    expect(() => readdirSync(join(dir, 'logs'))).toThrow();
  });

  it('rotates at the size limit, keeping max_files old files', () => {
    const dir = tempDir();
    const file = join(dir, 'firewall.log');
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 50; i++) appendLine(file, line, 1000, 3);
    const names = readdirSync(dir).sort();
    expect(names).toEqual(['firewall.log', 'firewall.log.1', 'firewall.log.2', 'firewall.log.3']);
    for (const name of names) expect(readFileSync(join(dir, name), 'utf8').length).toBeLessThanOrEqual(1000);
  });

  it('8 processes x 500 decisions with a small rotation size: every line whole, valid JSON, none lost', async () => {
    const dir = tempDir();
    const writers = 8;
    const perWriter = 500;
    const writer = join(ROOT, 'test/fixtures/log-writer.mjs');
    await Promise.all(
      Array.from({ length: writers }, (_, id) =>
        new Promise<void>((resolve, reject) => {
          // 64 KB files and room for all of them: rotation happens many times, under contention.
          const child = spawn(process.execPath, [writer, dir, String(perWriter), String(64 * 1024), '100', String(id)], { stdio: 'inherit' });
          child.on('error', reject);
          child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${id} exited ${code}`))));
        }),
      ),
    );
    const all = lines(dir);
    const parsed = all.map((l) => JSON.parse(l));
    expect(parsed).toHaveLength(writers * perWriter);
    for (let id = 0; id < writers; id++) {
      const mine = parsed.filter((p) => p.source === `writer-${id}`).map((p) => Number(p.target.split(' ')[3]));
      expect(new Set(mine).size).toBe(perWriter);
    }
    const files = readdirSync(join(dir, 'logs')).filter((f) => /^firewall\.log(\.\d+)?$/.test(f));
    expect(files.length).toBeGreaterThan(10);
  }, 60_000);
});
