import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findProjectDir, firewallPaths } from '../../config/locate.js';
import { loadPolicyFromYaml } from '../../config/load.js';
import { formatIssue } from '../../config/validate.js';
import { BUILTIN_RULES } from '../../engine/builtin-rules.js';
import type { Policy } from '../../engine/types.js';
import { auditFiles } from '../../adapters/audit-reader.js';
import { SHELL_NAMES, shellEnvStatus, shellHookInstalled } from '../../adapters/shell-hooks.js';
import { installedAgentHooks, readinessLine } from '../../adapters/hook-readiness.js';
import { recordedProjectAbove } from '../../adapters/state-dir.js';
import { lastGoodPolicy } from '../../config/policy-cache.js';
import { EXIT } from '../exit-codes.js';
import { projectOrExit } from '../project.js';
import { runningWatcher, watcherState } from './daemon.js';
import { print, say } from '../output.js';

/** The last `count` decisions of the audit log, parsed, reaching into rotated files when the current one has fewer. */
function lastDecisions(file: string, count: number): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  for (const path of auditFiles(file).reverse()) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    const parsed = text.split('\n').filter(Boolean).flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return []; // unreadable lines are skipped
      }
    });
    found.unshift(...parsed.slice(-(count - found.length)));
    if (found.length >= count) break;
  }
  return found;
}

/** How many rules decide: those of the preset, config and rule files, and the engine's built-in ones, less any switched off. */
function rulesInForce(policy: Policy): string {
  const on = (id: string, action: string) => (policy.overrides[id] ?? action) !== 'off';
  const defined = policy.rules.filter((r) => on(r.id, r.action)).length;
  const builtin = BUILTIN_RULES.filter((r) => on(r.id, r.action)).length;
  const packs = new Map<string, number>();
  for (const r of [...policy.rules, ...BUILTIN_RULES]) {
    if (!on(r.id, r.action)) continue;
    const family = r.id.split('/')[0];
    packs.set(family, (packs.get(family) ?? 0) + 1);
  }
  const byPack = [...packs].map(([family, n]) => `${family} ${n}`).join(', ');
  return `${defined + builtin} in force (${defined} from the preset, config and rule files, ${builtin} built-in)\n            by pack: ${byPack}`;
}

