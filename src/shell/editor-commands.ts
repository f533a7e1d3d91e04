/**
 * The commands a line editor is given (`vim -c`, `+cmd`, `--cmd`, `ex` and `ed` scripts on stdin), and what they do
 * outside the editor: shell commands (`!cmd`, `r !cmd`, `w !cmd`, `system("cmd")`, `terminal cmd`) and writes of
 * the file being edited (`w`, `wq`, `x`, `update`).
 */

const VI_NAMES = new Set(['vim', 'vi', 'nvim', 'view', 'gvim', 'vimdiff', 'nvi', 'elvis', 'vile']);

/** Is this program an editor whose commands this module reads? */
export function isLineEditor(name: string): boolean {
  return name === 'ed' || name === 'red' || name === 'ex' || VI_NAMES.has(name);
}

/** An editor invocation: the commands it runs (in order) and the files it edits. `stdinUnknown`: commands come from a stdin nobody can read. */
export interface EditorRun {
  kind: 'ed' | 'ex';
  commands: string[];
  files: string[];
  stdinUnknown: boolean;
}

/** Read an editor's command line. `stdin` is its standard input when known. */
export function editorRun(name: string, args: readonly string[], stdin: string | undefined, stdinRedirected: boolean): EditorRun | null {
  if (!isLineEditor(name)) return null;
  const files: string[] = [];
  const commands: string[] = [];
  if (name === 'ed' || name === 'red') {
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '-p') i++;
      else if (!args[i].startsWith('-') || args[i] === '-') files.push(args[i]);
    }
    // ed always reads its commands from stdin.
    if (stdin !== undefined) commands.push(...stdin.split('\n'));
    return { kind: 'ed', commands, files, stdinUnknown: stdin === undefined };
  }
  let exMode = name === 'ex';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-c' || a === '--cmd' || a === '-S') {
      if (a !== '-S') commands.push(args[i + 1] ?? '');
      i++;
    } else if (/^-[a-zA-Z]*c$/.test(a) && /^-[esEnRZbVXNLlA]*c$/.test(a)) {
      // A cluster ending in c (`-sc CMD`): the flags, then the command.
      if (/[eE]/.test(a) || name === 'ex') exMode = true;
      commands.push(args[i + 1] ?? '');
      i++;
    } else if (a.startsWith('+') && a.length > 1) {
      if (!/^\+\d+$/.test(a) && !a.startsWith('+/')) commands.push(a.slice(1));
    } else if (/^-[a-zA-Z]+$/.test(a)) {
      if (/[eE]/.test(a)) exMode = true;
      if (/^-[uUiTwWoOp]$/.test(a) || a === '-t' || a === '-r') i++;
    } else if (a.startsWith('--')) continue;
    else files.push(a);
  }
  // In ex mode (ex, vim -e/-es) the commands also come from stdin.
  if (exMode && stdin !== undefined) commands.push(...stdin.split('\n'));
  return { kind: 'ex', commands, files, stdinUnknown: exMode && stdin === undefined && stdinRedirected };
}

/** Split one ex command line into its `|`-separated commands; `!` takes the rest of the line. */
function exParts(line: string): string[] {
  const parts: string[] = [];
  let rest = line;
  for (let guard = 0; rest.trim() && guard < 64; guard++) {
    const cmd = stripRange(rest);
    if (/^(!|r(ead)?\s*!|w(rite)?\s*!|te(rm(inal)?)?\b|exe(cute)?\b|g(lobal)?\b|norm(al)?\b)/.test(cmd)) {
      parts.push(cmd);
      break;
    }
    const bar = cmd.indexOf('|');
    parts.push(bar < 0 ? cmd : cmd.slice(0, bar));
    if (bar < 0) break;
    rest = cmd.slice(bar + 1);
  }
  return parts.map((p) => p.trim());
}

/** Without leading colons, blanks, a line range and `silent[!]` prefixes. */
function stripRange(text: string): string {
  let t = text.replace(/^[\s:]+/, '').replace(/^[%.$,;\d'<>+-]+/, '').trimStart();
  for (let guard = 0; guard < 4; guard++) {
    const m = /^(sil(ent)?!?|keepalt|noautocmd|noa|uns(ilent)?)\s+/.exec(t);
    if (!m) break;
    t = t.slice(m[0].length);
  }
  return t;
}

/** One string literal of vim script at the start of `text` ('…' with '' for a quote, "…" with backslash escapes). */
function vimString(text: string): string | undefined {
  const q = text[0];
  if (q !== '"' && q !== "'") return undefined;
  let out = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (q === "'" && c === "'") {
      if (text[i + 1] === "'") {
        out += "'";
        i++;
        continue;
      }
      return out;
    }
    if (q === '"' && c === '\\' && i + 1 < text.length) {
      out += text[++i];
      continue;
    }
    if (c === q) return out;
    out += c;
  }
  return undefined;
}

/** Shell command lines that an ex or vim command runs. */
function exShellLines(cmd: string): string[] {
  const bang = /^(?:(?:r(?:ead)?|w(?:rite)?)\s*)?!(.*)$/s.exec(cmd);
  if (bang) return bang[1].trim() ? [bang[1].trim()] : [];
  const term = /^te(?:rm(?:inal)?)?\s+(?:\+\+\S+\s+)*(.+)$/s.exec(cmd);
  if (term) return [term[1].trim()];
  const out: string[] = [];
  const exe = /^exe(?:cute)?\s+(.*)$/s.exec(cmd);
  if (exe) {
    const s = vimString(exe[1].trim());
    if (s !== undefined) for (const part of exParts(s)) out.push(...exShellLines(part));
  }
  // system(), systemlist() and the job starters anywhere in an expression.
  const re = /\b(system|systemlist|jobstart|job_start|termopen)\s*\(\s*/g;
  for (let m = re.exec(cmd); m; m = re.exec(cmd)) {
    const s = vimString(cmd.slice(m.index + m[0].length));
    if (s !== undefined && s.trim()) out.push(s.trim());
  }
  return out;
}

/** Shell lines the editor's commands run. */
export function editorShellLines(run: EditorRun): string[] {
  const out: string[] = [];
  if (run.kind === 'ed') {
    let text = false;
    for (const raw of run.commands) {
      const line = raw.trim();
      if (text) {
        text = line !== '.';
        continue;
      }
      const m = /^[\d,.$;'a-z+-]*\s*(?:[rwWeE]\s*)?!(.*)$/.exec(line);
      if (m?.[1].trim()) out.push(m[1].trim());
      else if (/^[\d,.$;'+-]*[aic]$/.test(line)) text = true;
    }
    return out;
  }
  for (const c of run.commands) for (const part of exParts(c)) out.push(...exShellLines(part));
  return out;
}

/** Does the editor write its files? ed and ex: a `w`, `wq`, `x`, `up[date]` (or commands nobody can read). */
export function editorWrites(run: EditorRun): boolean {
  if (run.files.length === 0) return false;
  if (run.stdinUnknown) return true;
  if (run.kind === 'ed') {
    let text = false;
    for (const raw of run.commands) {
      const line = raw.trim();
      if (text) {
        text = line !== '.';
        continue;
      }
      if (/^[\d,.$;'+-]*\s*(wq?|W)(\s+[^!].*)?$/.test(line)) return true;
      if (/^[\d,.$;'+-]*[aic]$/.test(line)) text = true;
    }
    return false;
  }
  return run.commands.some((c) => exParts(c).some((p) => /^(w|wq|wqa|wqall|wa|wall|x|xa|xit|exi|exit|up|update|sav|saveas)!?(\s+[^!].*)?$/.test(p)));
}
