/**
 * The reader of runner-table.ts: for a program that runs another program, what it runs (argv, shell lines or a
 * script on stdin) and where (here, a container or jail with its mounts, another machine). Never runs anything. Pure.
 */
import { joinPath } from './paths.js';
import { bwrap, dockerRun, indices, splitLong, type Mount } from './runner-containers.js';
import {
  DATA_PROGRAMS, DOCKER_EXEC_VALUE, INNER_COMMAND_OPTIONS, RUNNER_FAMILIES, RUNNERS, type RunnerSpec, type RunnerWhere,
} from './runner-table.js';

export { hostPathOf, type Mount } from './runner-containers.js';

/** One runner a command was reached through, and where it put the command. */
export interface RunnerHop {
  /** The runner as written, with its subcommand (`uv run`, `docker run`, `tmux send-keys`). */
  runner: string;
  where: RunnerWhere;
  /** For a remote hop: the machine, container or pod. */
  host?: string;
  /** The user it runs as, when the runner names one. */
  user?: string;
  /** For a container or jail: its mounts; any other path is the container's own. */
  mounts?: Mount[];
  /** For a container or jail: the working directory inside (unknown when not given). */
  workdir?: string;
  /** For a container or jail: the home directory of the host it runs on (its paths are judged as the host's). */
  hostHome?: string;
  /** The generic fallback read a string argument of an unknown program as a command line. */
  guessed?: boolean;
}

/** A word of the runner's command: an index into the runner's arguments (keeps what the shell knew of it) or text. */
export type PlanWord = number | string;

