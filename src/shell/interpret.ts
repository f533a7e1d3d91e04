import type { Command, Pipeline, Redirect, Script, SimpleCommand } from './ast.js';
import { expandToString, expandWord, type Field, type ShellState, type Substituter } from './expand.js';
import { parse } from './parse.js';
import { joinPath } from './paths.js';
import { commandName, shellInvocation, unwrapOnce } from './wrappers.js';

/** A redirection with its target expanded. */
export interface ResolvedRedirect {
  op: string;
  fd?: number;
  target: Field;
  /** Heredoc or here-string text fed to the command, when known. */
  text?: Field;
}

/** One command that the line would execute, as the static interpreter sees it. */
export interface ExecutedCommand {
  /** Arguments after expansion and after every wrapper was peeled off; argv[0] is the program. */
  argv: Field[];
  /** Every form of the command from the outermost as written (`sudo nice rm ...`) to `argv`. */
  layers: Field[][];
  /** Wrapper programs peeled off, outermost first. */
  wrappers: string[];
  /** Options given to those wrappers, as `wrapper:option`. */
  wrapperOptions: string[];
  /** Working directory it would run in (after `cd` earlier on the line). */
  cwd: string;
  redirects: ResolvedRedirect[];
  /** How it was reached: `$( )`, `sh -c`, `eval`, `function name` ... (empty at top level). */
  via: string[];
  /** The command whose output feeds this one's standard input through a pipe. */
  stdinFrom?: ExecutedCommand;
  /** Text fed to standard input by a here-string or heredoc. */
  stdinText?: Field;
  /** Shell invocation details when argv runs a shell. */
  shell?: { readsStdin: boolean; options: string[]; command?: Field };
}

/** What the interpreter found in a line: the commands it would run, and pieces it could not parse. */
export interface Interpretation {
  commands: ExecutedCommand[];
  /** Nested command text (`sh -c '...'`, `eval ...`) that failed to parse, with the reason. */
  unparseable: { source: string; error: string }[];
  /** True when limits cut the walk short (too many commands, too deep); the rest is unknown. */
  truncated: boolean;
}

/** The environment a line is interpreted in. */
export interface InterpretContext {
  cwd: string;
  home: string;
  /** Known environment variables; all others are unknown (not empty). */
  env?: Record<string, string>;
}

const MAX_COMMANDS = 512;
const MAX_DEPTH = 12;
const MAX_LOOP_ITEMS = 32;

/**
 * Walk a parsed line statically and list every command it would run, following `cd`, variables,
 * functions, substitutions, wrappers, `sh -c` and `eval`. Pure and bounded; never runs anything.
 */
export function interpret(script: Script, context: InterpretContext): Interpretation {
  const vars = new Map<string, string>(Object.entries(context.env ?? {}));
  if (!vars.has('IFS')) vars.set('IFS', ' \t\n');
  vars.set('HOME', context.home);
  vars.set('PWD', context.cwd);
  const state: ShellState = { vars, unset: new Set(), cwd: context.cwd, home: context.home, positional: null, dirStack: [] };
  const walker = new Walker();
  walker.script(script, state, []);
  return { commands: walker.commands, unparseable: walker.unparseable, truncated: walker.truncated };
}

function cloneState(state: ShellState): ShellState {
  return {
    vars: new Map(state.vars),
    unset: new Set(state.unset),
    cwd: state.cwd,
    home: state.home,
    positional: state.positional ? [...state.positional] : null,
    dirStack: [...state.dirStack],
  };
}

/** Context of one walk step: the path of nesting and the pipe feeding it. */
interface Step {
  via: string[];
  stdinFrom?: ExecutedCommand;
}

class Walker {
  commands: ExecutedCommand[] = [];
  unparseable: Interpretation['unparseable'] = [];
  truncated = false;
  private functions = new Map<string, Command>();
  private callStack: string[] = [];
  private depth = 0;

  private readonly substitute: (via: string[]) => Substituter = (via) => (body, state) => {
    const before = this.commands.length;
    this.script(body, cloneState(state), [...via, '$( )']);
    return staticOutput(this.commands.slice(before));
  };

  script(script: Script, state: ShellState, via: string[]): void {
    for (const item of script.items) {
      const s = item.background ? cloneState(state) : state;
      for (const pipeline of [item.node.first, ...item.node.rest.map((r) => r.pipeline)]) this.pipeline(pipeline, s, via);
    }
  }

