#!/usr/bin/env node
// Cost of one agent hook call (`agentfirewall hook claude` with a Bash payload) against `node -e 0`,
// alternating in one run, NODE_OPTIONS and NODE_EXTRA_CA_CERTS unset. Target: at most 1.2x. Run after `npm run build`.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { bin, cleanEnv, initProject, median, tempDir, timeRun } from './lib.js';

const runs = Number(process.env.RUNS ?? 40);
const project = tempDir();
const env = cleanEnv();
initProject(project, env);
const input = JSON.stringify({ session_id: 's', cwd: project, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'git status' } });
spawnSync(process.execPath, [bin, 'check', 'git status'], { cwd: project, env, stdio: 'ignore' }); // fill the caches

const time = (args, stdin) => timeRun(process.execPath, args, { cwd: project, env, input: stdin });
const hook = [];
const bare = [];
for (let i = 0; i < runs; i++) {
  bare.push(time(['-e', '0'], ''));
  hook.push(time([bin, 'hook', 'claude'], input));
}
rmSync(project, { recursive: true, force: true });
console.log(`agent-hooks: runs=${runs} node=${process.version}`);
console.log(`  agentfirewall hook claude (Bash: git status)  median ${median(hook).toFixed(1)} ms`);
console.log(`  node -e 0                                     median ${median(bare).toFixed(1)} ms`);
console.log(`  ratio ${(median(hook) / median(bare)).toFixed(2)}x (target <= 1.20x)`);
