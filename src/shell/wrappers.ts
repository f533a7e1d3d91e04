import type { Field } from './expand.js';

/** How a command that runs another command (sudo, env, nice ...) takes its own arguments. */
interface WrapperSpec {
  /** Short options that take a value (`-u root`). */
  shortValue: string;
  /** Long options that take a value when not written with `=`. */
  longValue: string[];
  /** Plain arguments of the wrapper itself before the command (`timeout 30 cmd`). */
  positional?: number;
  /** `NAME=value` words before the command are the wrapper's (env). */
  assignments?: boolean;
  /** Options after which the rest is not run as a command (`command -v rm`, `sudo -l`). */
  noExec?: string[];
  /** Old-style numeric option (`nice -10`). */
  numericOption?: boolean;
}

const WRAPPERS: Record<string, WrapperSpec> = {
  sudo: { shortValue: 'CDghpRrtTUu', longValue: ['close-from', 'chdir', 'group', 'host', 'prompt', 'chroot', 'role', 'type', 'command-timeout', 'other-user', 'user'], noExec: ['-l', '--list', '-e', '--edit', '-v', '--validate', '-k', '-K', '-V', '--version', '-h', '--help'] },
  doas: { shortValue: 'uC', longValue: [] },
  env: { shortValue: 'uCS', longValue: ['unset', 'chdir', 'split-string', 'default-signal', 'ignore-signal', 'block-signal'], assignments: true },
  command: { shortValue: '', longValue: [], noExec: ['-v', '-V'] },
  builtin: { shortValue: '', longValue: [] },
  exec: { shortValue: 'a', longValue: [] },
  nohup: { shortValue: '', longValue: [] },
  nice: { shortValue: 'n', longValue: ['adjustment'], numericOption: true },
  ionice: { shortValue: 'cnp', longValue: ['class', 'classdata', 'pid', 'pgid', 'uid'] },
  timeout: { shortValue: 'sk', longValue: ['signal', 'kill-after'], positional: 1 },
  time: { shortValue: 'fo', longValue: ['format', 'output'] },
  stdbuf: { shortValue: 'ioe', longValue: ['input', 'output', 'error'] },
  setsid: { shortValue: '', longValue: [] },
  chronic: { shortValue: '', longValue: [] },
  caffeinate: { shortValue: 'tw', longValue: [] },
  taskset: { shortValue: '', longValue: [], positional: 1 },
  unbuffer: { shortValue: '', longValue: [] },
  torsocks: { shortValue: '', longValue: [] },
  proxychains: { shortValue: 'f', longValue: [] },
  proxychains4: { shortValue: 'f', longValue: [] },
  // `busybox rm -rf /` runs the rm applet (`busybox sh -c` is then read as a shell).
  busybox: { shortValue: '', longValue: [] },
  pkexec: { shortValue: '', longValue: ['user'] },
};

/** The result of peeling one wrapper off a command line. */
export interface Unwrapped {
  wrapper: string;
  /** The command the wrapper runs (empty when it runs none). */
  inner: Field[];
  /** `env -S 'a b'` and similar: text that the wrapper splits into words itself. */
  splitString?: string;
  /** Options of the wrapper that matter to a policy (`-i` of env, the signal of timeout ...). */
  options: string[];
  /** `env -C dir` / `sudo -D dir`: the directory the command runs in. */
  chdir?: string;
}

/** The command name of a word: `/usr/bin/sudo` -> `sudo`. */
export function commandName(word: string): string {
  const i = word.lastIndexOf('/');
  return i >= 0 ? word.slice(i + 1) : word;
}

/** True when `name` is a wrapper this module can peel. */
export function isWrapper(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(WRAPPERS, name);
}

/**
 * Peel one wrapper (sudo, env, nice, timeout ...) off `argv`. Returns null when `argv[0]` is not a wrapper.
 * Only static option syntax is used: the wrapper is never run.
 */
