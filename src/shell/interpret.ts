import type { Command, Pipeline, Redirect, Script, SimpleCommand, Word } from './ast.js';
import { expandArithmetic, expandDeclaration, expandToString, expandWord, type Field, type ShellState, type Substituter } from './expand.js';
import { analyzeCode, bangLines, codeSource, languageOf, type CodeSource } from './languages.js';
import { Budget, TooComplex } from './limits.js';
import { parse, parseArithmeticText } from './parse.js';
import { homeOf, joinPath } from './paths.js';
import { planCommandRunner, planFind, planPackageRunner, planParallel, planSsh, planSu, planXargs, xargsItems, type XargsPlan } from './runners.js';
import { staticOutput } from './static-output.js';
import { commandName, shellInvocation, SHELLS, unwrapOnce } from './wrappers.js';

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
  /** The home directory where it runs (another one for `ssh user@host '...'`). */
  home: string;
  redirects: ResolvedRedirect[];
  /** How it was reached: `$( )`, `sh -c`, `eval`, `function name`, `xargs`, `python3 -c` ... (empty at top level). */
  via: string[];
  /** The command whose output feeds this one's standard input through a pipe. */
  stdinFrom?: ExecutedCommand;
  /** Text fed to standard input by a here-string or heredoc. */
  stdinText?: Field;
  /** Shell invocation details when argv runs a shell. */
  shell?: { readsStdin: boolean; options: string[]; command?: Field; script?: Field };
  /** Runs in the background or as one element of a pipeline (alongside others). */
  async: boolean;
  /** A call of a function from inside itself. */
  recursion?: boolean;
  /** What it prints, when that is certain without running it. */
  output?: string;
  /** A glob describing the paths it prints (`find . -name .env`), when it prints paths. */
  outputGlob?: { glob: string; dot: boolean };
  /** Set when it runs on another machine (`ssh host '...'`): the host. */
  remote?: string;
  /** Interpreter code that forks in an unbounded loop. */
  forkLoop?: boolean;
  /** Interpreter code that evaluates code read from the network, or from its stdin (a download when stdin is one). */
  evalsCode?: 'network' | 'stdin';
  /** For commands derived from interpreter code: the API call behind it (`shutil.rmtree`). */
  api?: string;
  /** Variable assignments on the command (`CI=1 git push`), or alone (`BASH_ENV=`), as `NAME=value`. */
  assignments: Field[];
}

/** What the interpreter found in a line: the commands it would run, and pieces it could not parse. */
export interface Interpretation {
  commands: ExecutedCommand[];
  /** Nested command text (`sh -c '...'`, `eval ...`) that failed to parse, with the reason. */
  unparseable: { source: string; error: string }[];
  /** True when limits cut the walk short (too many commands, too deep); the rest is unknown. */
  truncated: boolean;
  /** Why the line is too complex to check (a value, a brace expansion or the work grew past a bound), when it is. */
  tooComplex?: string;
}

/** The environment a line is interpreted in. */
export interface InterpretContext {
  cwd: string;
  home: string;
  /** Known environment variables; all others are unknown (not empty). */
  env?: Record<string, string>;
  /** The protected project's root, for what `git rev-parse --show-toplevel` prints inside it. */
  projectDir?: string;
}

const MAX_COMMANDS = 512;
const MAX_DEPTH = 12;

/** The grammar a shell reads its code with; `sh` may be dash or bash, so it is read as dash, else as bash. */
type ShellDialect = NonNullable<ShellState['dialect']>;

function dialectOf(shell: string): ShellDialect {
  if (shell === 'sh') return 'sh';
  return shell === 'dash' || shell === 'ash' || shell === 'yash' || shell === 'posh' || shell === 'busybox' ? 'posix' : 'bash';
}

/** Parse shell code as the shell that runs it would. */
function parseAs(text: string, dialect: ShellDialect): ReturnType<typeof parse> {
  if (dialect !== 'sh') return parse(text, { dialect });
  // dash reads `((` as two subshells; bash-as-sh as arithmetic. The subshell reading runs every substitution the
  // arithmetic one does and more, so it is the one judged; where only bash can parse the text, bash's is.
  const posix = parse(text, { dialect: 'posix' });
  if (posix.ok || posix.tooComplex || !text.includes('((')) return posix;
  const bash = parse(text, { dialect: 'bash' });
  return bash.ok ? bash : posix;
}

/**
 * Walk a parsed line statically and list every command it would run, following `cd`, variables,
 * functions, substitutions, pipes of known text, wrappers, `sh -c`, `eval`, `xargs`, `find -exec`,
 * `ssh`, and interpreter one-liners. Pure and bounded; never runs anything.
 */
