#!/usr/bin/env node
// In-process cost of one engine decision per command line of the corpus (standard preset), after warm-up.
// Prints p50 and p99 (targets: p50 <= 20 us, p99 <= 200 us). Run after `npm run build`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePolicy, createEngine, loadPresetChain } from '../dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, '..', 'shared', 'corpus', 'commands.tsv');
const lines = readFileSync(corpus, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[2]);
const rounds = Number(process.env.ROUNDS ?? 50);

const issues = [];
const { policy } = compilePolicy({ projectDir: '/home/dev/project', presets: loadPresetChain('standard', issues), config: {}, ruleFiles: [] });
if (issues.length) throw new Error(JSON.stringify(issues));
const engine = createEngine(policy);
const decide = (command) => engine.decide({ type: 'command', command, cwd: '/home/dev/project', home: '/home/dev' });

for (let i = 0; i < 5; i++) for (const line of lines) decide(line); // warm-up: let the JIT settle
const samples = [];
for (let r = 0; r < rounds; r++) {
  for (const line of lines) {
    const start = process.hrtime.bigint();
    decide(line);
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
}
samples.sort((a, b) => a - b);
const pct = (p) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))];
console.log(`engine: ${lines.length} corpus lines x ${rounds} rounds = ${samples.length} decisions, node=${process.version}`);
console.log(`  p50 ${pct(50).toFixed(1)} us (target <= 20 us)`);
console.log(`  p99 ${pct(99).toFixed(1)} us (target <= 200 us)`);
console.log(`  max ${samples[samples.length - 1].toFixed(1)} us`);