  private pipeline(pipeline: Pipeline, state: ShellState, via: string[]): void {
    if (pipeline.commands.length === 1) {
      this.command(pipeline.commands[0], state, { via });
      return;
    }
    // Each element of a pipeline runs in a subshell: `cd` inside it does not last.
    let upstream: ExecutedCommand | undefined;
    for (const cmd of pipeline.commands) {
      const before = this.commands.length;
      this.command(cmd, cloneState(state), { via, stdinFrom: upstream });
      const emitted = this.commands.slice(before).filter((c) => c.via.length === via.length);
      upstream = emitted[emitted.length - 1] ?? upstream;
    }
  }

  private command(cmd: Command, state: ShellState, step: Step): void {
    if (this.truncated) return;
    switch (cmd.type) {
      case 'simple':
        this.simple(cmd, state, step);
        return;
      case 'subshell':
        this.script(cmd.body, cloneState(state), step.via);
        this.redirects(cmd.redirects, state, step);
        return;
      case 'group':
        this.withStdin(step, () => this.script(cmd.body, state, step.via));
        this.redirects(cmd.redirects, state, step);
        return;
      case 'if':
        for (const clause of cmd.clauses) {
          this.script(clause.cond, state, step.via);
          this.script(clause.body, state, step.via);
        }
        if (cmd.elseBody) this.script(cmd.elseBody, state, step.via);
        return;
      case 'loop':
        this.script(cmd.cond, state, step.via);
        this.script(cmd.body, state, step.via);
        return;
      case 'for': {
        const items = cmd.items
          ? cmd.items.flatMap((w) => expandWord(w, state, this.substitute(step.via)))
          : (state.positional ?? []).slice(1).map((text) => ({ text, dynamic: false, glob: false }));
        if (!cmd.variable) {
          this.script(cmd.body, state, step.via);
          return;
        }
        const values = items.length ? items.slice(0, MAX_LOOP_ITEMS) : [{ text: '', dynamic: true, glob: false }];
        for (const item of values) {
          if (item.dynamic) {
            state.vars.delete(cmd.variable);
            state.unset.delete(cmd.variable);
          } else state.vars.set(cmd.variable, item.text);
          this.script(cmd.body, state, step.via);
        }
        return;
      }
      case 'case':
        expandWord(cmd.subject, state, this.substitute(step.via));
        for (const arm of cmd.arms) this.script(arm.body, state, step.via);
        return;
      case 'function':
        this.functions.set(cmd.name, cmd.body);
        return;
      case 'arith':
        return;
      case 'test':
        for (const w of cmd.words) expandWord(w, state, this.substitute(step.via));
        return;
    }
  }

  /** Run `fn` with the pipe of `step` applied to the commands it emits directly. */
  private withStdin(step: Step, fn: () => void): void {
    const before = this.commands.length;
    fn();
    if (!step.stdinFrom) return;
    for (const c of this.commands.slice(before)) if (c.via.length === step.via.length && !c.stdinFrom) c.stdinFrom = step.stdinFrom;
  }

  private redirects(redirects: Redirect[], state: ShellState, step: Step): ResolvedRedirect[] {
    const sub = this.substitute(step.via);
    return redirects.map((r) => {
      const target = expandToString(r.target, state, sub);
      const text = r.op === '<<<' ? target : r.body ? expandToString(r.body, state, sub) : undefined;
      return { op: r.op, fd: r.fd, target, text };
    });
  }

  private simple(cmd: SimpleCommand, state: ShellState, step: Step): void {
    const sub = this.substitute(step.via);
    const prefix = new Map<string, Field>();
    for (const a of cmd.assigns) {
      const value: Field = a.array
        ? { text: a.array.flatMap((w) => expandWord(w, state, sub)).map((f) => f.text).join(' '), dynamic: false, glob: false }
        : expandToString(a.value, state, sub);
      if (a.append) value.text = (state.vars.get(a.name) ?? '') + value.text;
      prefix.set(a.name, value);
    }
    const argv = cmd.words.flatMap((w) => expandWord(w, state, sub));
    const redirects = this.redirects(cmd.redirects, state, step);
    if (argv.length === 0) {
      // Assignments alone change the shell's variables.
      for (const [name, value] of prefix) setVar(state, name, value);
      if (redirects.length) this.emit([], [], [], state, redirects, step);
      return;
    }
    const name = argv[0].text;
    if (!argv[0].dynamic && this.functions.has(name) && !this.callStack.includes(name) && this.callStack.length < MAX_DEPTH) {
      const body = this.functions.get(name)!;
      const saved = state.positional;
      state.positional = [name, ...argv.slice(1).map((f) => f.text)];
      this.callStack.push(name);
      this.withStdin(step, () => this.command(body, state, { via: [...step.via, `function ${name}`], stdinFrom: step.stdinFrom }));
      this.callStack.pop();
      state.positional = saved;
      // Still record the call itself, so rules can see recursion (fork bombs).
      this.emit(argv, [argv], [], state, redirects, step);
      return;
    }
    if (this.callStack.includes(name)) {
      this.emit(argv, [argv], [], state, redirects, step);
      return;
    }
    this.builtinEffects(argv, state);
    this.run(argv, state, redirects, step, [argv], [], []);
  }

