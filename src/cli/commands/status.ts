import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { firewallPaths } from '../../config/locate.js';
import { loadPolicyFromYaml } from '../../config/load.js';
import { formatIssue } from '../../config/validate.js';
import { BUILTIN_RULES } from '../../engine/builtin-rules.js';
import type { Policy } from '../../engine/types.js';
import { auditFiles } from '../../adapters/audit-reader.js';
import { SHELL_NAMES, shellHookInstalled } from '../../adapters/shell-hooks.js';
import { EXIT } from '../exit-codes.js';
import { projectOrExit } from '../project.js';
import { runningWatcher, watcherState } from './daemon.js';
import { print } from '../output.js';

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
  return `${defined + builtin} in force (${defined} from the preset, config and rule files, ${builtin} built-in)`;
}

/** `agentfirewall status`: what is in force in this project. */
export function runStatus(options: { json?: boolean; cwd?: string }): number {
  const cwd = options.cwd ?? process.cwd();
  const projectDir = projectOrExit(cwd);
  if (typeof projectDir === 'number') return projectDir;
  const paths = firewallPaths(projectDir);
  const loaded = loadPolicyFromYaml(projectDir);
  const { policy } = loaded;
  const logFile = join(paths.dir, loaded.logging.file);
  const recent = lastDecisions(logFile, 5);
  const pid = runningWatcher(projectDir);
  const wstate = pid !== null ? watcherState(projectDir) : null;
  const watcher = pid === null ? 'not running' : `running (pid ${pid})${wstate?.alertOnly ? ', ALERT-ONLY: the circuit breaker tripped' : ''}${wstate ? `, ${wstate.stops} stop(s)` : ''}`;
  const hooks = SHELL_NAMES.filter((sh) => shellHookInstalled(sh));
  if (options.json) {
    print(JSON.stringify({
      projectDir, config: paths.config, preset: loaded.preset, mode: policy.mode,
      sandbox: policy.sandbox, rules: policy.rules.map((r) => ({ id: r.id, action: policy.overrides[r.id] ?? r.action, source: r.source })),
      overrides: policy.overrides, issues: loaded.issues, log: logFile, recent,
      watcher: { running: pid !== null, pid, alertOnly: wstate?.alertOnly ?? false, stops: wstate?.stops ?? 0 }, hooks,
    }));
    return loaded.issues.length ? EXIT.error : EXIT.ok;
  }
  const lines = [
    `project     ${projectDir}`,
    `config      ${relative(cwd, paths.config) || paths.config}`,
    `preset      ${loaded.preset}`,
    `mode        ${policy.mode}`,
    `sandbox     ${policy.sandbox.root} (escape ${policy.sandbox.allowEscape ? 'allowed' : 'denied'})`,
    `rules       ${rulesInForce(policy)}`,
    `audit log   ${logFile} (${loaded.logging.enabled ? `level ${loaded.logging.level}` : 'disabled'})`,
    `watcher     ${watcher}`,
    `shell hooks ${hooks.length ? hooks.join(', ') : 'none installed'}`,
  ];
  const changed = Object.entries(policy.overrides);
  if (changed.length) lines.push(`overrides   ${changed.map(([id, a]) => `${id}=${a}`).join(', ')}`);
  if (loaded.issues.length) {
    lines.push('', `config errors (${loaded.issues.length}); check exits 2, hooks and the watcher enforce the standard preset until fixed:`);
    for (const issue of loaded.issues) lines.push(`  ${formatIssue(issue)}`);
  }
  if (recent.length) {
    lines.push('', 'recent decisions:');
    for (const r of recent) lines.push(`  ${r.time} ${String(r.verdict).toUpperCase().padEnd(5)} ${r.rule} ${r.type} ${r.target}`);
  }
  print(lines.join('\n'));
  return loaded.issues.length ? EXIT.error : EXIT.ok;
}
