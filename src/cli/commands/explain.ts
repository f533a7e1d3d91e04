import { missingPaths } from '../../adapters/path-facts.js';
import { createEngine } from '../../config/glob.js';
import { howToAllow } from '../../config/next-step.js';
import type { CommandAnalysis } from '../../engine/engine.js';
import type { Effect } from '../../engine/effects.js';
import type { Field } from '../../shell/expand.js';
import type { RunnerHop } from '../../shell/runner-model.js';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import { print, styleFor, verdictLabel } from '../output.js';
import { commandEvent, policyFor, type CheckOptions } from '../check-commands.js';

const word = (f: Field) => (f.dynamic ? `<unknown${f.producers?.length ? ` from ${f.producers.join(', ')}` : ''}>` : f.text);

function describeEffect(e: Effect): string {
  switch (e.kind) {
    case 'delete':
      return `delete ${e.target.path}${e.recursive ? ' (recursive)' : ''}${e.target.glob ? ' (glob)' : ''}`;
    case 'move':
      return `move ${e.target.path}${e.to ? ` to ${e.to.path}` : ''}`;
    case 'write':
      return `write ${e.target.path}${e.copyOf ? ` (a copy of ${e.copyOf.path})` : ''}${e.fresh ? ' (new file)' : ''}`;
    case 'create':
      return `create ${e.target.path}`;
    case 'chmod':
      return `chmod ${e.mode} ${e.target.path}${e.recursive ? ' (recursive)' : ''}`;
    case 'signal':
      return `send SIG${e.signal}${e.ownJobs ? " to the line's own jobs" : ''}`;
    case 'git':
      return `git ${e.op}`;
    case 'disk':
      return `destroy disk ${e.device}`;
    case 'tamper':
      return `tamper: ${e.how}`;
    case 'unknown-part':
      return `${describeEffect(e.of)} (with every part known only at run time empty)`;
  }
}

/** Which runner model unwrapped a command, and where it put it: here, a container with its mounts, a remote host. */
export function describeHop(h: RunnerHop): string {
  const as = h.user ? `, as ${h.user}` : '';
  if (h.guessed) return `${h.runner} (guessed: its argument read as the command line it may run)`;
  if (h.where === 'remote') return `${h.runner} (remote: ${h.host ?? 'another machine'}${as})`;
  if (h.where === 'container') {
    const mounts = (h.mounts ?? []).map((m) => `${m.inside} = ${m.host === null ? 'not a host path' : `host ${m.host}`}${m.readOnly ? ' (read-only)' : ''}`);
    const parts = [h.host ? `image ${h.host}` : '', mounts.length ? `mounts ${mounts.join(', ')}` : 'no host path mounted', `workdir ${h.workdir ?? 'unknown'}`].filter(Boolean);
    return `${h.runner} (container: ${parts.join('; ')}${as})`;
  }
  return `${h.runner} (here${as})`;
}

/** The analysis as plain data, for `--json`. */
export function analysisJson(line: string, a: CommandAnalysis) {
  return {
    command: line,
    parse: a.parseError ? { ok: false, error: a.parseError } : { ok: true },
    commands: (a.facts ?? []).map(({ command: c, effects }) => ({
      argv: c.argv.map(word),
      layers: c.layers.map((l) => l.map(word)),
      cwd: c.cwd.startsWith('/\u0000') ? '(unknown: cd to a directory known only at run time)' : c.cwd,
      wrappers: c.wrappers,
      via: c.via,
      remote: c.remote,
      runners: (c.hops ?? []).map((h) => ({ ...h, text: describeHop(h) })),
      assignments: c.assignments.map(word),
      redirects: c.redirects.map((r) => `${r.fd ?? ''}${r.op} ${word(r.target)}`),
      effects: effects.map(describeEffect),
    })),
    unparseable: a.interpretation?.unparseable ?? [],
    truncated: a.interpretation?.truncated ?? false,
    decision: a.decision,
  };
}

/** `agentfirewall explain <command>`: how the engine reads a line and why it decides as it does. */
export async function runExplain(line: string, options: CheckOptions): Promise<number> {
  const loaded = await policyFor(options.cwd ?? process.cwd());
  if (typeof loaded === 'number') return loaded;
  const event = commandEvent(line, options.cwd);
  const engine = createEngine(loaded.policy);
  let analysis = engine.analyzeCommand(event);
  // As check does: a denial that hangs on whether paths exist is decided again once they are looked at.
  const absent = analysis.decision.ask ? missingPaths(analysis.decision.ask) : [];
  if (absent.length) analysis = engine.analyzeCommand({ ...event, absent });
  const data = analysisJson(line, analysis);
  if (options.json) {
    print(JSON.stringify(data));
    return exitCodeFor(analysis.decision.verdict);
  }
  const style = await styleFor(1);
  const out: string[] = [`command   ${line}`, `cwd       ${event.cwd}`, `parse     ${data.parse.ok ? 'ok' : `failed: ${data.parse.error}`}`];
  if (data.commands.length) out.push('', 'runs:');
  data.commands.forEach((c, i) => {
    const argv = c.argv.length ? c.argv.join(' ') : '(no command: assignments or redirections only)';
    out.push(`  ${i + 1}. ${argv}`);
    const details = [
      c.cwd !== event.cwd ? `cwd ${c.cwd}` : '',
      c.remote ? `on ${c.remote}` : '',
      c.wrappers.length ? `unwrapped from ${c.wrappers.join(' ')}` : '',
      c.via.length ? `via ${c.via.join(' > ')}` : '',
      c.assignments.length ? `with ${c.assignments.join(' ')}` : '',
      c.redirects.length ? `redirects ${c.redirects.join(', ')}` : '',
    ].filter(Boolean);
    if (details.length) out.push(`     ${style.dim(details.join('; '))}`);
    for (const h of c.runners) out.push(`     run by ${h.text}`);
    for (const e of c.effects) out.push(`     effect: ${e}`);
  });
  for (const u of data.unparseable) out.push(`  cannot parse: ${u.error}`);
  if (data.truncated) out.push('  (stopped: too deep or too many commands to follow)');
  const d = analysis.decision;
  if (d.matches.length) {
    out.push('', 'matched:');
    for (const m of d.matches) out.push(`  ${verdictLabel(m.action, style)} ${m.rule}: ${m.reason}${m.subject ? style.dim(` [${m.subject}]`) : ''}`);
  }
  if (absent.length) out.push('', `looked at ${absent.join(', ')}: not there yet`);
  out.push('', `decision  ${verdictLabel(d.verdict, style)} ${d.rule}: ${d.reason}`);
  const next = howToAllow(d);
  if (next) out.push(`          ${next}`);
  print(out.join('\n'));
  return d.verdict === 'deny' ? EXIT.denied : EXIT.ok;
}