  /** Changes that builtins make to the shell itself: cd, pushd, popd, export, unset, set --. */
  private builtinEffects(argv: Field[], state: ShellState): void {
    const name = argv[0].text;
    const args = argv.slice(1).filter((f) => !(f.text.startsWith('-') && f.text.length > 1 && name !== 'set'));
    const chdir = (target: Field | undefined) => {
      const old = state.cwd;
      if (!target) state.cwd = state.vars.get('HOME') ?? state.home;
      else if (target.dynamic) return;
      else if (target.text === '-') state.cwd = state.vars.get('OLDPWD') ?? state.cwd;
      else state.cwd = joinPath(state.cwd, target.text);
      state.vars.set('OLDPWD', old);
      state.vars.set('PWD', state.cwd);
    };
    switch (name) {
      case 'cd':
        chdir(args[0]);
        break;
      case 'pushd':
        state.dirStack.push(state.cwd);
        chdir(args[0]);
        break;
      case 'popd': {
        const top = state.dirStack.pop();
        if (top) chdir({ text: top, dynamic: false, glob: false });
        break;
      }
      case 'export':
      case 'declare':
      case 'typeset':
      case 'local':
      case 'readonly':
        for (const a of args) {
          const eq = a.text.indexOf('=');
          if (eq > 0) setVar(state, a.text.slice(0, eq), { text: a.text.slice(eq + 1), dynamic: a.dynamic, glob: false });
        }
        break;
      case 'unset':
        for (const a of args) {
          state.vars.delete(a.text);
          state.unset.add(a.text);
        }
        break;
      case 'set':
        if (argv[1]?.text === '--') state.positional = [state.positional?.[0] ?? 'sh', ...argv.slice(2).map((f) => f.text)];
        break;
    }
  }

  /** Record a command, peeling wrappers and following `sh -c` and `eval` into the text they run. */
  private run(
    argv: Field[], state: ShellState, redirects: ResolvedRedirect[], step: Step,
    layers: Field[][], wrappers: string[], wrapperOptions: string[],
  ): void {
    let current = argv;
    let cwd = state.cwd;
    for (let guard = 0; guard < 16; guard++) {
      const u = unwrapOnce(current);
      if (!u) break;
      wrappers.push(u.wrapper);
      for (const o of u.options) wrapperOptions.push(`${u.wrapper}:${o}`);
      if (u.chdir) cwd = joinPath(cwd, u.chdir);
      if (u.splitString !== undefined) {
        const text = [u.splitString, ...u.inner.map((f) => quoteForShell(f.text))].join(' ');
        this.emit(current, [...layers], [...wrappers], state, redirects, step, cwd);
        this.nested(text, `${u.wrapper} -S`, state, step, null);
        return;
      }
      current = u.inner;
      if (current.length === 0) break;
      layers.push(current);
    }
    if (current.length === 0) {
      this.emit(layers[layers.length - 1], layers, wrappers, state, redirects, step, cwd, wrapperOptions);
      return;
    }
    const name = commandName(current[0].text);
    const emitted = this.emit(current, layers, wrappers, state, redirects, step, cwd, wrapperOptions);
    const runState = cwd === state.cwd ? state : { ...cloneState(state), cwd };
    if (name === 'eval' && !current[0].dynamic) {
      const text = current.slice(1).map((f) => f.text).join(' ');
      if (current.slice(1).some((f) => f.dynamic)) return;
      this.nested(text, 'eval', runState, step, undefined, true);
      return;
    }
    const shell = shellInvocation(current);
    if (shell) {
      emitted.shell = { readsStdin: shell.readsStdin, options: shell.options, command: shell.command };
      if (shell.command && !shell.command.dynamic) {
        this.nested(shell.command.text, `${shell.shell} -c`, runState, step, shell.positional);
      }
    }
  }

