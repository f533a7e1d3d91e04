#!/usr/bin/env node
// The watcher under load (run after `npm run build`; takes a minute or two):
//  - median time from a protected deletion to the agent (a child posing as `claude`) stopped (target <= 200 ms);
//  - start-up time and memory of the daemon on a generated 100,000-file tree;
//  - whether any protected deletion is missed while 50,000 files are written to an unprotected directory.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { bin, initProject, median, root, tempDir } from './lib.js';

const agent = join(root, 'test', 'fixtures', 'fake-agent.mjs');
const home = tempDir();
const project = join(home, 'project');
const env = { PATH: process.env.PATH, HOME: home };
const until = async (check, ms) => {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(5)) if (check()) return true;
  return check();
};

initProject(project, env);
const config = join(project, '.agentfirewall/config.yaml');
writeFileSync(config, readFileSync(config, 'utf8').replace(/^  max_stops: \d+$/m, '  max_stops: 100000').replace(/^  level: warn$/m, '  level: warn'));

// A 100,000-file tree: 500 directories of 200 files, in the sandbox (watched file by file).
const files = Number(process.env.FILES ?? 100_000);
for (let d = 0; d < files / 200; d++) {
  const dir = join(project, 'src', `pkg${d}`);
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f < 200; f++) writeFileSync(join(dir, `f${f}.ts`), '');
}
writeFileSync(join(project, '.env'), 'SECRET=1\n');

const started = Date.now();
execFileSync(process.execPath, [bin, 'protect', '--shell', 'bash'], { cwd: project, env, stdio: 'ignore' });
const startup = Date.now() - started;
const pid = Number(readFileSync(join(home, '.local/state/agentfirewall', createHash('sha256').update(project).digest('hex').slice(0, 24), 'watcher.pid'), 'utf8'));
const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

try {
  console.log(`watcher: ${files} files, node=${process.version}`);
  console.log(`  start-up (protect until events flow) ${startup} ms, daemon memory ${rss.toFixed(0)} MB RSS`);

  const latencies = [];
  for (let i = 0; i < 10; i++) {
    const child = spawn(process.execPath, [agent, 'claude'], { cwd: project, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await sleep(200);
    const t0 = process.hrtime.bigint();
    unlinkSync(join(project, '.env'));
    const stopped = await Promise.race([exited.then(() => true), sleep(3000).then(() => false)]);
    latencies.push(stopped ? Number(process.hrtime.bigint() - t0) / 1e6 : Infinity);
    if (!stopped) child.kill('SIGKILL');
    await until(() => existsSync(join(project, '.env')), 3000);
  }
  console.log(`  deletion to agent stopped: median ${median(latencies).toFixed(0)} ms over ${latencies.length} (target <= 200 ms)`);

  // 50,000 files written to an unprotected directory while 20 protected files are deleted among them.
  const noise = join(project, 'scratch');
  mkdirSync(noise);
  for (let i = 0; i < 20; i++) writeFileSync(join(project, `.env.bench${i}`), `K=${i}\n`);
  await sleep(1500); // let the watcher see (and copy) them
  for (let i = 0; i < 50_000; i++) {
    writeFileSync(join(noise, `n${i}.txt`), 'x');
    if (i % 2500 === 0) unlinkSync(join(project, `.env.bench${i / 2500}`));
  }
  const seen = () => {
    const log = readFileSync(join(project, '.agentfirewall/logs/firewall.log'), 'utf8');
    return Array.from({ length: 20 }, (_, i) => log.includes(`.env.bench${i}"`)).filter(Boolean).length;
  };
  await until(() => seen() === 20, 30_000);
  console.log(`  protected deletions seen during 50,000 unprotected writes: ${seen()}/20 (missed ${20 - seen()})`);
} finally {
  execFileSync(process.execPath, [bin, 'unprotect'], { cwd: project, env, stdio: 'ignore' });
  rmSync(home, { recursive: true, force: true });
}
