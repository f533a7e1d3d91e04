#!/usr/bin/env node
// How fast the pathological lines (test/fixtures/pathological.mjs: doubling variables and arrays, brace blow-ups,
// 10,000-deep nesting, huge lines) are refused as parse/too-complex. Each is decided once in a fresh process,
// as `check` decides it (cold: nothing compiled yet; median of 3 processes), and after warm-up in this one
// (median of 11). Prints the slowest of each (target: under 100 ms). Run after `npm run build`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compilePolicy, createEngine, loadPresetChain } from '../dist/index.js';
import { median, root } from './lib.js';

const fixture = pathToFileURL(join(root, 'test', 'fixtures', 'pathological.mjs')).href;
const dist = pathToFileURL(join(root, 'dist', 'index.js')).href;
const { PATHOLOGICAL } = await import(fixture);

// One decision in a fresh process; prints `ms verdict rule`.
const child = `
const { PATHOLOGICAL } = await import(${JSON.stringify(fixture)});
const { compilePolicy, createEngine, loadPresetChain } = await import(${JSON.stringify(dist)});
const { policy } = compilePolicy({ projectDir: '/home/dev/project', presets: loadPresetChain('standard', []), config: {}, ruleFiles: [] });
const engine = createEngine(policy);
const line = PATHOLOGICAL[Number(process.argv[1])][1];
const start = process.hrtime.bigint();
const d = engine.decide({ type: 'command', command: line, cwd: '/home/dev/project', home: '/home/dev' });
console.log(Number(process.hrtime.bigint() - start) / 1e6, d.verdict, d.rule);
`;

const { policy } = compilePolicy({ projectDir: '/home/dev/project', presets: loadPresetChain('standard', []), config: {}, ruleFiles: [] });
const engine = createEngine(policy);
const decide = (command) => engine.decide({ type: 'command', command, cwd: '/home/dev/project', home: '/home/dev' });

console.log(`bounds: ${PATHOLOGICAL.length} pathological lines, standard preset, node=${process.version}`);
let slowCold = { ms: 0 };
let slowWarm = { ms: 0 };
PATHOLOGICAL.forEach(([name, line], i) => {
  const runs = [];
  let verdict = '';
  for (let k = 0; k < 3; k++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', child, String(i)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
    const [ms, v, rule] = r.stdout.trim().split(' ');
    runs.push(Number(ms));
    verdict = `${v} ${rule}`;
  }
  const cold = median(runs);
  decide(line);
  decide(line);
  const warm = median(Array.from({ length: 11 }, () => {
    const start = process.hrtime.bigint();
    decide(line);
    return Number(process.hrtime.bigint() - start) / 1e6;
  }));
  console.log(`  ${name.padEnd(36)} ${verdict.padEnd(24)} cold ${cold.toFixed(1).padStart(6)} ms, warm ${warm.toFixed(1).padStart(6)} ms`);
  if (cold > slowCold.ms) slowCold = { ms: cold, name };
  if (warm > slowWarm.ms) slowWarm = { ms: warm, name };
});
console.log(`  slowest: cold ${slowCold.ms.toFixed(1)} ms (${slowCold.name}), warm ${slowWarm.ms.toFixed(1)} ms (${slowWarm.name}) (target: under 100 ms)`);
