#!/usr/bin/env node
// Cost of the shell guards, measured with real bash in a temporary project (run after `npm run build`):
//  - spawn path: `bash -c true` under the BASH_ENV guard (a checker process per line) against `node -e 0`;
//  - resident path: one check over /dev/tcp to `agentfirewall serve`, from bash;
//  - backstop: a 200-iteration loop with the per-command DEBUG trap against the same loop without hooks.
// Targets: spawn path <= 1.2x node -e 0; resident <= 1 ms per check; loop <= 30x the bare loop.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bin, initProject, median, tempDir, timeRun } from './lib.js';
import { setTimeout as sleep } from 'node:timers/promises';

const runs = Number(process.env.RUNS ?? 20);
const home = tempDir();
const project = join(home, 'project');
const env = { PATH: process.env.PATH, HOME: home, SHLVL: '1' };
initProject(project, env);
const guarded = { ...env };
for (const m of execFileSync(process.execPath, [bin, 'shell-env'], { cwd: project, env, encoding: 'utf8' }).matchAll(/^export (\w+)='([^']*)'$/gm)) guarded[m[1]] = m[2];
spawnSync('bash', ['-c', 'true'], { cwd: project, env: guarded }); // fill the policy and code caches

const time = (cmd, args, e) => timeRun(cmd, args, { cwd: project, env: e, check: false });

const node = [];
const bare = [];
const spawnPath = [];
for (let i = 0; i < runs; i++) {
  node.push(time(process.execPath, ['-e', '0'], env));
  bare.push(time('bash', ['-c', 'true'], env));
  spawnPath.push(time('bash', ['-c', 'true'], guarded));
}
const added = median(spawnPath) - median(bare);
console.log(`hooks: node=${process.version}, bash ${spawnSync('bash', ['-c', 'echo $BASH_VERSION'], { encoding: 'utf8' }).stdout.trim()}`);
console.log(`  spawn path: bash -c under the guard ${median(spawnPath).toFixed(1)} ms, bare ${median(bare).toFixed(1)} ms, added ${added.toFixed(1)} ms`);
console.log(`              node -e 0 ${median(node).toFixed(1)} ms -> added latency ${(added / median(node)).toFixed(2)}x node -e 0 (target <= 1.20x)`);

const server = spawn(process.execPath, [bin, 'serve'], { cwd: project, env, stdio: 'ignore' });
const runFile = join(project, '.agentfirewall/run/checker');
for (let i = 0; i < 100 && !existsSync(runFile); i++) await sleep(50);
try {
  const checks = 200;
  const script = `source ${guarded.BASH_ENV}; t0=$EPOCHREALTIME; for ((n=0; n<${checks}; n++)); do __af_resident 'git status'; done; t1=$EPOCHREALTIME; echo "$t0 $t1"`;
  // Run the loop with the guard's client loaded but no DEBUG trap: the loader is sourced by hand, so BASH_ENV is
  // left out, while the rest of what shell-env exports (the guard directory) is what the loader needs to load.
  const { BASH_ENV: _loader, ...clientEnv } = guarded;
  const run = spawnSync('bash', ['-c', script], { cwd: project, env: clientEnv, encoding: 'utf8' });
  const out = run.stdout.trim().split(' ').map(Number);
  if (out.length !== 2 || out.some(Number.isNaN)) throw new Error(`the resident loop did not run: ${run.stderr.slice(0, 400)}`);
  const perCheck = ((out[1] - out[0]) * 1000) / checks;
  console.log(`  resident path: ${perCheck.toFixed(2)} ms per check over /dev/tcp (target <= 1 ms)`);

  const loop = 'for i in $(seq 200); do :; done';
  const loopBare = [];
  const loopGuarded = [];
  for (let i = 0; i < Math.max(5, runs >> 2); i++) {
    loopBare.push(time('bash', ['-c', loop], env));
    loopGuarded.push(time('bash', ['-c', loop], guarded));
  }
  const b = median(loopBare);
  const g = median(loopGuarded);
  console.log(`  backstop: '${loop}' ${g.toFixed(1)} ms with the DEBUG trap, ${b.toFixed(1)} ms bare (process included): ${(g / b).toFixed(1)}x (target <= 30x)`);
} finally {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  rmSync(home, { recursive: true, force: true });
}
