import type { Command, Pipeline, Redirect, Script, SimpleCommand, Word } from './ast.js';
import { expandArithmetic, expandDeclaration, expandToString, expandWord, type Field, type ShellState, type Substituter } from './expand.js';
import { analyzeCode, bangLines, codeSource, languageOf, type CodeSource } from './languages.js';
import { hasToolEscape, toolEscapes } from './tool-escapes.js';
import { Budget, TooComplex } from './limits.js';
import { parse, parseArithmeticText } from './parse.js';
import { homeOf, joinPath } from './paths.js';
import { planFind, planParallel, planXargs, xargsItems, type XargsPlan } from './runners.js';
import { isRunner, planInnerCommand, planRunner, type RunnerHop, type RunnerPlan } from './runner-model.js';
import { resolveCommandWord } from './command-names.js';
import { planGit, recordGitConfig, type GitLineConfig } from './git-config.js';
import { recordScripts, scriptsRun, type LineScripts } from './npm-scripts.js';
import { lookupVar } from './param-ops.js';
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
  /** Runners it was reached through (`uv run`, `docker run`, `ssh`), outermost first, with where each ran it. */
  hops?: readonly RunnerHop[];
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
  /** The command's environment: a variable it does not hold (and the line does not set) is empty, as in bash. */
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
  // The event's environment is the command's own (or none at all): a name it does not set is empty.
  const state: ShellState = { vars, unset: new Set(), closedEnv: true, arrays: new Map(), cwd: context.cwd, home: context.home, positional: null, dirStack: [], budget, dialect: 'bash' };
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
    closedEnv: state.closedEnv,
    unknown: state.unknown ? new Set(state.unknown) : undefined,
    arrays: state.arrays ? new Map(state.arrays) : undefined,
    cwd: state.cwd,
    home: state.home,
    positional: state.positional ? [...state.positional] : null,
    dirStack: [...state.dirStack],
    remote: state.remote,
    hops: state.hops,
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
const STATIC_OUTPUT = new Set(['echo', 'printf', 'pwd', 'dirname', 'basename', 'cat', 'base64', 'xxd', 'rev', 'tr', 'which', 'git', 'realpath', 'readlink']);

/** Builtins that change the shell's own state (directory, variables, positional parameters). */
const SHELL_STATE_BUILTINS = new Set(['cd', 'pushd', 'popd', 'export', 'declare', 'typeset', 'local', 'readonly', 'unset', 'set', 'shift']);

/** Programs that run other code or commands from their arguments or input; everything else is a leaf. */
const RUNNERS = new Set(['eval', 'let', 'trap', 'source', '.', 'xargs', 'find', 'parallel', 'git', 'ls', 'busybox']);