export function interpret(script: Script, context: InterpretContext): Interpretation {
  const vars = new Map<string, string>(Object.entries(context.env ?? {}));
  if (!vars.has('IFS')) vars.set('IFS', ' \t\n');
  vars.set('HOME', context.home);
  vars.set('PWD', context.cwd);
  const budget = new Budget();
  const state: ShellState = { vars, unset: new Set(), cwd: context.cwd, home: context.home, positional: null, dirStack: [], budget, dialect: 'bash' };
  const walker = new Walker(context.projectDir);
  let tooComplex: string | undefined;
  try {
    walker.script(script, state, { via: [], async: false });
  } catch (error) {
    // A bound was exceeded (or the walk still ran out of stack): the line is refused as too complex, never half-judged.
    if (error instanceof TooComplex) tooComplex = error.message;
    else if (error instanceof RangeError) tooComplex = 'it nests too deeply to check';
    else throw error;
  }
  const result: Interpretation = { commands: walker.commands, unparseable: walker.unparseable, truncated: walker.truncated };
  if (tooComplex) result.tooComplex = tooComplex;
  return result;
}

function cloneState(state: ShellState): ShellState {
  return {
    vars: new Map(state.vars),
    unset: new Set(state.unset),
    cwd: state.cwd,
    home: state.home,
    positional: state.positional ? [...state.positional] : null,
    dirStack: [...state.dirStack],
    remote: state.remote,
    globVars: state.globVars ? new Set(state.globVars) : undefined,
    budget: state.budget,
    dialect: state.dialect,
  };
}

/** Context of one walk step: the path of nesting, the pipe feeding it, and whether it runs alongside others. */
interface Step {
  via: string[];
  async: boolean;
  stdinFrom?: ExecutedCommand;
  /** The substituter for commands of this step, made on first use. */
  substitute?: Substituter;
}

/** Where `cd` to an unknown directory leads: deep enough that `..` from it never reaches a real directory. */
export const UNKNOWN_DIR = '/\u0000unknown/\u0000a/\u0000b/\u0000c/\u0000d/\u0000e/\u0000f/\u0000g';

/** Programs whose output `staticOutput` can know. */
const STATIC_OUTPUT = new Set(['echo', 'printf', 'pwd', 'dirname', 'basename', 'cat', 'base64', 'xxd', 'rev', 'tr', 'which', 'git']);

/** Builtins that change the shell's own state (directory, variables, positional parameters). */
const SHELL_STATE_BUILTINS = new Set(['cd', 'pushd', 'popd', 'export', 'declare', 'typeset', 'local', 'readonly', 'unset', 'set']);

/** Programs that run other code or commands from their arguments or input; everything else is a leaf. */
const RUNNERS = new Set(['eval', 'let', 'trap', 'source', '.', 'su', 'script', 'flock', 'watch', 'npx', 'bunx', 'pnpx', 'pnpm', 'yarn', 'npm', 'xargs', 'find', 'parallel', 'ssh', 'git', 'ls', 'busybox']);