  /** Parse and walk text that a command runs as shell code. */
  private nested(text: string, label: string, state: ShellState, step: Step, positional: string[] | null | undefined, sameShell = false): void {
    if (this.depth >= MAX_DEPTH) {
      this.truncated = true;
      return;
    }
    const parsed = parse(text);
    if (!parsed.ok) {
      this.unparseable.push({ source: text, error: `${label}: ${parsed.error}` });
      return;
    }
    this.depth++;
    const s = sameShell ? state : cloneState(state);
    if (positional !== undefined) s.positional = positional;
    this.withStdin(step, () => this.script(parsed.script, s, [...step.via, label]));
    this.depth--;
  }

  private emit(
    argv: Field[], layers: Field[][], wrappers: string[], state: ShellState, redirects: ResolvedRedirect[],
    step: Step, cwd = state.cwd, wrapperOptions: string[] = [],
  ): ExecutedCommand {
    const stdinRedirect = redirects.find((r) => r.op === '<<<' || r.op === '<<' || r.op === '<<-');
    const command: ExecutedCommand = {
      argv, layers, wrappers, wrapperOptions, cwd, redirects, via: step.via, stdinFrom: step.stdinFrom,
      stdinText: stdinRedirect?.text,
    };
    if (this.commands.length >= MAX_COMMANDS) this.truncated = true;
    else this.commands.push(command);
    return command;
  }
}

function setVar(state: ShellState, name: string, value: Field): void {
  if (value.dynamic) {
    state.vars.delete(name);
    state.unset.delete(name);
  } else {
    state.vars.set(name, value.text);
    state.unset.delete(name);
  }
}

/** Quote a word so that re-parsing gives it back unchanged. */
export function quoteForShell(text: string): string {
  if (/^[A-Za-z0-9_\-./=:@%+,]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The output of a substitution when it is certain without running anything: `echo`, `printf` with a
 * literal format, `pwd`, `dirname`, `basename`. Anything else is unknown.
 */
function staticOutput(commands: ExecutedCommand[]): string | undefined {
  const top = commands.filter((c) => !c.via.includes('$( )') || c === commands[0]);
  if (top.length !== 1) return undefined;
  const c = top[0];
  if (c.argv.some((f) => f.dynamic) || c.argv.length === 0 || c.stdinFrom) return undefined;
  const name = commandName(c.argv[0].text);
  const args = c.argv.slice(1).map((f) => f.text);
  switch (name) {
    case 'echo': {
      const words = [...args];
      let newline = true;
      while (words[0] && /^-[neE]+$/.test(words[0])) {
        if (words[0].includes('n')) newline = false;
        words.shift();
      }
      return words.join(' ') + (newline ? '\n' : '');
    }
    case 'printf': {
      const rest = args[0] === '--' ? args.slice(1) : args;
      if (rest.length === 0) return undefined;
      return formatPrintf(rest[0], rest.slice(1));
    }
    case 'pwd':
      return c.cwd + '\n';
    case 'dirname':
      if (args.length !== 1) return undefined;
      return dirnameOf(args[0]) + '\n';
    case 'basename':
      if (args.length < 1) return undefined;
      return args[0].replace(/\/+$/, '').split('/').pop() + '\n';
    default:
      return undefined;
  }
}

function dirnameOf(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return trimmed.slice(0, i);
}

/** printf with `%s`, `%b`, `%d`, `%q` and escapes: enough to tell what a substitution prints. */
function formatPrintf(format: string, args: string[]): string | undefined {
  const escape = (s: string) =>
    s.replace(/\\(n|t|\\|0[0-7]{0,3}|[0-7]{1,3})/g, (_, e: string) =>
      e === 'n' ? '\n' : e === 't' ? '\t' : e === '\\' ? '\\' : String.fromCharCode(parseInt(e, 8)));
  let out = '';
  let i = 0;
  let guard = 0;
  do {
    out += escape(format).replace(/%(%|s|b|d|q)/g, (_, k: string) => {
      if (k === '%') return '%';
      const v = args[i++] ?? '';
      return k === 'b' ? escape(v) : v;
    });
  } while (i < args.length && /%[sbdq]/.test(format) && ++guard < 64);
  return out;
}