/** `agentfirewall status`: what is in force in this project. */
export function runStatus(options: { json?: boolean; cwd?: string }): number {
  const cwd = options.cwd ?? process.cwd();
  if (!findProjectDir(cwd)) {
    // .agentfirewall/ is gone (a checkout of a branch without it), but its watcher may still run.
    const recorded = recordedProjectAbove(cwd);
    const orphan = recorded !== null ? runningWatcher(recorded) : null;
    if (recorded !== null && orphan !== null) {
      say(`no .agentfirewall/ in ${recorded} any more, but its watcher still runs (pid ${orphan}) on the last good policy; restore the config (git checkout) or stop it with 'agentfirewall unprotect'`);
      if (options.json) print(JSON.stringify({ projectDir: recorded, config: null, watcher: { running: true, pid: orphan } }));
      return EXIT.error;
    }
  }
  const projectDir = projectOrExit(cwd);
  if (typeof projectDir === 'number') return projectDir;
  const paths = firewallPaths(projectDir);
  const loaded = loadPolicyFromYaml(projectDir);
  const { policy } = loaded;
  const logFile = join(paths.dir, loaded.logging.file);
  const recent = lastDecisions(logFile, 5);
  const pid = runningWatcher(projectDir);
  const wstate = pid !== null ? watcherState(projectDir) : null;
  const alertOnly = pid !== null && wstate?.alertOnly === true;
  const watcher = pid === null ? 'not running' : `running (pid ${pid})${alertOnly ? ', ALERT-ONLY: the circuit breaker tripped' : ''}${wstate ? `, ${wstate.stops} stop(s)` : ''}`;
  // A disarmed watcher is the first thing to see, and makes status fail like a broken config does.
  const kept = lastGoodPolicy(projectDir);
  const alarm = alertOnly
    ? `ALERT-ONLY: the watcher's circuit breaker tripped at ${wstate?.alertOnlySince ?? '?'}; it stops nothing until it re-arms at ${wstate?.rearmAt ?? '?'} if all stays quiet (watcher.rearm_seconds)`
    : undefined;
  const shellEnv = shellEnvStatus(projectDir);
  const degraded = loaded.issues.length > 0 || alertOnly || shellEnv.state === 'broken';
  const hooks = SHELL_NAMES.filter((sh) => shellHookInstalled(sh));
  const agentHooks = installedAgentHooks(projectDir);
  if (options.json) {
    print(JSON.stringify({
      projectDir, config: paths.config, preset: loaded.preset, mode: policy.mode,
      sandbox: policy.sandbox, rules: policy.rules.map((r) => ({ id: r.id, action: policy.overrides[r.id] ?? r.action, source: r.source })),
      overrides: policy.overrides, issues: loaded.issues, log: logFile, recent,
      watcher: { running: pid !== null, pid, alertOnly, alertOnlySince: alertOnly ? wstate?.alertOnlySince : undefined, rearmAt: alertOnly ? wstate?.rearmAt : undefined, stops: wstate?.stops ?? 0, configIssues: wstate?.configIssues ?? [] }, hooks, shellEnv,
      agentHooks: agentHooks.map(({ agent, scope, file, loads, problems, arm }) => ({ agent, scope, file, loads, problems, arm })),
    }));
    return degraded ? EXIT.error : EXIT.ok;
  }
  const lines = [
    ...(alarm ? [alarm] : []),
    ...(shellEnv.state === 'broken' ? [`SHELL GUARD ${shellEnv.detail}`] : []),
    ...(kept?.lastGood ? [`CONFIG MISSING: ${kept.lastGood} by check, the hooks and the resident checker (rules as last loaded: ${kept.policy.rules.filter((r) => r.action !== 'off').length})`] : []),
    `project     ${projectDir}`,
    `config      ${relative(cwd, paths.config) || paths.config}`,
    `preset      ${loaded.preset}`,
    `mode        ${policy.mode}`,
    `sandbox     ${policy.sandbox.root} (escape ${policy.sandbox.allowEscape ? 'allowed' : 'denied'})`,
    `rules       ${rulesInForce(policy)}`,
    `audit log   ${logFile} (${loaded.logging.enabled ? `level ${loaded.logging.level}` : 'disabled'})`,
    `watcher     ${watcher}`,
    `shell hooks ${hooks.length ? hooks.join(', ') : 'none installed'}`,
    `shell-env   ${shellEnv.detail}`,
    ...(agentHooks.length ? agentHooks.map((r, i) => `${i ? '           ' : 'agent hooks'} ${readinessLine(r)}`) : ['agent hooks none installed']),
  ];
  const changed = Object.entries(policy.overrides);
  if (changed.length) lines.push(`overrides   ${changed.map(([id, a]) => `${id}=${a}`).join(', ')}`);
  if (loaded.issues.length) {
    const by = pid !== null && wstate?.configIssues.length ? 'the guards enforce the standard preset (the watcher its last good policy)' : 'the guards and the watcher enforce the standard preset';
    lines.push('', `config errors (${loaded.issues.length}); check exits 2, ${by} until fixed:`);
    for (const issue of loaded.issues) lines.push(`  ${formatIssue(issue)}`);
  }
  if (recent.length) {
    lines.push('', 'recent decisions:');
    for (const r of recent) lines.push(`  ${r.time} ${String(r.verdict).toUpperCase().padEnd(5)} ${r.rule} ${r.type} ${r.target}`);
  }
  if (pid !== null && wstate?.configIssues.length) {
    lines.push('', 'the watcher keeps its last good policy; its last reload was refused:');
    for (const issue of wstate.configIssues) lines.push(`  ${issue}`);
  }
  print(lines.join('\n'));
  return degraded ? EXIT.error : EXIT.ok;
}