/** What a runner runs. */
export interface RunnerPlan {
  hop: RunnerHop;
  /** The command as argv. */
  argv?: PlanWord[];
  /** Command lines it hands to a shell. */
  lines: PlanWord[];
  /** With nothing else to run, it reads a shell script from its standard input. */
  readsStdin: boolean;
  /** Its standard input reaches the command it runs (false for `entr`, detached sessions, `docker exec` without -i). */
  forwardsStdin: boolean;
  /** The directory the command runs in, on the host (`direnv exec DIR`). */
  chdir?: string;
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Quote a word for a shell line that a runner builds from several (`watchexec -- sh -c 'x'`). */
const quote = (w: string): string => (/^[A-Za-z0-9_\-./=:@%+,]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/** True when `name` is a program the runner model reads. */
export function isRunner(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(RUNNERS, name) || Object.prototype.hasOwnProperty.call(RUNNER_FAMILIES, name);
}

/** Read `program args…` with the runner table; null when it is no runner or runs nothing. `cwd` resolves host paths. */
export function planRunner(program: string, args: string[], cwd: string): RunnerPlan | null {
  const spec = RUNNERS[program];
  if (spec && Object.prototype.hasOwnProperty.call(RUNNERS, program)) return readSpec(spec, args, 0, program, cwd);
  const family = Object.prototype.hasOwnProperty.call(RUNNER_FAMILIES, program) ? RUNNER_FAMILIES[program] : undefined;
  if (!family) return null;
  let i = 0;
  for (; i < args.length && args[i].startsWith('-') && args[i] !== '--'; i++) {
    const a = args[i];
    if (a.startsWith('--') ? !a.includes('=') && family.long?.includes(a.slice(2)) : a.length === 2 && family.short?.includes(a[1])) i++;
  }
  const sub = args[i];
  const two = `${sub} ${args[i + 1]}`;
  if (Object.prototype.hasOwnProperty.call(family.subs, two)) return readSpec(family.subs[two], args, i + 2, `${program} ${two}`, cwd);
  if (sub === undefined || !Object.prototype.hasOwnProperty.call(family.subs, sub)) return null;
  return readSpec(family.subs[sub], args, i + 1, `${program} ${sub}`, cwd);
}

/** Read the runner's own options from `args[start]` on, then its command. */
function readSpec(spec: RunnerSpec, args: string[], start: number, runner: string, cwd: string): RunnerPlan | null {
  if (spec.special) return readSpecial(spec, args, start, runner, cwd);
  const lines: PlanWord[] = [];
  let argv: PlanWord[] | undefined;
  let positional = spec.positional ?? 0;
  const positionals: string[] = [];
  let user: string | undefined;
  let sawDash = false;
  let fromFile = false;
  let i = start;
  const takeText = (value: PlanWord | undefined, at: number) => {
    if (value === undefined) return false;
    // `nix develop -c rm -rf x`: the option's value starts the command's argv.
    if (spec.textRest && typeof value === 'number') argv = indices(at, args.length);
    else lines.push(value);
    return spec.textRest === true;
  };
  scan: for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      sawDash = true;
      i++;
      break;
    }
    if (spec.text?.includes(a)) {
      if (takeText(i + 1 < args.length ? i + 1 : undefined, i + 1)) return finish();
      i++;
      continue;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      let value: string | undefined = eq < 0 ? undefined : a.slice(eq + 1);
      if (value !== undefined && spec.text?.includes(name)) {
        lines.push(value);
        continue;
      }
      if (value === undefined && spec.long?.includes(name.slice(2))) value = args[++i];
      if (spec.user?.includes(name)) user = value;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const opt = `-${a[j]}`;
        const glued = j < a.length - 1;
        if (spec.text?.includes(opt)) {
          if (glued) lines.push(a.slice(j + 1));
          else if (takeText(i + 1 < args.length ? i + 1 : undefined, i + 1)) return finish();
          else i++;
          continue scan;
        }
        if (spec.short?.includes(a[j])) {
          const value = glued ? a.slice(j + 1) : args[++i];
          if (spec.user?.includes(opt)) user = value;
          if (opt === spec.fileOption) fromFile = true;
          continue scan;
        }
      }
      continue;
    }
    if (a === '-') continue;
    if (spec.assignments && ASSIGNMENT.test(a)) continue;
    if (spec.userOperand && user === undefined) {
      user = a;
      continue;
    }
    if (positional > 0) {
      positionals.push(a);
      positional--;
      continue;
    }
    if (spec.lines) {
      lines.push(i);
      continue;
    }
    // Operands of the runner itself (`at now + 1 minute`, `mise x node@20 -- cmd`): the command is elsewhere.
    if (spec.noOperands || spec.dashOnly) continue;
    break;
  }
  if (!(spec.dashOnly && !sawDash) && !(spec.noOperands && !sawDash) && i < args.length) {
    if (spec.lines) lines.push(...indices(i, args.length));
    else if (spec.joined) lines.push(i + 1 === args.length ? i : args.slice(i).map(quote).join(' '));
    else argv = indices(i, args.length);
  }
  return finish();

  function finish(): RunnerPlan | null {
    if (spec.envPrefix && argv?.length) {
      // `hatch run test:pytest`: the environment name is not part of the command.
      const m = /^[\w.-]+:(.+)$/.exec(args[argv[0] as number]);
      if (m) argv = [m[1], ...argv.slice(1)];
    }
    if (user === undefined && spec.root) user = 'root';
    const hop: RunnerHop = { runner, where: spec.where ?? 'here' };
    if (user !== undefined) hop.user = user;
    let chdir: string | undefined;
    if (spec.positionalRole === 'chdir' && positionals[0] !== undefined) chdir = positionals[0];
    if (spec.positionalRole === 'root' && positionals[0] !== undefined) {
      hop.mounts = [{ inside: '/', host: joinPath(cwd, positionals[0]), readOnly: false }];
      hop.workdir = '/';
    }
    const readsStdin = spec.stdin === true && !fromFile && !lines.length && !argv;
    const plan: RunnerPlan = { hop, argv, lines, readsStdin, forwardsStdin: true };
    if (chdir !== undefined) plan.chdir = chdir;
    return argv || lines.length || readsStdin || spec.positionalRole === 'root' ? plan : null;
  }
}

