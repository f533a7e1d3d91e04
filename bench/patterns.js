#!/usr/bin/env node
// Pathological user patterns and large policies. Part 1: command patterns, path globs and shell-syntax
// patterns with many `*` against long words, paths and lines, decided through the engine (target: well
// under 100 ms each; a backtracking regular expression took 50 s and more on these). Part 2: where the time
// of a large policy goes (YAML parse, validation, compile, first and later decisions) at the documented
// bound of 10,000 rule entries and at 100,000 (past it: refused as a config error, timed in-process only),
// and one `check` process against a project at the bound with its cache filled. Run after `npm run build`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, cleanEnv, initProject, median, root, tempDir, timeRun } from './lib.js';

const dist = (p) => import(join(root, 'dist', p));
const { parseYaml, loadPresetChain, MAX_USER_RULES } = await dist('config/load.js');
const { validateRulesFile } = await dist('config/validate.js');
const { compilePolicy } = await dist('config/compile.js');
const { createEngine } = await dist('config/glob.js');

const ms = (f) => {
  const start = process.hrtime.bigint();
  const value = f();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
};
const fmt = (x) => `${x.toFixed(x < 10 ? 2 : 0).padStart(8)} ms`;
const presets = loadPresetChain('standard', []);
const policyWith = (config, ruleFiles = []) => compilePolicy({ projectDir: '/p', presets, config, ruleFiles }).policy;

console.log(`patterns: node=${process.version}`);
const stars = `${'*a'.repeat(20)}*b`;
const shapes = [
  { label: 'command pattern *a x20 *b, 40-char word', config: { commands: { blocklist: [stars] } }, event: { type: 'command', command: 'a'.repeat(40) } },
  { label: 'command pattern *a x20 *b, 4000-char word', config: { commands: { blocklist: [stars] } }, event: { type: 'command', command: 'a'.repeat(4000) } },
  { label: 'operand rm *x x25 *y, 200 words of 80', config: { commands: { blocklist: [`rm ${'*x'.repeat(25)}*y`] } }, event: { type: 'command', command: `rm ${Array(200).fill('x'.repeat(80)).join(' ')}` } },
  { label: 'shell-syntax pattern :(){ *: x30 * };:, 5000 chars', config: { commands: { blocklist: [`:(){ ${'*:'.repeat(30)}* };:`] } }, event: { type: 'command', command: `echo ${':'.repeat(5000)}` } },
  { label: 'protected path **/*a x12 *b, 60-char name', config: { filesystem: { protected_paths: [`**/${'*a'.repeat(12)}*b`] } }, event: { type: 'file', operation: 'write', path: `/p/x/${'a'.repeat(60)}` } },
  { label: 'protected path **/ x20 x, 200 directories deep', config: { filesystem: { protected_paths: [`${'**/'.repeat(20)}x`] } }, event: { type: 'file', operation: 'write', path: `/p/${'d/'.repeat(200)}y` } },
];
let slowest = 0;
for (const s of shapes) {
  const engine = createEngine(policyWith(s.config));
  const event = s.event.type === 'command' ? { ...s.event, cwd: '/p', home: '/h', env: {} } : { ...s.event, home: '/h' };
  const runs = Array.from({ length: 5 }, () => ms(() => engine.decide(event)));
  const t = Math.max(...runs.map((r) => r.ms));
  slowest = Math.max(slowest, t);
  console.log(`  ${s.label.padEnd(52)} ${runs[0].value.verdict.padEnd(5)} slowest of 5 ${fmt(t)}`);
}
console.log(`  slowest pathological pattern: ${fmt(slowest)} (target < 100 ms)`);

const ruleText = (n) => {
  const parts = ['rules:\n'];
  for (let i = 0; i < n; i++) parts.push(`  - id: team/r-${i}\n    command: ["tool-${i} deploy --force"]\n`);
  return parts.join('');
};
for (const n of [MAX_USER_RULES, 100_000]) {
  const text = ruleText(n);
  const parsed = ms(() => parseYaml(text, 'rules.yaml'));
  const validated = ms(() => validateRulesFile(parsed.value.doc));
  const compiled = ms(() => policyWith({}, [validated.value.rules]));
  const engine = createEngine(compiled.value);
  const event = { type: 'command', command: `tool-${n - 1} deploy --force`, cwd: '/p', home: '/h', env: {} };
  const first = ms(() => engine.decide(event));
  const later = median(Array.from({ length: 5 }, () => ms(() => engine.decide({ ...event, command: 'git status' })).ms));
  console.log(`  ${String(n).padStart(6)} rules (${(text.length / 1048576).toFixed(1)} MiB): parse ${fmt(parsed.ms)}  validate ${fmt(validated.ms)}  compile ${fmt(compiled.ms)}  first decision ${fmt(first.ms)} (${first.value.verdict})  later ${fmt(later)}`);
}

// One `check` process at the bound, cache filled, against `node -e 0` (keep the rules file under 1 MiB: short entries).
const project = tempDir();
const env = cleanEnv();
initProject(project, env);
mkdirSync(join(project, '.agentfirewall', 'rules'), { recursive: true });
const short = ['rules:', ...Array.from({ length: MAX_USER_RULES }, (_, i) => `  - {id: team/s-${i}, command: "t${i} go"}`)].join('\n');
writeFileSync(join(project, '.agentfirewall', 'rules', 'many.yaml'), `${short}\n`);
const fill = ms(() => spawnSync(process.execPath, [bin, 'check', 'git status'], { cwd: project, env, stdio: 'ignore' }));
const bare = [];
const checks = [];
for (let i = 0; i < 10; i++) {
  bare.push(timeRun(process.execPath, ['-e', '0'], { env }));
  checks.push(timeRun(process.execPath, [bin, 'check', 'git status'], { cwd: project, env }));
}
rmSync(project, { recursive: true, force: true });
console.log(`  check with ${MAX_USER_RULES} rules: first (parse + cache) ${fmt(fill.ms)}, cached median ${fmt(median(checks))} vs node -e 0 ${fmt(median(bare))}`);