const lit = (text: string): Field => ({ text, dynamic: false, glob: /[*?[]/.test(text) });

class Walker {
  commands: ExecutedCommand[] = [];
  unparseable: Interpretation['unparseable'] = [];
  truncated = false;
  private functions = new Map<string, Command>();
  private callStack: string[] = [];
  private depth = 0;
  /** Assignments of the simple command being recorded; taken by the first command it emits. */
  private pendingAssignments: Field[] = [];
  /** Scripts written earlier on the line with known text (`echo 'rm -rf ~' > x.sh`), by absolute path. */
  private written = new Map<string, string>();

  constructor(private readonly projectDir?: string) {}

  private substitute(step: Step): Substituter {
    // One substituter per step object: steps are shared by every command of a list, so this saves an allocation each.
    return (step.substitute ??= (body, state) => {
      const before = this.commands.length;
      const via = [...step.via, '$( )'];
      this.script(body, cloneState(state), { via, async: false });
      const inner = this.commands.slice(before);
      const producers = [...new Set(inner.filter((c) => c.argv.length).map((c) => commandName(c.argv[0].text)))];
      const top = inner.filter((c) => c.via.length === via.length);
      const last = top[top.length - 1];
      return { output: last?.output, producers };
    });
  }

  script(script: Script, state: ShellState, step: Step): void {
    for (const item of script.items) {
      const s = item.background ? cloneState(state) : state;
      const itemStep: Step = item.background ? { via: step.via, async: true, stdinFrom: step.stdinFrom } : step;
      for (const pipeline of [item.node.first, ...item.node.rest.map((r) => r.pipeline)]) this.pipeline(pipeline, s, itemStep);
      // From here on `$!` is the job just started: its value is the job spec that names it, so a signal to it is known
      // to reach only this shell's own job.
      if (item.background) state.vars.set('!', '%%');
    }
  }

  private pipeline(pipeline: Pipeline, state: ShellState, step: Step): void {
    if (pipeline.commands.length === 1) {
      this.command(pipeline.commands[0], state, step);
      return;
    }
    // Each element of a pipeline runs in a subshell: `cd` inside it does not last.
    let upstream: ExecutedCommand | undefined = step.stdinFrom;
    pipeline.commands.forEach((cmd, index) => {
      const before = this.commands.length;
      this.command(cmd, cloneState(state), { via: step.via, async: true, stdinFrom: index === 0 ? step.stdinFrom : upstream });
      const emitted = this.commands.slice(before).filter((c) => c.via.length === step.via.length);
      upstream = emitted[emitted.length - 1] ?? upstream;
    });
  }

  private command(cmd: Command, state: ShellState, outer: Step): void {
    if (this.truncated) return;
    if (cmd.type === 'simple') {
      this.simple(cmd, state, outer);
      return;
    }
    if (cmd.type === 'function') {
      this.functions.set(cmd.name, cmd.body);
      // zsh runs TRAPEXIT, TRAPINT … on their own, never by name: their bodies are code this line sets to run.
      if (/^TRAP[A-Z]+$/.test(cmd.name)) this.command(cmd.body, cloneState(state), { via: [...outer.via, `function ${cmd.name}`], async: outer.async });
      // Defining a trap or line-editor hook function changes how the shell guards run: record it.
      if (/^(TRAP[A-Z]+|accept-line|zle-line-init|zle-line-finish|command_not_found_handle|__agentfirewall\w*)$/.test(cmd.name)) {
        this.emit([lit('function'), lit(cmd.name)], [[lit('function'), lit(cmd.name)]], [], state, [], outer).api = 'function definition';
      }
      return;
    }
    const step = this.compoundRedirects(cmd.redirects, state, outer);
    switch (cmd.type) {
      case 'subshell':
        // Its stdin (a pipe, a here-string) is there while the body runs: `echo … | { sh; }` reads it.
        this.script(cmd.body, cloneState(state), { via: step.via, async: step.async, stdinFrom: step.stdinFrom });
        return;
      case 'group':
        this.script(cmd.body, state, { via: step.via, async: step.async, stdinFrom: step.stdinFrom });
        return;
      case 'if':
        for (const clause of cmd.clauses) {
          this.script(clause.cond, state, step);
          this.script(clause.body, state, step);
        }
        if (cmd.elseBody) this.script(cmd.elseBody, state, step);
        return;
      case 'loop':
        this.script(cmd.cond, state, step);
        this.script(cmd.body, state, step);
        return;
      case 'for': {
        const items = cmd.items
          ? expandWords(cmd.items, state, this.substitute(step))
          : (state.positional ?? []).slice(1).map(lit);
        if (!cmd.variable) {
          // `for (( init; cond; step ))`: the header's substitutions run too.
          if (cmd.arith) expandArithmetic(cmd.arith, state, this.substitute(step));
          this.script(cmd.body, state, step);
          return;
        }
        // Every item is walked (a cut would leave the last ones unjudged); the budget bounds the work.
        const values = items.length ? items : [{ text: '', dynamic: true, glob: false }];
        for (const item of values) {
          state.budget?.walk();
          if (this.truncated) return;
          if (item.dynamic) {
            state.vars.delete(cmd.variable);
            state.unset.delete(cmd.variable);
          } else state.vars.set(cmd.variable, item.text);
          // `for f in *`: the shell expands the glob, so $f is one of its matches.
          if (item.glob) (state.globVars ??= new Set()).add(cmd.variable);
          else state.globVars?.delete(cmd.variable);
          this.script(cmd.body, state, step);
        }
        return;
      }
      case 'case':
        expandWord(cmd.subject, state, this.substitute(step));
        for (const arm of cmd.arms) this.script(arm.body, state, step);
        return;
      case 'arith':
        expandArithmetic(cmd.expr, state, this.substitute(step));
        return;
      case 'test': {
        const sub = this.substitute(step);
        // No field splitting inside `[[ ]]`.
        const fields = cmd.words.map((w) => expandToString(w, state, sub));
        // `[[ $x -eq 1 ]]` evaluates both operands as arithmetic: `a[$(cmd)]` in them runs cmd.
        fields.forEach((f, i) => {
          if (!ARITHMETIC_TESTS.has(f.text)) return;
          for (const operand of [fields[i - 1], fields[i + 1]]) this.arithmeticText(operand, state, sub);
        });
        return;
      }
    }
  }

  /**
   * A compound command's own redirections (`{ …; } > .env`, `while read l; do …; done <<< "$x"`): recorded as a
   * command of their own so their writes count, and a here-string or heredoc of known text feeds the body.
   */
  private compoundRedirects(redirects: Redirect[], state: ShellState, step: Step): Step {
    if (!redirects.length) return step;
    const resolved = this.redirects(redirects, state, step);
    const carrier = this.emit([], [[]], [], state, resolved, step);
    const feed = resolved.find((r) => r.op === '<<<' || r.op === '<<' || r.op === '<<-');
    if (!feed?.text || feed.text.dynamic) return step;
    carrier.output = feed.text.text;
    return { ...step, stdinFrom: carrier };
  }

  /** Run `fn` with the pipe of `step` applied to the commands it emits directly. */
  private withStdin(step: Step, fn: () => void): void {
    const before = this.commands.length;
    fn();
    if (!step.stdinFrom) return;
    for (const c of this.commands.slice(before)) if (c.via.length === step.via.length && !c.stdinFrom) c.stdinFrom = step.stdinFrom;
  }

  private redirects(redirects: Redirect[], state: ShellState, step: Step): ResolvedRedirect[] {
    const sub = this.substitute(step);
    return redirects.map((r) => {
      const target = expandToString(r.target, state, sub);
      const text = r.op === '<<<' ? { ...target, text: `${target.text}\n` } : r.body ? expandToString(r.body, state, sub) : undefined;
      return { op: r.op, fd: r.fd, target, text };
    });
  }

  private simple(cmd: SimpleCommand, state: ShellState, step: Step): void {
    const sub = this.substitute(step);
    const prefix = new Map<string, Field>();
    for (const a of cmd.assigns) {
      if (a.index) expandArithmetic(a.index, state, sub);
      const value: Field = a.array
        ? { text: a.array.flatMap((w) => expandWord(w, state, sub)).map((f) => f.text).join(' '), dynamic: false, glob: false }
        : expandToString(a.value, state, sub);
      if (a.append) {
        value.text = (state.vars.get(a.name) ?? '') + value.text;
        state.budget?.charge(value.text.length);
      }
      prefix.set(a.name, value);
    }
    const argv = isDeclaration(cmd.words[0]) ? expandDeclaration(cmd.words, state, sub) : expandWords(cmd.words, state, sub);
    const redirects = this.redirects(cmd.redirects, state, step);
    if (argv.length === 0) {
      // Assignments alone change the shell's variables.
      for (const [name, value] of prefix) setVar(state, name, value);
      this.emit([], [[]], [], state, redirects, step, state.cwd, [], assignmentsOf(prefix));
      return;
    }
    const name = argv[0].text;
    const layers: Field[][] = [argv];
    if (!argv[0].dynamic && this.functions.has(name)) {
      if (this.callStack.includes(name) || this.callStack.length >= MAX_DEPTH) {
        // A function calling itself: recorded, not followed (fork bombs are recognised from this).
        const call = this.emit(argv, layers, [], state, redirects, step);
        call.recursion = this.callStack.includes(name);
        return;
      }
      const body = this.functions.get(name)!;
      state.budget?.walk();
      const saved = state.positional;
      state.positional = [name, ...argv.slice(1).map((f) => f.text)];
      this.callStack.push(name);
      this.withStdin(step, () => this.command(body, state, { via: [...step.via, `function ${name}`], async: step.async, stdinFrom: step.stdinFrom }));
      this.callStack.pop();
      state.positional = saved;
      this.emit(argv, layers, [], state, redirects, step);
      return;
    }
    this.builtinEffects(argv, state);
    this.pendingAssignments = assignmentsOf(prefix);
    // `T=~ bash -c '… $T'`: prefix assignments are in the environment of whatever the command runs.
    const runState = prefix.size && name !== 'read' ? cloneState(state) : state;
    if (runState !== state) for (const [n, value] of prefix) setVar(runState, n, value);
    this.run(argv, runState, redirects, step, layers, [], []);
  }

  /** `read a b <<< text`: the variables take the known text, split like the shell does. */
  private readInto(argv: Field[], state: ShellState, stdin: string | undefined, ifs = state.vars.get('IFS') ?? ' \t\n'): void {
    const names = argv.slice(1).map((f) => f.text).filter((t, i, all) => !t.startsWith('-') && !(i > 0 && /^-[a-zA-Z]*[dnNptu]$/.test(all[i - 1])));
    if (!names.length) return;
    const line = stdin === undefined ? undefined : stdin.split('\n')[0];
    const values = line === undefined ? [] : splitRead(line, ifs, names.length);
    names.forEach((n, i) => {
      if (line === undefined) setVar(state, n, { text: '', dynamic: true, glob: false });
      else setVar(state, n, { text: values[i] ?? '', dynamic: false, glob: false });
    });
  }

  /** Changes that builtins make to the shell itself: cd, pushd, popd, export, unset, set --. */
  private builtinEffects(argv: Field[], state: ShellState): void {
    const name = argv[0].text;
    if (!SHELL_STATE_BUILTINS.has(name)) return;
    const args = argv.slice(1).filter((f) => !(f.text.startsWith('-') && f.text.length > 1 && name !== 'set'));
    const chdir = (target: Field | undefined) => {
      const old = state.cwd;
      if (!target) state.cwd = state.vars.get('HOME') ?? state.home;
      // An unknown directory (`cd "$(mktemp -d)"`): relative paths after it name nothing known.
      else if (target.dynamic) state.cwd = UNKNOWN_DIR;
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
        if (top) chdir(lit(top));
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

  /** Record a command, peeling wrappers and following whatever it runs in turn. */
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
        this.emit(current, [...layers], [...wrappers], state, redirects, step, cwd, wrapperOptions);
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
    if (current[0].dynamic) return;
    if (DECLARATIONS.has(name) && current.some((f, i) => i > 0 && /^-[a-zA-Z]*i/.test(f.text))) {
      // `declare -i y=$x`: the value is evaluated as arithmetic, and `a[$(cmd)]` in it runs cmd.
      const sub = this.substitute(step);
      for (const f of current.slice(1)) {
        const eq = f.text.indexOf('=');
        if (eq > 0 && !f.dynamic) this.arithmeticText(lit(f.text.slice(eq + 1)), state, sub);
      }
    }
    if (name === 'read') {
      // `IFS=, read a b`: the prefix IFS splits the line, the variables land in this shell.
      const ifs = emitted.assignments.find((a) => a.text.startsWith('IFS='));
      this.readInto(current, state, stdinOf(emitted), ifs && !ifs.dynamic ? ifs.text.slice(4) : undefined);
      return;
    }
    if (!RUNNERS.has(name) && !SHELLS.has(name) && !languageOf(name) && !this.written.has(joinPath(cwd, current[0].text))) return;
    const runState = cwd === state.cwd ? state : { ...cloneState(state), cwd };
    const args = current.slice(1);
    const texts = args.map((f) => f.text);
    const stdin = stdinOf(emitted);
    const inner: Step = { via: step.via, async: step.async, stdinFrom: emitted.stdinFrom };

    if (name === 'eval') {
      if (args.some((f) => f.dynamic)) return;
      this.nested(texts.join(' '), 'eval', runState, inner, undefined, true);
      return;
    }
    if (name === 'let') {
      // `let 'x = a[$(cmd)]'`: each argument is arithmetic, and its substitutions run.
      for (const f of args) {
        const expr = f.dynamic ? null : parseArithmeticText(f.text);
        if (expr) expandArithmetic(expr, runState, this.substitute(inner));
      }
      return;
    }
    if (name === 'trap') {
      // `trap ACTION SIG…` sets ACTION to run later, where no per-command check can see it: judge it now.
      const operands = texts[0] === '--' ? args.slice(1) : args;
      const action = operands.length >= 2 ? operands[0] : undefined;
      if (action && !action.dynamic && !action.text.startsWith('-') && !/^\d+$/.test(action.text)) this.nested(action.text, 'trap', runState, inner, undefined);
      return;
    }
    // A script written earlier on the line with known text, run by path (`./x.sh`).
    const scriptText = this.written.get(joinPath(cwd, current[0].text));
    if (current[0].text.includes('/') && scriptText !== undefined) {
      this.nested(scriptText, current[0].text, runState, inner, null, false, 'sh');
      return;
    }
    if (name === 'source' || name === '.') {
      const file = args[0];
      const text = file?.content ?? (file && /^\/dev\/(stdin|fd\/0)$/.test(file.text) ? stdin : undefined) ?? (file ? this.written.get(joinPath(cwd, file.text)) : undefined);
      if (text !== undefined) this.nested(text, name, runState, inner, undefined, true);
      return;
    }
    const shell = shellInvocation(current);
    if (shell) {
      const script = shell.script !== undefined ? args.find((f) => f.text === shell.script) : undefined;
      emitted.shell = { readsStdin: shell.readsStdin || /^\/dev\/(stdin|fd\/0)$|^-$/.test(shell.script ?? ''), options: shell.options, command: shell.command, script };
      const dialect = dialectOf(shell.shell);
      if (shell.command && !shell.command.dynamic) this.nested(shell.command.text, `${shell.shell} -c`, runState, inner, shell.positional, false, dialect);
      else if (emitted.shell.readsStdin && stdin !== undefined) this.nested(stdin, `${shell.shell} (stdin)`, runState, inner, shell.positional, false, dialect);
      else if (script?.content !== undefined) this.nested(script.content, shell.shell, runState, inner, shell.positional, false, dialect);
      else if (script && this.written.has(joinPath(cwd, script.text))) this.nested(this.written.get(joinPath(cwd, script.text))!, shell.shell, runState, inner, shell.positional, false, dialect);
      return;
    }
    const lang = languageOf(name);
    if (lang) {
      const source = codeSource(name, lang, texts);
      const code = source.code ?? (source.readsStdin && !source.script ? stdin : undefined);
      if (code !== undefined || source.remote) this.code(lang, name, code ?? '', runState, inner, source);
      return;
    }
    switch (name) {
      case 'su': {
        const plan = planSu(texts);
        if (plan.command) {
          const home = homeOf(plan.user, state.home);
          this.nested(plan.command, 'su -c', { ...cloneState(runState), home }, inner, null, false, 'sh');
        }
        return;
      }
      case 'script':
      case 'flock':
      case 'watch':
      case 'npx':
      case 'bunx':
      case 'pnpx':
      case 'pnpm':
      case 'yarn':
      case 'npm': {
        const plan = name === 'script' || name === 'flock' || name === 'watch' ? planCommandRunner(name, texts) : planPackageRunner(name, texts);
        if (plan?.shellText !== undefined) this.nested(plan.shellText, name, runState, inner, null, false, 'sh');
        else if (plan?.argv) this.derived(plan.argv.map(lit), runState, inner, name);
        return;
      }
      case 'xargs':
        this.runItems(planXargs(texts), emitted, runState, inner, 'xargs');
        return;
      case 'find': {
        const plan = planFind(texts, (p) => joinPath(cwd, p));
        const targetFields = plan.targets.map((t) => ({ ...lit(t.glob), glob: true, dotGlob: t.dot }) as Field);
        if (plan.deletes) this.derived([lit('rm'), lit('-r'), ...targetFields], runState, inner, 'find -delete');
        for (const exec of plan.execs) {
          const words = exec.flatMap((w) => (w === '{}' ? targetFields : [lit(w)]));
          this.derived(words, runState, inner, 'find -exec');
        }
        if (plan.prints && plan.targets.length === 1) emitted.outputGlob = plan.targets[0];
        return;
      }
      case 'parallel': {
        const plan = planParallel(texts);
        if ('stdin' in plan) this.runItems(plan.stdin, emitted, runState, inner, 'parallel');
        else for (const argvText of plan.commands) this.derived(argvText.map(lit), runState, inner, 'parallel');
        return;
      }
      case 'ssh': {
        const plan = planSsh(texts);
        if (plan?.command) {
          const user = plan.user ?? (state.home.split('/').pop() || 'root');
          const home = homeOf(user, state.home);
          const remote: ShellState = { vars: new Map([['HOME', home], ['IFS', ' \t\n'], ['PWD', home]]), unset: new Set(), cwd: home, home, positional: null, dirStack: [], remote: plan.host, budget: state.budget };
          this.nested(plan.command, `ssh ${plan.host}`, remote, { ...inner, stdinFrom: undefined }, null, false, 'sh');
        }
        return;
      }
      case 'git':
        this.gitAlias(texts, runState, inner);
        return;
      case 'ls': {
        // `ls | xargs rm` deletes what ls lists: the entries of the directories it is given.
        const operands = args.filter((f) => !f.text.startsWith('-'));
        const [only] = operands;
        // `ls -d ~/*` prints its operands themselves.
        if (texts.some((t) => /^-[a-zA-Z]*d/.test(t))) {
          if (operands.length === 1 && !only.dynamic) emitted.outputGlob = { glob: joinPath(cwd, only.text), dot: !!only.dotGlob };
        } else if (operands.length <= 1) emitted.outputGlob = { glob: `${joinPath(cwd, only?.text ?? '.').replace(/\/$/, '')}/*`, dot: texts.some((t) => /^-[a-zA-Z]*[aA]/.test(t)) };
        return;
      }
    }
  }

  /** Text that the shell evaluates as arithmetic at run time (a `[[ -eq ]]` operand, a `declare -i` value). */
  private arithmeticText(field: Field | undefined, state: ShellState, sub: Substituter): void {
    if (!field || field.dynamic) return;
    const expr = parseArithmeticText(field.text);
    if (expr) expandArithmetic(expr, state, sub);
  }

  /** `git -c alias.x='!cmd' x`: an inline alias runs its text. */
  private gitAlias(args: string[], state: ShellState, step: Step): void {
    const aliases = new Map<string, string>();
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i];
      if (a === '-c') {
        const m = /^alias\.([^=]+)=(.*)$/s.exec(args[i + 1] ?? '');
        if (m) aliases.set(m[1], m[2]);
        i++;
      } else if (a === '-C' || a === '--git-dir' || a === '--work-tree' || a === '--namespace') i++;
      else if (!a.startsWith('-')) break;
    }
    const alias = aliases.get(args[i] ?? '');
    if (alias === undefined) return;
    const rest = args.slice(i + 1).map(quoteForShell).join(' ');
    if (alias.startsWith('!')) this.nested(`${alias.slice(1)} ${rest}`, 'git alias', state, step, null, false, 'sh');
    else this.nested(`git ${alias} ${rest}`, 'git alias', state, step, null);
  }

  /** xargs, or parallel without `:::`: the command once per item read from stdin (or once with an unknown item). */
  private runItems(plan: XargsPlan, emitted: ExecutedCommand, state: ShellState, step: Step, via: string): void {
    const input = plan.fromFile ? undefined : stdinOf(emitted);
    const upstreamGlob = emitted.stdinFrom?.outputGlob;
    const template = plan.command.map(lit);
    if (input !== undefined) {
      // With -I, each input line is one item (blanks inside it included).
      const items = xargsItems(input, plan.replace && plan.delimiter === 'blank' ? '\n' : plan.delimiter);
      state.budget?.charge(0, items.length);
      if (plan.replace) {
        for (const item of items) if (!this.truncated) this.derived(plan.command.map((w) => lit(w.split(plan.replace!).join(item))), state, step, via);
      } else this.derived([...template, ...items.map(lit)], state, step, via);
      return;
    }
    // Unknown input: one unknown argument, shaped like the paths the upstream command prints, if known.
    const unknown: Field = upstreamGlob ? ({ ...lit(upstreamGlob.glob), glob: true, dotGlob: upstreamGlob.dot } as Field) : { text: '', dynamic: true, glob: false };
    const words = plan.replace ? plan.command.map((w) => (w.includes(plan.replace!) ? unknown : lit(w))) : [...template, unknown];
    this.derived(words, state, step, via);
  }

  /** Interpreter code: shell-outs become nested commands; deletes and writes become `rm` and `tee`. */
  private code(lang: ReturnType<typeof languageOf> & string, program: string, code: string, state: ShellState, step: Step, source: CodeSource): void {
    const label = `${program} code`;
    const { code: rest, shellLines } = source.shellBang ? bangLines(code) : { code, shellLines: [] };
    const effects = analyzeCode(lang, rest, { home: state.home, cwd: state.cwd }, 0, source.vars);
    for (const line of [...shellLines, ...effects.shellLines]) this.nested(line, label, state, step, null, false, 'sh');
    for (const argv of effects.argvs) this.derived(argv.map(lit), state, step, label);
    for (const d of effects.deletes) {
      const c = this.derived([lit('rm'), lit(d.recursive ? '-rf' : '-f'), lit(d.path)], state, step, label);
      if (c) c.api = d.api;
    }
    for (const w of effects.writes) {
      const c = this.derived([lit('tee'), { ...lit(w.path), glob: false }], state, step, label);
      if (c) c.api = w.api;
    }
    for (const m of effects.chmods) {
      // A mode that cannot be read is passed on as unknown, which the rules take for one that may open the file up.
      const c = this.derived([lit('chmod'), ...(m.recursive ? [lit('-R')] : []), m.mode ? lit(m.mode) : { text: '', dynamic: true, glob: false }, { ...lit(m.path), glob: false }], state, step, label);
      if (c) c.api = m.api;
    }
    const evals = source.remote ? 'network' : effects.download;
    if (evals) {
      // Marked on a command of its own, so the download rule sees it with the interpreter's stdin.
      const c = this.derived([lit('eval')], state, step, label);
      if (c) {
        c.evalsCode = evals;
        c.api = source.remote ? `runs ${source.script}` : evals === 'network' ? 'eval of downloaded code' : 'eval of stdin';
      }
    }
    if (effects.forkLoop) {
      const c = this.derived([lit(program)], state, step, label);
      if (c) {
        c.forkLoop = true;
        c.api = 'fork';
      }
    }
  }

  /** Record (and follow) a command that another command runs from its arguments. */
  private derived(argv: Field[], state: ShellState, step: Step, label: string): ExecutedCommand | undefined {
    if (argv.length === 0) return undefined;
    if (this.depth >= MAX_DEPTH) {
      this.truncated = true;
      return undefined;
    }
    this.depth++;
    const before = this.commands.length;
    this.builtinEffects(argv, cloneState(state));
    this.run(argv, state, [], { via: [...step.via, label], async: step.async, stdinFrom: step.stdinFrom }, [argv], [], []);
    this.depth--;
    return this.commands[before];
  }

  /** Parse and walk text that a command runs as shell code. */
  private nested(
    text: string, label: string, state: ShellState, step: Step, positional: string[] | null | undefined, sameShell = false,
    dialect: ShellDialect = state.dialect ?? 'bash',
  ): void {
    if (this.depth >= MAX_DEPTH) {
      this.truncated = true;
      return;
    }
    const parsed = parseAs(text, dialect);
    if (!parsed.ok) {
      if (parsed.tooComplex) throw new TooComplex(`${label}: ${parsed.error}`);
      this.unparseable.push({ source: text, error: `${label}: ${parsed.error}` });
      return;
    }
    this.depth++;
    const s = sameShell ? state : cloneState(state);
    if (!sameShell) s.dialect = dialect;
    if (positional !== undefined) s.positional = positional;
    this.withStdin(step, () => this.script(parsed.script, s, { via: [...step.via, label], async: step.async }));
    this.depth--;
  }

  private emit(
    argv: Field[], layers: Field[][], wrappers: string[], state: ShellState, redirects: ResolvedRedirect[],
    step: Step, cwd = state.cwd, wrapperOptions: string[] = [], assignments: Field[] = [],
  ): ExecutedCommand {
    const stdinRedirect = redirects.find((r) => r.op === '<<<' || r.op === '<<' || r.op === '<<-');
    const own = assignments.length ? assignments : this.pendingAssignments;
    this.pendingAssignments = [];
    // Every field present from the start keeps one object shape for all commands (faster property access).
    const command: ExecutedCommand = {
      argv, layers, wrappers, wrapperOptions, cwd, home: state.home, redirects, via: step.via,
      stdinFrom: step.stdinFrom, stdinText: stdinRedirect?.text, async: step.async, assignments: own,
      shell: undefined, recursion: undefined, output: undefined, outputGlob: undefined, remote: state.remote,
      forkLoop: undefined, evalsCode: undefined, api: undefined,
    };
    if (argv.length && STATIC_OUTPUT.has(commandName(argv[0].text)) && !argv.some((f) => f.dynamic)) {
      const output = staticOutput(commandName(argv[0].text), argv.slice(1).map((f) => f.text), cwd, stdinOf(command), this.projectDir);
      if (output !== undefined) command.output = output;
    }
    // Known text written to a file is remembered, so that running that file later on the line is followed.
    for (const r of redirects) {
      if ((r.op === '>' || r.op === '>>' || r.op === '>|') && !r.target.dynamic && command.output !== undefined) {
        const path = joinPath(cwd, r.target.text);
        this.written.set(path, (r.op === '>>' ? this.written.get(path) ?? '' : '') + command.output);
      }
    }
    if (this.commands.length >= MAX_COMMANDS) this.truncated = true;
    else this.commands.push(command);
    return command;
  }
}