function readSpecial(spec: RunnerSpec, args: string[], start: number, runner: string, cwd: string): RunnerPlan | null {
  const rest = args.slice(start);
  const at = (plan: Omit<RunnerPlan, 'hop'> & { hop?: Partial<RunnerHop> }): RunnerPlan => ({ ...plan, hop: { runner, where: spec.where ?? 'here', ...plan.hop } });
  const shift = (words: number[]) => words.map((w) => w + start);
  switch (spec.special) {
    case 'docker-run':
      return dockerRun(rest, cwd, (p) => at({ ...p, argv: p.argv?.map((w) => (typeof w === 'number' ? w + start : w)) }));
    case 'docker-exec': {
      let i = 0;
      let user = 'root';
      let interactive = false;
      let workdir: string | undefined;
      for (; i < rest.length && rest[i].startsWith('-'); i++) {
        const [name, inline] = splitLong(rest[i]);
        const value = inline ?? (DOCKER_EXEC_VALUE.has(name) ? rest[++i] : undefined);
        if (name === '-u' || name === '--user') user = value ?? user;
        else if (name === '-w' || name === '--workdir') workdir = value;
        else if (name === '--interactive' || (!name.startsWith('--') && name.includes('i'))) interactive = true;
      }
      const container = rest[i];
      if (container === undefined || i + 1 >= rest.length) return null;
      return at({ hop: { host: `container ${container}`, user, workdir }, argv: shift(indices(i + 1, rest.length)), lines: [], readsStdin: false, forwardsStdin: interactive });
    }
    case 'kubectl-exec': {
      const dash = rest.indexOf('--');
      let pod: string | undefined;
      let interactive = false;
      const head = dash < 0 ? rest : rest.slice(0, dash);
      for (let i = 0; i < head.length; i++) {
        const a = head[i];
        if (a.startsWith('-')) {
          const [name, inline] = splitLong(a);
          if (inline === undefined && ['-c', '--container', '-n', '--namespace', '-f', '--filename', '--context', '--pod-running-timeout', '--kubeconfig'].includes(name)) i++;
          if (name === '--stdin' || (!name.startsWith('--') && name.includes('i'))) interactive = true;
        } else if (pod === undefined) {
          pod = a;
          if (dash < 0) return at({ hop: { host: `pod ${pod}`, user: 'root' }, argv: shift(indices(i + 1, rest.length)), lines: [], readsStdin: false, forwardsStdin: interactive });
        }
      }
      if (pod === undefined || dash < 0 || dash + 1 >= rest.length) return null;
      return at({ hop: { host: `pod ${pod}`, user: 'root' }, argv: shift(indices(dash + 1, rest.length)), lines: [], readsStdin: false, forwardsStdin: interactive });
    }
    case 'ssh': {
      const plan = planSsh(rest);
      if (!plan) return null;
      // `-n`, alone or among flags (not inside an option's value such as `-oConnectTimeout=5`): stdin is /dev/null.
      const noStdin = rest.some((a) => /^-[1246AaCfGgKkMNqsTtVvXxYy]*n/.test(a));
      return at({ hop: { host: plan.host, user: plan.user }, lines: plan.command ? [plan.command] : [], readsStdin: !plan.command, forwardsStdin: !noStdin });
    }
    case 'vagrant': {
      let machine = 'default';
      const lines: PlanWord[] = [];
      for (let i = 0; i < rest.length; i++) {
        const a = rest[i];
        if (a === '--') break;
        if (a === '-c' || a === '--command') lines.push(start + ++i);
        else if (a.startsWith('--command=')) lines.push(a.slice(10));
        else if (!a.startsWith('-')) machine = a;
      }
      return at({ hop: { host: `vagrant ${machine}`, user: 'vagrant' }, lines, readsStdin: !lines.length, forwardsStdin: true });
    }
    case 'gcloud-ssh': {
      if (rest[0] !== 'ssh') return null;
      let target: string | undefined;
      const lines: PlanWord[] = [];
      for (let i = 1; i < rest.length; i++) {
        const a = rest[i];
        if (a === '--') break;
        if (a === '--command') lines.push(start + ++i);
        else if (a.startsWith('--command=')) lines.push(a.slice(10));
        else if (a.startsWith('--')) {
          if (!a.includes('=') && ['--zone', '--project', '--ssh-key-file', '--ssh-flag', '--container', '--strict-host-key-checking', '--ssh-key-expire-after', '--account'].includes(a)) i++;
        } else if (target === undefined) target = a;
      }
      if (target === undefined) return null;
      const atSign = target.indexOf('@');
      return at({ hop: { host: atSign < 0 ? target : target.slice(atSign + 1), user: atSign < 0 ? undefined : target.slice(0, atSign) }, lines, readsStdin: !lines.length, forwardsStdin: true });
    }
    case 'bwrap':
      return bwrap(rest, cwd, (p) => at({ ...p, argv: p.argv?.map((w) => (typeof w === 'number' ? w + start : w)) }));
    case 'send-keys': {
      const lines: PlanWord[] = [];
      let literal = false;
      let typed = '';
      let i = 0;
      for (; i < rest.length && rest[i].startsWith('-') && rest[i].length > 1; i++) {
        if (/^-[a-zA-Z]*l/.test(rest[i])) literal = true;
        if (/^-[a-zA-Z]*[tN]$/.test(rest[i])) i++;
      }
      // The keys typed form a command line; Enter (or C-m) runs it, C-c and C-u throw it away.
      for (; i < rest.length; i++) {
        const k = rest[i];
        if (!literal && /^(Enter|C-m|C-M|KPEnter|C-j)$/.test(k)) {
          if (typed.trim()) lines.push(typed);
          typed = '';
        } else if (!literal && /^(C-c|C-u|C-C|C-U)$/.test(k)) typed = '';
        else if (!literal && k === 'Space') typed += ' ';
        else if (!literal && /^([CMS]-.|Escape|Tab|BSpace|Up|Down|Left|Right|Home|End|PageUp|PageDown|PPage|NPage|DC|IC|F\d+)$/.test(k)) continue;
        else typed += k;
        // A newline inside the typed text is Enter too.
        const nl = typed.lastIndexOf('\n');
        if (nl >= 0) {
          lines.push(typed.slice(0, nl));
          typed = typed.slice(nl + 1);
        }
      }
      return lines.length ? at({ lines, readsStdin: false, forwardsStdin: false }) : null;
    }
    case 'gdb':
      return gdb(rest, (p) => at({ ...p, argv: p.argv?.map((w) => (typeof w === 'number' ? w + start : w)), lines: p.lines.map((w) => (typeof w === 'number' ? w + start : w)) }));
    case 'corepack':
      // `corepack pnpm dlx x`: the package manager named first is the command.
      return rest.length && /^(npm|npx|pnpm|pnpx|yarn|yarnpkg)$/.test(rest[0]) ? at({ argv: shift(indices(0, rest.length)), lines: [], readsStdin: false, forwardsStdin: true }) : null;
    case 'deno': {
      let i = 0;
      for (; i < rest.length && rest[i].startsWith('-'); i++) {
        if (['-c', '--config', '--import-map', '--lock', '--location', '--seed', '--cert', '-L', '--log-level'].includes(rest[i])) i++;
      }
      const m = /^npm:(@[^/]+\/)?([^@/]+)/.exec(rest[i] ?? '');
      return m ? at({ argv: [m[2], ...shift(indices(i + 1, rest.length))], lines: [], readsStdin: false, forwardsStdin: true }) : null;
    }
    case 'entr': {
      let i = 0;
      let shell = false;
      for (; i < rest.length && rest[i].startsWith('-') && rest[i].length > 1; i++) if (rest[i].includes('s')) shell = true;
      if (i >= rest.length) return null;
      // Its standard input is the list of files to watch, never the command's.
      if (shell) return at({ lines: [start + i], readsStdin: false, forwardsStdin: false });
      return at({ argv: shift(indices(i, rest.length)), lines: [], readsStdin: false, forwardsStdin: false });
    }
  }
  return null;
}