const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

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
  /** git configuration and package.json scripts written earlier on the line. */
  private gitConfig: GitLineConfig = new Map();
  private scripts: LineScripts = new Map();
  /** `alias name=text` and `hash -p path name` given earlier on the line. */
  private aliases = new Map<string, string>();
  private hashed = new Map<string, string>();
  /** Aliases being expanded (an alias naming itself, `alias ls='ls -la'`, runs the command, not the alias again). */
  private expanding = new Set<string>();

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
      case 'loop': {
        // `while read -r d; do …; done <<< "$x"`: one round per line of a known feed, each `read` taking its line.
        const feed = step.stdinFrom?.output;
        if (feed !== undefined && cmd.kind === 'while' && readsLine(cmd.cond)) {
          const lines = feed.split('\n');
          if (lines[lines.length - 1] === '') lines.pop();
          for (const line of lines) {
            state.budget?.walk();
            if (this.truncated) return;
            const carrier = this.emit([], [[]], [], state, [], { ...step, stdinFrom: undefined });
            carrier.output = `${line}\n`;
            const round: Step = { ...step, stdinFrom: carrier, substitute: undefined };
            this.script(cmd.cond, state, round);
            this.script(cmd.body, state, round);
          }
          return;
        }
        this.script(cmd.cond, state, step);
        this.script(cmd.body, state, step);
        return;
      }
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
            setVar(state, cmd.variable, { text: '', dynamic: true, glob: false });
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
    const feed = resolved.find((r) => r.op === '<<<' || r.op === '<<' || r.op === '<<-') ?? this.fileInput(resolved, state.cwd);
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
    const arrays = new Map<string, string[] | undefined>();
    for (const a of cmd.assigns) {
      const index = a.index ? expandArithmetic(a.index, state, sub) : undefined;
      if (a.array) {
        // `a=(x "y z")`, `a+=(w)`: the elements are kept whole; `$a` is element 0.
        const fields = a.array.flatMap((w) => expandWord(w, state, sub));
        const before = a.append ? state.arrays?.get(a.name) ?? (state.vars.has(a.name) ? [state.vars.get(a.name)!] : []) : [];
        const elements = fields.some((f) => f.dynamic) ? undefined : [...before, ...fields.map((f) => f.text)];
        arrays.set(a.name, elements);
        prefix.set(a.name, elements ? { text: elements[0] ?? '', dynamic: false, glob: false } : { text: '', dynamic: true, glob: false });
        continue;
      }
      const value: Field = expandToString(a.value, state, sub);
      if (a.append) {
        value.text = (state.vars.get(a.name) ?? '') + value.text;
        state.budget?.charge(value.text.length);
      }
      const elements = state.arrays?.get(a.name);
      if (a.index && elements) {
        // `a[i]=v` on a known array: that element changes (an unknown index or value makes the array unknown).
        const i = index === undefined ? NaN : Number(index) < 0 ? elements.length + Number(index) : Number(index);
        const next = [...elements];
        if (Number.isInteger(i) && i >= 0 && !value.dynamic) next[i] = value.text;
        arrays.set(a.name, Number.isInteger(i) && i >= 0 && !value.dynamic ? Array.from(next, (e) => e ?? '') : undefined);
        prefix.set(a.name, { text: next[0] ?? '', dynamic: !arrays.get(a.name), glob: false });
        continue;
      }
      prefix.set(a.name, value);
      // `m[k]=v`: the keyed element, read back by `${m[k]}` (an associative array's, or an unknown array's).
      if (a.index) setVar(state, `${a.name}[${a.index.raw}]`, value);
    }
    const argv = isDeclaration(cmd.words[0]) ? expandDeclaration(cmd.words, state, sub) : expandWords(cmd.words, state, sub);
    if (isDeclaration(cmd.words[0])) for (const w of cmd.words) if (w.elements) this.keyedElements(w, state, sub);
    const redirects = this.redirects(cmd.redirects, state, step);
    if (argv.length === 0) {
      // Assignments alone change the shell's variables.
      for (const [name, value] of prefix) setVar(state, name, value);
      for (const [name, elements] of arrays) setArray(state, name, elements);
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

  /** `declare -A m=([k]=v …)`: each `[k]=v` element is kept as the variable `m[k]`, read back by `${m[k]}`. */
  private keyedElements(word: Word, state: ShellState, sub: Substituter): void {
    const name = /^([A-Za-z_][A-Za-z0-9_]*)\+?=/.exec(word.raw)?.[1];
    if (!name) return;
    for (const element of word.elements ?? []) {
      const first = element.parts[0];
      const m = first?.type === 'lit' && !first.quoted ? /^\[([^\]]+)\]=/.exec(first.text) : null;
      if (!m || first?.type !== 'lit') continue;
      // The value is read like an assignment's: a leading `~` expands.
      const rest = first.text.slice(m[0].length);
      const parts = rest ? [{ ...first, text: rest }, ...element.parts.slice(1)] : element.parts.slice(1);
      setVar(state, `${name}[${m[1]}]`, expandToString({ parts, raw: element.raw.slice(m[0].length) }, state, sub));
    }
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
    const nameref = name !== 'export' && argv.some((f, i) => i > 0 && /^-[a-zA-Z]*n/.test(f.text));
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
        // `export $(grep -v '^#' .env | xargs)`: names known only at run time may be set.
        if (args.some((a) => a.dynamic && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(a.text))) state.closedEnv = false;
        for (const a of args) {
          const eq = a.text.indexOf('=');
          if (eq <= 0) continue;
          // A nameref (`declare -n r=HOME`) reads as its target: its value is the target's (as known now).
          if (nameref && !a.dynamic) setVar(state, a.text.slice(0, eq), namedValue(state, a.text.slice(eq + 1)));
          else setVar(state, a.text.slice(0, eq), { text: a.text.slice(eq + 1), dynamic: a.dynamic, glob: false });
        }
        break;
      case 'unset':
        for (const a of args) {
          state.vars.delete(a.text);
          state.unset.add(a.text);
          state.unknown?.delete(a.text);
          state.arrays?.delete(a.text);
        }
        break;
      case 'set':
        if (argv[1]?.text === '--') state.positional = [state.positional?.[0] ?? 'sh', ...argv.slice(2).map((f) => f.text)];
        break;
      case 'shift': {
        const n = argv[1] === undefined ? 1 : /^\d+$/.test(argv[1].text) && !argv[1].dynamic ? Number(argv[1].text) : NaN;
        // An unknown count leaves positionals that cannot be known.
        if (state.positional) state.positional = Number.isNaN(n) ? null : n < state.positional.length ? [state.positional[0], ...state.positional.slice(1 + n)] : state.positional;
        break;
      }
    }
  }

  /** Record a command, peeling wrappers and following whatever it runs in turn. */
  private run(
    argv: Field[], state: ShellState, redirects: ResolvedRedirect[], step: Step,
    layers: Field[][], wrappers: string[], wrapperOptions: string[],
  ): void {
    let current = argv;
    let cwd = state.cwd;
    // An alias defined earlier on the same input is judged as expanded, although bash only expands it on a later
    // line (and in scripts only with expand_aliases): the guard takes the reading that runs more.
    const alias = this.aliases.size && !argv[0].dynamic ? this.aliases.get(argv[0].text) : undefined;
    if (alias !== undefined && !this.expanding.has(argv[0].text)) {
      this.expanding.add(argv[0].text);
      this.emit(argv, layers, wrappers, state, redirects, step, cwd, wrapperOptions);
      this.nested([alias, ...argv.slice(1).map((f) => quoteForShell(f.text))].join(' '), `alias ${argv[0].text}`, state, step, undefined, true);
      this.expanding.delete(argv[0].text);
      return;
    }
    for (let guard = 0; guard < 16; guard++) {
      if (!current[0].dynamic) {
        const resolved = resolveCommandWord(current[0].text, current[0].glob, this.hashed);
        if (resolved !== current[0].text) {
          current = [{ text: resolved, dynamic: false, glob: false }, ...current.slice(1)];
          layers.push(current);
        }
      }
      const u = unwrapOnce(current);
      if (!u) break;
      wrappers.push(u.wrapper);
      for (const o of u.options) wrapperOptions.push(`${u.wrapper}:${o}`);
      if (u.chdir) cwd = joinPath(cwd, u.chdir);
      // `env NAME=value cmd`: the assignments are in the environment of what it runs (GIT_SSH_COMMAND, …).
      if (u.wrapper === 'env' && u.options.some((o) => ENV_ASSIGNMENT.test(o))) {
        state = cloneState(state);
        for (const o of u.options) if (ENV_ASSIGNMENT.test(o)) state.vars.set(o.slice(0, o.indexOf('=')), o.slice(o.indexOf('=') + 1));
      }
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
      const shell = this.emit(layers[layers.length - 1], layers, wrappers, state, redirects, step, cwd, wrapperOptions);
      // `sudo -s` / `sudo -i` with no command start a shell that reads its standard input.
      const sudoShell = wrapperOptions.some((o) => o === 'sudo:-s' || o === 'sudo:-i');
      if (sudoShell && stdinOf(shell) !== undefined) {
        const user = wrapperOptions.find((o) => o.startsWith('sudo:-u='))?.slice(8) ?? 'root';
        this.runner({ hop: { runner: 'sudo -s', where: 'here', user }, lines: [], readsStdin: true, forwardsStdin: false }, [], shell, { ...cloneState(state), cwd }, { via: step.via, async: step.async });
      }
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
    if (name === 'getopts') {
      // The option letter and its argument come from the arguments at run time.
      for (const n of [current[2]?.text, 'OPTARG', 'OPTIND']) if (n) setVar(state, n, { text: '', dynamic: true, glob: false });
      return;
    }
    if (name === 'mapfile' || name === 'readarray') {
      setArrayFromLines(current, state, stdinOf(emitted));
      return;
    }
    if (name === 'printf' && current[1]?.text === '-v') {
      // `printf -v var fmt args`: the formatted text goes into var, not to stdout.
      const target = current[2]?.text;
      if (target && /^[A-Za-z_][A-Za-z0-9_]*$/.test(target)) {
        const rest = current.slice(3);
        const text = rest.length && !rest.some((f) => f.dynamic) ? staticOutput('printf', ['--', ...rest.map((f) => f.text)], cwd, undefined) : undefined;
        setVar(state, target, text === undefined ? { text: '', dynamic: true, glob: false } : lit(text));
      }
      return;
    }
    if (name === 'read') {
      // `IFS=, read a b`: the prefix IFS splits the line, the variables land in this shell.
      const ifs = emitted.assignments.find((a) => a.text.startsWith('IFS='));
      this.readInto(current, state, stdinOf(emitted), ifs && !ifs.dynamic ? ifs.text.slice(4) : undefined);
      return;
    }
    if (name === 'alias' || name === 'unalias' || name === 'hash') {
      this.nameTables(name, current.slice(1));
      return;
    }
    if (hasToolEscape(name)) this.toolEscape(name, current, emitted, state, cwd, step);
    if (!RUNNERS.has(name) && !SHELLS.has(name) && !languageOf(name) && !isRunner(name) && !this.written.has(joinPath(cwd, current[0].text))) {
      // Any other program: a string after its -c/--exec/--run/-- is judged as the command line it may run.
      const guess = current.length > 1 ? planInnerCommand(name, current.slice(1).map((f) => f.text)) : null;
      if (guess) this.runner(guess, current.slice(1), emitted, state, { via: step.via, async: step.async, stdinFrom: emitted.stdinFrom });
      return;
    }
    const runState = cwd === state.cwd ? state : { ...cloneState(state), cwd };
    const args = current.slice(1);
    const texts = args.map((f) => f.text);
    const stdin = stdinOf(emitted);
    const inner: Step = { via: step.via, async: step.async, stdinFrom: emitted.stdinFrom };

    if (name === 'eval') {
      if (args.some((f) => f.dynamic)) {
        // Code known only at run time may set any variable: from here on, names not known are unknown, not empty.
        state.closedEnv = false;
        return;
      }
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
      else state.closedEnv = false; // a file nobody read may set any variable (`source .env`)
      return;
    }
    // `npm pkg set scripts.x=…` earlier on the line, then `npm run x`: the script text runs.
    if (['npm', 'pnpm', 'yarn', 'npx', 'bunx', 'pnpx'].includes(name)) this.packageScripts(name, texts, runState, inner);
    const plan = isRunner(name) ? planRunner(name, texts, cwd) : null;
    if (plan) {
      this.runner(plan, args, emitted, runState, inner);
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
      case 'xargs':
        this.runItems(planXargs(texts), emitted, runState, inner, 'xargs');
        return;
      case 'find': {
        const plan = planFind(texts, (p) => joinPath(cwd, p));
        // A starting point known only at run time: its targets read it as empty, for the unknown-part rule.
        const roots = args.slice(0, Math.max(0, args.findIndex((f, i) => i > 0 && /^[-(!)]/.test(f.text)))).filter((f) => !/^-[HLP]$/.test(f.text));
        const rootUnknown = roots.some((f) => f.dynamic);
        const targetFields = plan.targets.map((t) => ({ ...lit(t.glob), glob: true, dotGlob: t.dot, ...(rootUnknown ? { dynamic: true, tail: '' } : {}) }) as Field);
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
      case 'git':
        this.git(texts, runState, inner, cwd);
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

  /**
   * Follow what a runner runs (runner-model.ts), in the place it runs it: here (as its user), in a container or jail
   * (the container's paths, mapped to the host through its mounts when the effects are judged), or on another machine.
   */
  private runner(plan: RunnerPlan, args: Field[], emitted: ExecutedCommand, state: ShellState, step: Step): void {
    const { hop } = plan;
    const hops = [...(state.hops ?? []), hop];
    let s: ShellState;
    if (hop.where === 'remote') {
      const home = homeOf(hop.user ?? (state.home.split('/').pop() || 'root'), state.home);
      s = { vars: new Map([['HOME', home], ['IFS', ' \t\n'], ['PWD', home]]), unset: new Set(), cwd: hop.workdir ?? home, home, positional: null, dirStack: [], remote: hop.host, hops, budget: state.budget };
    } else {
      s = cloneState(state);
      s.hops = hops;
      if (hop.where === 'container') hop.hostHome = hostHome(state);
      const home = hop.where === 'container' ? '/root' : hop.user !== undefined ? homeOf(hop.user, state.home) : s.home;
      s.home = home;
      s.vars.set('HOME', home);
      if (hop.where === 'container') s.cwd = hop.workdir ?? UNKNOWN_DIR;
      if (plan.chdir !== undefined) s.cwd = joinPath(s.cwd, plan.chdir);
      s.vars.set('PWD', s.cwd);
    }
    const stdin = stdinOf(emitted);
    const feed = !plan.forwardsStdin ? undefined : stdin !== undefined ? { ...emitted, output: stdin } : emitted.stdinFrom;
    const inner: Step = { via: step.via, async: step.async, stdinFrom: feed };
    const text = (w: number | string) => (typeof w === 'number' ? (args[w]?.dynamic ? undefined : args[w]?.text) : w);
    for (const w of plan.lines) {
      const line = text(w);
      // A guessed command line that does not parse is data, not an unparseable command.
      if (line === undefined || (hop.guessed && !parseAs(line, 'sh').ok)) continue;
      this.nested(line, hop.runner, s, inner, null, false, 'sh');
    }
    if (plan.argv?.length) this.derived(plan.argv.map((w) => (typeof w === 'number' ? args[w] ?? lit('') : lit(w))), s, inner, hop.runner);
    if (plan.readsStdin && stdin !== undefined) this.nested(stdin, `${hop.runner} (stdin)`, s, { via: step.via, async: step.async }, null, false, 'sh');
  }

  /** Text that the shell evaluates as arithmetic at run time (a `[[ -eq ]]` operand, a `declare -i` value). */
  private arithmeticText(field: Field | undefined, state: ShellState, sub: Substituter): void {
    if (!field || field.dynamic) return;
    const expr = parseArithmeticText(field.text);
    if (expr) expandArithmetic(expr, state, sub);
  }

  /** git, with the configuration set on the line: what it runs (aliases, editors, hooks …) is followed. */
  private git(args: string[], state: ShellState, step: Step, cwd: string): void {
    const plan = planGit(args, state.vars, this.gitConfig, cwd, joinPath);
    recordGitConfig(args, this.gitConfig);
    for (const line of plan.shellLines) this.nested(line.text, line.label, state, step, null, false, 'sh');
    for (const argv of plan.argvs) this.derived(argv.argv.map(lit), state, step, argv.label);
    for (const hook of plan.hooks) {
      const text = this.written.get(hook);
      if (text !== undefined) this.nested(text, `git hook ${hook}`, state, step, null, false, 'sh');
    }
  }

  /** `alias x='…'`, `unalias x` and `hash -p /bin/rm x` change what a command name runs later on the line. */
  private nameTables(name: string, args: Field[]): void {
    if (args.some((f) => f.dynamic)) return;
    const texts = args.map((f) => f.text);
    if (name === 'hash') {
      const p = texts.indexOf('-p');
      if (p >= 0 && texts[p + 2] !== undefined) this.hashed.set(texts[p + 2], texts[p + 1]);
      return;
    }
    for (const t of texts) {
      if (name === 'unalias') this.aliases.delete(t);
      const eq = t.indexOf('=');
      if (name === 'alias' && eq > 0) this.aliases.set(t.slice(0, eq), t.slice(eq + 1));
    }
  }

  /** `npm pkg set scripts.x=…` then `npm run x`: the script's text runs. */
  private packageScripts(program: string, args: string[], state: ShellState, step: Step): void {
    recordScripts(program, args, this.scripts);
    for (const text of scriptsRun(program, args, this.scripts)) this.nested(text, `${program} script`, state, step, null, false, 'sh');
  }

  /** xargs, or parallel without `:::`: the command once per item read from stdin (or once with an unknown item). */
  private runItems(plan: XargsPlan, emitted: ExecutedCommand, state: ShellState, step: Step, via: string): void {
    // `xargs -a FILE` reads its items from a file: known when the line wrote it.
    const input = plan.fromFile ? (plan.argFile === undefined ? undefined : this.written.get(joinPath(state.cwd, plan.argFile))) : stdinOf(emitted);
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

  /** A tool's own shell escape (`sed e`, `vim -c '!…'`, `sqlite3 .system`, `make -f -`): what it runs is walked as run here. */
  private toolEscape(name: string, argv: Field[], emitted: ExecutedCommand, state: ShellState, cwd: string, step: Step): void {
    const stdinRedirected = emitted.stdinFrom !== undefined || emitted.redirects.some((r) => r.op === '<');
    const call = { args: argv.slice(1).map((f) => (f.dynamic ? '' : f.text)), stdin: stdinOf(emitted), stdinRedirected, readWritten: (p: string) => this.written.get(joinPath(cwd, p)) };
    const found = toolEscapes(name, call);
    if (!found) return;
    const runState = cwd === state.cwd ? state : { ...cloneState(state), cwd };
    for (const line of found.lines) this.nested(line, found.label, runState, { via: step.via, async: step.async }, null, false, 'sh');
    for (const words of found.argvs) this.derived(words.map(lit), runState, { via: step.via, async: step.async, stdinFrom: emitted.stdinFrom }, found.label);
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
    this.withStdin(step, () => this.script(parsed.script, s, { via: [...step.via, label], async: step.async, stdinFrom: step.stdinFrom }));
    this.depth--;
  }

  /** `< file`: the text a command reads from it, when that is known (a `<( )` of known output, a file the line wrote). */
  private fileInput(redirects: ResolvedRedirect[], cwd: string): ResolvedRedirect | undefined {
    const r = redirects.find((x) => x.op === '<' && (x.fd === undefined || x.fd === 0));
    if (!r || r.target.dynamic) return undefined;
    const text = r.target.content ?? this.written.get(joinPath(cwd, r.target.text));
    return text === undefined ? undefined : { ...r, text: lit(text) };
  }

  private emit(
    argv: Field[], layers: Field[][], wrappers: string[], state: ShellState, redirects: ResolvedRedirect[],
    step: Step, cwd = state.cwd, wrapperOptions: string[] = [], assignments: Field[] = [],
  ): ExecutedCommand {
    const stdinRedirect = redirects.find((r) => r.op === '<<<' || r.op === '<<' || r.op === '<<-') ?? this.fileInput(redirects, cwd);
    const own = assignments.length ? assignments : this.pendingAssignments;
    this.pendingAssignments = [];
    // Every field present from the start keeps one object shape for all commands (faster property access).
    const command: ExecutedCommand = {
      argv, layers, wrappers, wrapperOptions, cwd, home: state.hops ? hostHome(state) : state.home, redirects, via: step.via,
      stdinFrom: step.stdinFrom, stdinText: stdinRedirect?.text, async: step.async, assignments: own,
      shell: undefined, recursion: undefined, output: undefined, outputGlob: undefined, remote: state.remote,
      forkLoop: undefined, evalsCode: undefined, api: undefined, hops: state.hops,
    };
    if (argv.length && STATIC_OUTPUT.has(commandName(argv[0].text)) && !argv.some((f) => f.dynamic)) {
      const output = staticOutput(commandName(argv[0].text), argv.slice(1).map((f) => f.text), cwd, stdinOf(command), this.projectDir)
        ?? writtenFileOutput(argv, cwd, this.written);
      if (output !== undefined) command.output = output;
    }
    // `$(< file)` prints the file: known when the line wrote it earlier.
    if (!argv.length && !own.length && redirects.length === 1 && redirects[0].op === '<' && stdinRedirect?.text && !stdinRedirect.text.dynamic) command.output = stdinRedirect.text.text;
    // Known text written to a file is remembered, so that running that file later on the line is followed.
    for (const r of redirects) {
      if ((r.op === '>' || r.op === '>>' || r.op === '>|') && !r.target.dynamic) {
        const path = joinPath(cwd, r.target.text);
        // Text that cannot be known makes the file's content unknown from here on.
        if (command.output === undefined) this.written.delete(path);
        else this.written.set(path, (r.op === '>>' ? this.written.get(path) ?? '' : '') + command.output);
      }
    }
    if (this.commands.length >= MAX_COMMANDS) this.truncated = true;
    else this.commands.push(command);
    return command;
  }
}

/** The home of the machine a command runs on: inside a container its paths are judged as the host's they map to. */
function hostHome(state: ShellState): string {
  const hops = state.hops ?? [];
  for (let i = 0; i < hops.length; i++) if (hops[i].where === 'container') return hops[i].hostHome ?? state.home;
  return state.home;
}

/** `cat FILE…` of files the line wrote with known text: their concatenation. */
function writtenFileOutput(argv: Field[], cwd: string, written: ReadonlyMap<string, string>): string | undefined {
  if (commandName(argv[0].text) !== 'cat' || argv.length < 2) return undefined;
  let out = '';
  for (const f of argv.slice(1)) {
    const text = f.text.startsWith('-') ? undefined : written.get(joinPath(cwd, f.text));
    if (text === undefined) return undefined;
    out += text;
  }
  return out;
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

/** `mapfile [-t] [-d D] [-n N] [-s N] [name]`: the array takes stdin's lines, when stdin is known. */
function setArrayFromLines(argv: Field[], state: ShellState, stdin: string | undefined): void {
  let strip = false;
  let delimiter = '\n';
  let count = 0;
  let skip = 0;
  let name = 'MAPFILE';
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i].text;
    if (a === '-t') strip = true;
    else if (/^-[dnsuCc]$/.test(a)) {
      const v = argv[++i]?.text ?? '';
      if (a === '-d') delimiter = v === '' ? '\0' : v[0];
      if (a === '-n') count = Number(v) || 0;
      if (a === '-s') skip = Number(v) || 0;
    } else if (!a.startsWith('-')) name = a;
  }
  if (stdin === undefined || argv.some((f) => f.dynamic)) {
    setArray(state, name, undefined);
    return;
  }
  const pieces: string[] = [];
  let rest = stdin;
  while (rest !== '') {
    const at = rest.indexOf(delimiter);
    const piece = at < 0 ? rest : rest.slice(0, at + 1);
    rest = at < 0 ? '' : rest.slice(at + 1);
    pieces.push(strip && piece.endsWith(delimiter) ? piece.slice(0, -1) : piece);
  }
  state.budget?.charge(0, pieces.length);
  const kept = pieces.slice(skip);
  setArray(state, name, count > 0 ? kept.slice(0, count) : kept);
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

/** Is a loop condition a plain `read` (what `while read …; do` is)? */
function readsLine(cond: Script): boolean {
  const first = cond.items[0]?.node.first.commands[0];
  const word = first?.type === 'simple' ? first.words[0]?.parts[0] : undefined;
  return cond.items.length === 1 && word?.type === 'lit' && word.text === 'read';
}

const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);

/** `[[ ]]` operators whose operands are arithmetic expressions. */
const ARITHMETIC_TESTS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge']);

/** Is this word literally a declaration builtin, whose `NAME=value` arguments expand like assignments? */
function isDeclaration(word: Word | undefined): boolean {
  const p = word?.parts.length === 1 ? word.parts[0] : undefined;
  return p?.type === 'lit' && DECLARATIONS.has(p.text);
}

/** The value of the variable a nameref points at: unknown unless it is set (or known to be unset) now. */
function namedValue(state: ShellState, target: string): Field {
  const { value, known } = lookupVar(state, target);
  return { text: value ?? '', dynamic: !known, glob: false };
}

/** Set an array's elements (undefined: unknown), and `$name` to element 0. */
function setArray(state: ShellState, name: string, elements: string[] | undefined): void {
  setVar(state, name, elements ? { text: elements[0] ?? '', dynamic: false, glob: false } : { text: '', dynamic: true, glob: false });
  if (elements && elements.length === 0) {
    state.vars.delete(name);
    state.unset.add(name);
  }
  if (elements) (state.arrays ??= new Map()).set(name, elements);
}

function setVar(state: ShellState, name: string, value: Field): void {
  state.arrays?.delete(name);
  if (value.dynamic) {
    state.vars.delete(name);
    state.unset.delete(name);
    (state.unknown ??= new Set()).add(name);
  } else {
    state.vars.set(name, value.text);
    state.unset.delete(name);
    state.unknown?.delete(name);
  }
}

/** Quote a word so that re-parsing gives it back unchanged. */
export function quoteForShell(text: string): string {
  if (/^[A-Za-z0-9_\-./=:@%+,]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

