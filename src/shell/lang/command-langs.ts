/**
 * Languages made of commands and words rather than calls: Tcl (`exec`, `file delete -force`) and PowerShell
 * (`Remove-Item -Recurse -Force`, `Stop-Process -Force`, `iex (iwr …)`, native programs). Each statement is split
 * into words with the language's quoting; what a statement does is read from its command word. Pure.
 */

import type { CodeContext } from '../code-values.js';

/** What a statement-language program was seen to do (a subset of the interpreter code effects). */
export interface CommandLangEffects {
  argvs: string[][];
  deletes: { path: string; recursive: boolean; api: string }[];
  download?: 'network';
}

const MAX_STATEMENTS = 256;

/** Split at top-level separators, quotes and brackets respected. */
function statements(code: string, seps: string, open: string, close: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (let i = 0; i < code.length && out.length < MAX_STATEMENTS; i++) {
    const c = code[i];
    if (quote) {
      cur += c;
      if (c === '`' || (c === '\\' && quote === '"' && open === '[')) cur += code[++i] ?? '';
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || (c === "'" && open === '(')) quote = c;
    else if (open.includes(c)) depth++;
    else if (close.includes(c)) depth--;
    if (depth <= 0 && seps.includes(c)) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
      depth = 0;
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** Words of one statement: blanks separate, quotes and one level of brackets group. */
function words(stmt: string, groups: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  let quote = '';
  for (let i = 0; i < stmt.length; i++) {
    const c = stmt[i];
    if (quote) {
      if (c === quote) quote = '';
      else cur += c;
      continue;
    }
    if (depth === 0 && (c === '"' || (c === "'" && groups === '()'))) {
      quote = c;
      continue;
    }
    if (c === groups[0]) {
      if (depth++ === 0 && groups === '{}') continue;
    } else if (c === groups[1] && depth > 0) {
      if (--depth === 0 && groups === '{}') continue;
    }
    if (depth === 0 && /\s/.test(c)) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

/** Tcl: `exec prog args…` runs a program; `file delete ?-force? ?--? paths…` deletes (recursively with -force). */
export function analyzeTcl(code: string, ctx: CodeContext): CommandLangEffects {
  const effects: CommandLangEffects = { argvs: [], deletes: [] };
  const value = (w: string) => w.replace(/\$(?:::)?env\((HOME)\)/g, ctx.home).replace(/^~(?=\/|$)/, ctx.home);
  const queue = statements(code, '\n;', '{[', '}]');
  // Bracketed substitutions run too: `set x [exec rm -rf /]`.
  for (let k = 0; k < queue.length && k < MAX_STATEMENTS; k++) {
    for (const m of queue[k].matchAll(/\[([^\[\]]*)\]/g)) queue.push(m[1]);
    const w = words(queue[k], '{}').map(value);
    if (w[0] === 'exec') {
      const argv = w.slice(1).filter((x) => !/^-(keepnewline|ignorestderr|-)$/.test(x));
      if (argv.length) effects.argvs.push(argv);
    } else if (w[0] === 'file' && w[1] === 'delete') {
      const rest = w.slice(2);
      const force = rest.includes('-force');
      for (const p of rest.filter((x) => !x.startsWith('-'))) effects.deletes.push({ path: p, recursive: force, api: 'file delete' });
    }
  }
  return effects;
}

const PS_REMOVE = new Set(['remove-item', 'ri', 'rm', 'del', 'erase', 'rd', 'rmdir']);
const PS_KILL = new Set(['stop-process', 'spps', 'kill']);
const PS_DOWNLOAD = /\b(iwr|irm|invoke-webrequest|invoke-restmethod|curl|wget|downloadstring|downloadfile|net\.webclient|start-bitstransfer)\b/i;
const PS_EVAL = new Set(['iex', 'invoke-expression']);

/** A PowerShell word as a path: `~`, `$HOME`, `$env:HOME`, `$env:USERPROFILE`, backslashes as slashes. */
function psPath(word: string, ctx: CodeContext): string {
  return word
    .replace(/\$\{?(?:env:)?(HOME|USERPROFILE)\}?|\$HOME\b/gi, ctx.home)
    .replace(/^~(?=[\\/]|$)/, ctx.home)
    .replace(/\\/g, '/');
}

/** PowerShell statements: deletes, kills, `iex` of downloaded text, and native programs run with their words. */
export function analyzePowerShell(code: string, ctx: CodeContext, depth = 0): CommandLangEffects {
  const effects: CommandLangEffects = { argvs: [], deletes: [] };
  for (const stmt of statements(code, '\n;', '({', ')}')) {
    const pipeline = statements(stmt, '|', '({', ')}');
    for (let p = 0; p < pipeline.length; p++) {
      const w = words(pipeline[p], '()');
      const name = (w[0] ?? '').replace(/^&\s*/, '').toLowerCase();
      const params = w.slice(1);
      if (PS_EVAL.has(name)) {
        const arg = params.join(' ');
        if (PS_DOWNLOAD.test(arg) || pipeline.slice(0, p).some((s) => PS_DOWNLOAD.test(s))) effects.download = 'network';
        else if (depth < 3 && params.length) {
          const inner = analyzePowerShell(params.join(' ').replace(/^\(|\)$/g, ''), ctx, depth + 1);
          effects.argvs.push(...inner.argvs);
          effects.deletes.push(...inner.deletes);
          effects.download ??= inner.download;
        }
        continue;
      }
      if (PS_REMOVE.has(name)) {
        const recursive = params.some((x) => /^-r(e(c(u(r(s(e)?)?)?)?)?)?$/i.test(x));
        const paths: string[] = [];
        for (let k = 0; k < params.length; k++) {
          const x = params[k];
          if (/^-(path|literalpath|lp|pspath)$/i.test(x)) paths.push(params[++k] ?? '');
          else if (/^-(include|exclude|filter|credential)$/i.test(x)) k++;
          else if (!x.startsWith('-')) paths.push(...x.split(','));
        }
        for (const path of paths) if (path) effects.deletes.push({ path: psPath(path, ctx), recursive, api: 'Remove-Item' });
        continue;
      }
      if (PS_KILL.has(name)) {
        // -Force, or the POSIX spelling of SIGKILL that some scripts carry over (`kill -9 1234`).
        const force = params.some((x) => /^-f(o(r(c(e)?)?)?)?$|^-(9|KILL|SIGKILL)$/i.test(x));
        const ids = params.filter((x) => /^\d+$/.test(x));
        if (force) effects.argvs.push(['kill', '-9', ...(ids.length ? ids : ['1'])]);
        continue;
      }
      // A native program (no Verb-Noun cmdlet): its words, as a shell would pass them.
      if (name && !name.includes('-') && /^[\w./~]+$/.test(name) && !name.startsWith('$')) effects.argvs.push(w.map((x) => psPath(x, ctx)));
    }
  }
  return effects;
}
