#!/usr/bin/env node
// How the built engine scores on the family tables (test/fixtures/families/*.tsv): per family, the share of deny rows
// it denies (caught) and of allow rows it denies (blocked). Run after `npm run build`; pass files to score only those.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePolicy, createEngine, loadPresetChain } from '../dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'test', 'fixtures', 'families');
const files = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(dir).filter((f) => f.endsWith('.tsv')).sort().map((f) => join(dir, f));

const issues = [];
const { policy } = compilePolicy({ projectDir: '/home/dev/project', presets: loadPresetChain('standard', issues), config: {}, ruleFiles: [] });
if (issues.length) throw new Error(JSON.stringify(issues));
const engine = createEngine(policy);
const decide = (command) => engine.decide({ type: 'command', command, cwd: '/home/dev/project', home: '/home/dev' });

const verbose = process.env.VERBOSE === '1';
let caught = 0, denyRows = 0, blocked = 0, allowRows = 0;
console.log('family                       caught        blocked');
for (const file of files) {
  const rows = readFileSync(file, 'utf8').split('\n').slice(1).filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split('\t'));
  let c = 0, d = 0, b = 0, a = 0;
  for (const [expected, rule, cmd] of rows) {
    const decision = decide(cmd);
    if (expected === 'deny' || expected === 'warn') {
      d++;
      const ok = decision.verdict === expected && decision.matches.some((m) => m.rule === rule);
      if (ok) c++;
      else if (verbose) console.log(`  missed  ${cmd}  (want ${rule}, got ${decision.verdict} ${decision.rule})`);
    } else {
      a++;
      if (decision.verdict === 'deny') {
        b++;
        if (verbose) console.log(`  blocked ${cmd}  (${decision.rule})`);
      }
    }
  }
  caught += c; denyRows += d; blocked += b; allowRows += a;
  const pct = (x, n) => (n ? `${((100 * x) / n).toFixed(0)}%` : '-').padStart(4);
  console.log(`${basename(file, '.tsv').padEnd(28)} ${pct(c, d)} ${`${c}/${d}`.padEnd(8)} ${pct(b, a)} ${b}/${a}`);
}
const pct = (x, n) => (n ? `${((100 * x) / n).toFixed(1)}%` : '-');
console.log(`all: caught ${pct(caught, denyRows)} of ${denyRows} destructive lines, blocked ${pct(blocked, allowRows)} of ${allowRows} ordinary ones`);
