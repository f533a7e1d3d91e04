#!/usr/bin/env node
// In-process cost of one engine decision per command line of the corpus (standard preset), after warm-up.
// Prints p50 and p99 (targets: p50 <= 20 us, p99 <= 200 us). Run after `npm run build`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePolicy, createEngine, loadPresetChain } from '../dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, 'test', 'fixtures', 'corpus.tsv');
const lines = readFileSync(corpus, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[2]);
const rounds = Number(process.env.ROUNDS ?? 50);

const issues = [];
const { policy } = compilePolicy({ projectDir: '/home/dev/project', presets: loadPresetChain('standard', issues), config: {}, ruleFiles: [] });
if (issues.length) throw new Error(JSON.stringify(issues));
const engine = createEngine(policy);
const decide = (command) => engine.decide({ type: 'command', command, cwd: '/home/dev/project', home: '/home/dev' });

for (let i = 0; i < 5; i++) for (const line of lines) decide(line); // warm-up: let the JIT settle

const time = (line) => {
  const start = process.hrtime.bigint();
  decide(line);
  return Number(process.hrtime.bigint() - start) / 1000;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

// Every decision, interleaved over the corpus (GC pauses and all).
const all = [];
for (let r = 0; r < rounds; r++) for (const line of lines) all.push(time(line));
all.sort((a, b) => a - b);

// The cost of each line: the median of its own runs, so one GC pause does not become a line's cost.
const perLine = lines.map((line) => median(Array.from({ length: 31 }, () => time(line)))).sort((a, b) => a - b);

console.log(`engine: ${lines.length} corpus lines, standard preset, node=${process.version}`);
console.log(`  per line (median of 31 runs each): p50 ${pct(perLine, 50).toFixed(1)} us, p99 ${pct(perLine, 99).toFixed(1)} us (targets: p50 <= 20 us, p99 <= 200 us)`);
console.log(`  every decision (${all.length}, GC included):  p50 ${pct(all, 50).toFixed(1)} us, p99 ${pct(all, 99).toFixed(1)} us, max ${all[all.length - 1].toFixed(1)} us`);
