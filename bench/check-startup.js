#!/usr/bin/env node
// Start-up cost of one `agentfirewall check` process against `node -e 0`, alternating in one run, on the
// three paths a user meets: an allowed line at the default level (nothing logged), a denied line (logged),
// and an allowed line at `level: info` (everything logged). Prints the medians and their ratios
// (target: at most 1.25x each). Run after `npm run build`.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, cleanEnv, initProject, median, tempDir, timeRun } from './lib.js';

const runs = Number(process.env.RUNS ?? 40);
const env = cleanEnv();

/** A project whose config logs at `level`, with its policy cache filled as after the first check. */
function project(level) {
  const dir = tempDir();
  initProject(dir, env);
  const config = join(dir, '.agentfirewall', 'config.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replace(/^(\s*level:\s*)\w+/m, `$1${level}`));
  spawnSync(process.execPath, [bin, 'check', 'git status'], { cwd: dir, env, stdio: 'ignore' });
  return dir;
}

const standard = project('warn');
const info = project('info');
const paths = [
  { label: "check 'git status' (allow, level warn)", cwd: standard, args: ['check', 'git status'] },
  { label: "check 'git reset --hard' (deny, logged)", cwd: standard, args: ['check', 'git reset --hard'], check: false },
  { label: "check 'git status' (allow, level info)", cwd: info, args: ['check', 'git status'] },
];

const bare = [];
const times = paths.map(() => []);
for (let i = 0; i < runs; i++) {
  bare.push(timeRun(process.execPath, ['-e', '0'], { env }));
  paths.forEach((p, j) => times[j].push(timeRun(process.execPath, [bin, ...p.args], { cwd: p.cwd, env, check: p.check ?? true })));
}
for (const dir of [standard, info]) rmSync(dir, { recursive: true, force: true });
const b = median(bare);
console.log(`check-startup: runs=${runs} node=${process.version}`);
console.log(`  ${'node -e 0'.padEnd(42)} median ${b.toFixed(1)} ms`);
paths.forEach((p, j) => {
  const m = median(times[j]);
  console.log(`  ${p.label.padEnd(42)} median ${m.toFixed(1)} ms  ratio ${(m / b).toFixed(2)}x (target <= 1.25x)`);
});