const GDB_VALUE = new Set(['-x', '-ix', '-p', '-cd', '-d', '-s', '-e', '-se', '-c', '-b', '-l', '--pid', '--core', '--exec', '--symbols', '--directory', '--command', '--init-command', '--cd', '--tty', '-tty']);

/** `gdb --args prog…`, `gdb prog -ex run`, `gdb -ex 'shell cmd'` / `-ex '!cmd'`. */
function gdb(args: string[], done: (p: Omit<RunnerPlan, 'hop'>) => RunnerPlan): RunnerPlan | null {
  const lines: PlanWord[] = [];
  let program: number | undefined;
  let runs = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--args' || a === '-args') {
      // The debugged program and its arguments: gdb is there to run it.
      return done({ argv: indices(i + 1, args.length), lines, readsStdin: false, forwardsStdin: true });
    }
    if (/^--?(ex|iex|eval-command|init-eval-command)$/.test(a) || /^--?(eval-command|init-eval-command)=/.test(a)) {
      const text = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i] ?? '';
      const shell = /^\s*(?:shell\s+|!)([\s\S]*)$/.exec(text);
      if (shell) lines.push(shell[1]);
      else if (/^\s*(r|run|start|starti)(\s|$)/.test(text)) runs = true;
      continue;
    }
    if (GDB_VALUE.has(a)) i++;
    else if (!a.startsWith('-') && program === undefined) program = i;
  }
  const argv = runs && program !== undefined ? [program] : undefined;
  return argv || lines.length ? done({ argv, lines, readsStdin: false, forwardsStdin: true }) : null;
}

