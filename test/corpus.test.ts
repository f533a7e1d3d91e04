import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cli, tempDir } from './helpers.js';

// fixtures/corpus.tsv: labelled lines the standard preset must decide as labelled, through the built CLI.
// The corpus is written for HOME=/home/dev and the project /home/dev/project; the test builds that layout under
// a temporary directory (…/dev/project, with .git, src, dist, node_modules and .env) and rewrites the absolute
// /home/dev in each line to it, so the same relations hold without touching the machine's /home.
const CORPUS = join(import.meta.dirname, 'fixtures', 'corpus.tsv');

interface Row {
  expect: 'deny' | 'allow';
  category: string;
  command: string;
  note: string;
}

const rows: Row[] = readFileSync(CORPUS, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [expect, category, command, note] = line.split('\t');
    return { expect: expect as Row['expect'], category, command, note };
  });

function layout(): { home: string; project: string } {
  const home = join(tempDir('afcorpus-'), 'dev');
  const project = join(home, 'project');
  for (const dir of ['.git', 'src', 'dist', 'node_modules']) mkdirSync(join(project, dir), { recursive: true });
  writeFileSync(join(project, '.env'), 'SECRET=1\n');
  // Rows that overwrite a secrets file presume it is there: a copy onto a missing one only creates it.
  writeFileSync(join(project, '.env.local'), 'SECRET=2\n');
  const r = cli(['init'], { cwd: project, home });
  if (r.status !== 0) throw new Error(r.stderr);
  return { home, project };
}

/** Run the CLI for many lines, a few processes at a time. */
async function checkAll(lines: string[], cwd: string, home: string): Promise<{ status: number | null; stderr: string }[]> {
  const results: { status: number | null; stderr: string }[] = new Array(lines.length);
  let next = 0;
  const worker = async () => {
    while (next < lines.length) {
      const i = next++;
      results[i] = await new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, 'check', lines[i]], { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home } });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (status) => resolve({ status, stderr }));
      });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return results;
}

describe('corpus: every labelled line, through the built CLI', () => {
  it('has the rows it should', () => {
    expect(rows.length).toBeGreaterThanOrEqual(270);
    expect(new Set(rows.map((r) => r.expect))).toEqual(new Set(['deny', 'allow']));
  });

  it('decides every row as labelled (deny: exit 1; allow: exit 0)', async () => {
    const { home, project } = layout();
    const lines = rows.map((r) => r.command.replaceAll('/home/dev', home));
    const results = await checkAll(lines, project, home);
    const wrong = rows
      .map((row, i) => ({ row, result: results[i] }))
      .filter(({ row, result }) => result.status !== (row.expect === 'deny' ? 1 : 0))
      .map(({ row, result }) => `${row.expect} [${row.category}] ${row.command} -> exit ${result.status}: ${result.stderr.trim()}`);
    expect(wrong).toEqual([]);
  }, 900_000); // 270 processes: generous for a busy machine
});