export function unwrapOnce(argv: Field[]): Unwrapped | null {
  if (argv.length === 0) return null;
  const name = commandName(argv[0].text);
  const spec = WRAPPERS[name];
  if (!spec) return null;
  const options: string[] = [];
  let splitString: string | undefined;
  let chdir: string | undefined;
  let i = 1;
  let positional = spec.positional ?? 0;
  for (; i < argv.length; i++) {
    const word = argv[i].text;
    if (word === '--') {
      i++;
      break;
    }
    if (spec.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) {
      options.push(word);
      continue;
    }
    if (word.startsWith('--') && word.length > 2) {
      const eq = word.indexOf('=');
      const long = eq >= 0 ? word.slice(2, eq) : word.slice(2);
      let value = eq >= 0 ? word.slice(eq + 1) : undefined;
      if (value === undefined && spec.longValue.includes(long)) value = argv[++i]?.text ?? '';
      options.push(value === undefined ? `--${long}` : `--${long}=${value}`);
      if (long === 'split-string' && value !== undefined) splitString = value;
      if (long === 'chdir' && value !== undefined) chdir = value;
      if (spec.noExec?.includes(`--${long}`)) return { wrapper: name, inner: [], options };
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      if (spec.numericOption && /^-\d+$/.test(word)) {
        options.push(word);
        continue;
      }
      // Combined short options: the first one that takes a value consumes the rest or the next word.
      for (let j = 1; j < word.length; j++) {
        const opt = word[j];
        if (spec.shortValue.includes(opt)) {
          const rest = word.slice(j + 1);
          const value = rest !== '' ? rest : argv[++i]?.text ?? '';
          options.push(`-${opt}=${value}`);
          if (opt === 'S' && name === 'env') splitString = value;
          if (opt === 'C' && name === 'env') chdir = value;
          if (opt === 'D' && name === 'sudo') chdir = value;
          break;
        }
        options.push(`-${opt}`);
        if (spec.noExec?.includes(`-${opt}`)) return { wrapper: name, inner: [], options };
      }
      continue;
    }
    if (positional > 0) {
      options.push(word);
      positional--;
      continue;
    }
    break;
  }
  return { wrapper: name, inner: argv.slice(i), splitString, options, chdir };
}

/** Names of shells whose `-c` argument is a command line. */
export const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'yash', 'fish', 'busybox', 'tcsh', 'csh']);

/** What a shell invocation runs: a `-c` string, standard input, or a script file. */
export interface ShellInvocation {
  shell: string;
  /** The `-c` command string, when there is one. */
  command?: Field;
  /** `$0`, `$1` ... of the `-c` string. */
  positional: string[];
  /** Shell options given (`-x`, `-e`, `--posix`, `-f` ...). */
  options: string[];
  /** The shell reads commands from standard input (no `-c`, no script file, or `-s`). */
  readsStdin: boolean;
  /** A script file it runs. */
  script?: string;
  /** `-n` / `-o noexec`: the shell only reads the commands for syntax, it runs none of them. */
  noexec?: boolean;
}

/** Read a shell's arguments (`bash -xec 'cmd' name arg`), or null when `argv` is not a shell. */
export function shellInvocation(argv: Field[]): ShellInvocation | null {
  if (argv.length === 0) return null;
  let shell = commandName(argv[0].text);
  let i = 1;
  if (shell === 'busybox') {
    if (!argv[1] || !SHELLS.has(argv[1].text) || argv[1].text === 'busybox') return null;
    shell = argv[1].text;
    i = 2;
  }
  if (!SHELLS.has(shell)) return null;
  const options: string[] = [];
  let hasC = false;
  let hasS = false;
  for (; i < argv.length; i++) {
    const word = argv[i].text;
    if (word === '--' || word === '-') {
      i++;
      break;
    }
    if (word.startsWith('--')) {
      options.push(word);
      if (word === '--rcfile' || word === '--init-file') i++;
      continue;
    }
    if ((word.startsWith('-') || word.startsWith('+')) && word.length > 1) {
      for (const c of word.slice(1)) {
        if (c === 'c') hasC = true;
        else if (c === 's') hasS = true;
        else if (c === 'o' || c === 'O') {
          options.push(`${word[0]}${c} ${argv[i + 1]?.text ?? ''}`);
          i++;
          break;
        } else options.push(`${word[0]}${c}`);
      }
      continue;
    }
    break;
  }
  const rest = argv.slice(i);
  // The last of -n/+n/-o noexec/+o noexec decides; with it set nothing given to the shell runs.
  const noexecOption = options.filter((o) => /^[-+](n|o noexec)$/.test(o)).pop();
  if (noexecOption?.startsWith('-')) return { shell, positional: [shell], options, readsStdin: false, noexec: true };
  if (hasC) {
    const [command, ...args] = rest;
    return { shell, command, positional: args.length ? args.map((a) => a.text) : [shell], options, readsStdin: false };
  }
  if (hasS || rest.length === 0) {
    return { shell, positional: [shell, ...rest.map((a) => a.text)], options, readsStdin: true };
  }
  return { shell, positional: rest.map((a) => a.text), options, readsStdin: false, script: rest[0].text };
}