/** Text arriving on a command's standard input, when it is known. */
function stdinOf(command: ExecutedCommand): string | undefined {
  if (command.stdinText) return command.stdinText.dynamic ? undefined : command.stdinText.text;
  return command.stdinFrom?.output;
}

function assignmentsOf(prefix: Map<string, Field>): Field[] {
  return [...prefix].map(([name, value]) => ({ ...value, text: `${name}=${value.text}`, glob: false }));
}

/** Expand a list of words into fields (a loop: `flatMap` is slow on this hot path). */
function expandWords(words: Word[], state: ShellState, sub: Substituter): Field[] {
  const out: Field[] = [];
  for (const w of words) for (const f of expandWord(w, state, sub)) out.push(f);
  return out;
}

/** `read`'s split of one line into `count` values: the last takes the rest of the line. */
function splitRead(line: string, ifs: string, count: number): string[] {
  if (ifs === '') return [line];
  if (/^[ \t\n]+$/.test(ifs)) {
    const words = line.trim().split(/[ \t]+/);
    return [...words.slice(0, count - 1), words.slice(count - 1).join(' ')];
  }
  const delimiter = new RegExp(`[${ifs.replace(/[\]\\^-]/g, '\\$&')}]`);
  const values: string[] = [];
  let rest = line;
  while (values.length < count - 1) {
    const m = delimiter.exec(rest);
    if (!m) break;
    values.push(rest.slice(0, m.index).trim());
    rest = rest.slice(m.index + 1);
  }
  values.push(rest.trim());
  return values;
}

const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);

/** `[[ ]]` operators whose operands are arithmetic expressions. */
const ARITHMETIC_TESTS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge']);

/** Is this word literally a declaration builtin, whose `NAME=value` arguments expand like assignments? */
function isDeclaration(word: Word | undefined): boolean {
  const p = word?.parts.length === 1 ? word.parts[0] : undefined;
  return p?.type === 'lit' && DECLARATIONS.has(p.text);
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