const SSH_VALUE = new Set('bcDEeFIiJLlmOopQRSWw'.split(''));

/** `ssh [options] [user@]host [command...]`: the host, the remote user and the command, if any. */
export function planSsh(args: string[]): { host: string; user?: string; command?: string } | null {
  let user: string | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      if (SSH_VALUE.has(a[j])) {
        const value = j === a.length - 1 ? args[++i] : a.slice(j + 1);
        if (a[j] === 'l') user = value;
        break;
      }
    }
  }
  const target = args[i];
  if (!target) return null;
  const at = target.lastIndexOf('@');
  const host = at >= 0 ? target.slice(at + 1) : target;
  if (at >= 0) user = target.slice(0, at).replace(/^ssh:\/\//, '');
  const rest = args.slice(i + 1);
  return { host, user, command: rest.length ? rest.join(' ') : undefined };
}

/**
 * The generic fallback: a string argument of any other program after `-c`, `--command`, `--exec`, `--run` or `--`,
 * read as the command line it may run. Data programs (echo, grep, git, jq …) are left alone. The caller judges what
 * it finds only when it would be denied.
 */
export function planInnerCommand(program: string, args: string[]): RunnerPlan | null {
  if (DATA_PROGRAMS.has(program)) return null;
  const lines: PlanWord[] = [];
  let argv: PlanWord[] | undefined;
  let opt = '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      if (i + 2 === args.length) lines.push(i + 1);
      else if (i + 1 < args.length) argv = indices(i + 1, args.length);
      opt ||= '--';
      break;
    }
    if (INNER_COMMAND_OPTIONS.has(a) && i + 1 < args.length) {
      lines.push(++i);
      opt ||= a;
      continue;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0 && INNER_COMMAND_OPTIONS.has(a.slice(0, eq))) {
      lines.push(a.slice(eq + 1));
      opt ||= a.slice(0, eq);
    }
  }
  if (!lines.length && !argv) return null;
  return { hop: { runner: `${program} ${opt}`, where: 'here', guessed: true }, argv, lines, readsStdin: false, forwardsStdin: false };
}
