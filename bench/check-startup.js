#!/usr/bin/env node
// Start-up cost of one `agentfirewall check` process against `node -e 0`, alternating in one run.
// Prints the medians and their ratio (target: at most 1.2x). Run after `npm run build`.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { bin, cleanEnv, initProject, median, tempDir, timeRun } from './lib.js';

const runs = Number(process.env.RUNS ?? 40);
const project = tempDir();
const env = cleanEnv();

initProject(project, env);
// One run to fill the policy cache, as the first check after a config change does.
spawnSync(process.execPath, [bin, 'check', 'git status'], { cwd: project, env, stdio: 'ignore' });

const time = (args) => timeRun(process.execPath, args, { cwd: project, env });

const check = [];
const bare = [];
for (let i = 0; i < runs; i++) {
  bare.push(time(['-e', '0']));
  check.push(time([bin, 'check', 'git status']));
}
rmSync(project, { recursive: true, force: true });
const c = median(check);
const b = median(bare);
console.log(`check-startup: runs=${runs} node=${process.version}`);
console.log(`  agentfirewall check 'git status'  median ${c.toFixed(1)} ms`);
console.log(`  node -e 0                         median ${b.toFixed(1)} ms`);
console.log(`  ratio ${(c / b).toFixed(2)}x (target <= 1.20x)`);
