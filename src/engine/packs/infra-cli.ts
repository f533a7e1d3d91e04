import type { Field } from '../../shell/expand.js';
import type { CommandFacts, Finding } from '../detectors.js';

/** How one CLI spells its options: which take a value, and whether a single dash starts a whole word. */
export interface CliSpec {
  /** Long option names (without dashes) that take a value (`context`, `namespace`, `profile`). */
  long?: readonly string[];
  /** Short option letters that take a value (`n` for `-n prod`). */
  short?: string;
  /** A single dash starts a whole option word (`-chdir=dir`, `-destroy`), as Go's `flag` package reads them (terraform). */
  singleDashWords?: boolean;
  /**
   * Options that take a value only below a subcommand path (`compose` → `-f file`, `-p name`), since the same letter
   * is a flag elsewhere (`system prune -af`). Keyed by the path's words joined by spaces; a key applies below it too.
   */
  below?: Readonly<Record<string, { short?: string; long?: readonly string[] }>>;
}

/** A CLI's arguments read once: the subcommand path with its arguments, and every option wherever it stood. */
export interface CliLine {
  /** Operands in order: the subcommand path, then its arguments (`delete`, `namespace`, `prod`). */
  words: string[];
  /** Options by name (long name, short letter, or word without its dash); a bare flag is `true`. */
  options: Map<string, (string | true)[]>;
}

/**
 * Reads a CLI's argument list (argv without argv[0]) into its operands and options, whatever order the global and
 * subcommand options stand in: `--opt value`, `--opt=value`, bundled short flags (`-af`), glued short values
 * (`-nprod`), and `--` ending the options. Options not known to take a value are read as flags, so a value the
 * spec does not know becomes an operand after the subcommand path, where it does not move the path.
 */
export function readCli(args: readonly Field[], spec: CliSpec): CliLine {
  const words: string[] = [];
  const options = new Map<string, (string | true)[]>();
  const put = (name: string, value: string | true) => options.set(name, [...(options.get(name) ?? []), value]);
  const scoped = (shortOrLong: 'short' | 'long', name: string) => {
    if (shortOrLong === 'short' ? spec.short?.includes(name) : spec.long?.includes(name)) return true;
    const path = words.join(' ');
    return Object.entries(spec.below ?? {}).some(([key, o]) => (path === key || path.startsWith(`${key} `)) && (shortOrLong === 'short' ? o.short?.includes(name) : o.long?.includes(name)));
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i].text;
    if (a === '--') {
      words.push(...args.slice(i + 1).map((f) => f.text));
      break;
    }
    if (a === '-' || !a.startsWith('-') || /^-\d/.test(a)) {
      words.push(a);
      continue;
    }
    if (a.startsWith('--') || spec.singleDashWords) {
      const body = a.replace(/^--?/, '');
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      const takesValue = scoped('long', name) || (name.length === 1 && scoped('short', name));
      if (eq >= 0) put(name, body.slice(eq + 1));
      else if (takesValue && i + 1 < args.length) put(name, args[++i].text);
      else put(name, true);
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const c = a[k];
      if (scoped('short', c)) {
        const glued = a.slice(k + 1).replace(/^=/, '');
        if (glued) put(c, glued);
        else if (i + 1 < args.length) put(c, args[++i].text);
        else put(c, true);
        break;
      }
      put(c, true);
    }
  }
  return { words, options };
}

/** Asks for help only (`--help`, `help`): nothing runs. */
export const asksHelp = (line: CliLine) => line.options.has('help') || line.words.includes('help');

/** A dry run (`--dry-run`, `--dry-run=client|server`, `--dryrun`): it only reports; `--dry-run=none` runs. */
export function dryRun(line: CliLine): boolean {
  const value = optionValue(line, 'dry-run');
  return value !== undefined ? !/^(none|false|0)$/i.test(value) : flagSet(line, 'dry-run', 'dryrun');
}

/** Is one of these flags set (present and not `=false`/`=0`)? The last spelling given wins, as in the tools. */
export function flagSet(line: CliLine, ...names: string[]): boolean {
  for (const name of names) {
    const values = line.options.get(name);
    if (values?.length) {
      const last = values[values.length - 1];
      if (last === true || !/^(false|0|no)$/i.test(last)) return true;
    }
  }
  return false;
}

/** The last value given to one of these options, when it has one. */
export function optionValue(line: CliLine, ...names: string[]): string | undefined {
  for (const name of names) {
    const last = line.options.get(name)?.at(-1);
    if (typeof last === 'string') return last;
  }
  return undefined;
}

/** Where the command points, for messages: ` (context x, namespace y)`; empty when none is given. */
export function scopeOf(line: CliLine, parts: readonly [label: string, ...names: string[]][]): string {
  const found = parts.flatMap(([label, ...names]) => {
    const v = optionValue(line, ...names);
    return v ? [`${label} ${v}`] : [];
  });
  return found.length ? ` (${found.join(', ')})` : '';
}

const PACKAGE_MANAGERS = new Set(['npm', 'yarn', 'pnpm', 'bun']);

/**
 * The tool a package manager runs as a script of the same name (`yarn cdk destroy`, `npm run cdk -- destroy`,
 * `pnpm run sls remove`): a script named after a tool runs that tool, and the interpreter cannot see the script.
 * Returns the tool and its arguments, or null when the command is not such a call of one of `tools`.
 */
export function scriptTool(facts: CommandFacts, tools: ReadonlySet<string>): { program: string; args: Field[] } | null {
  const argv = facts.command.argv;
  if (!PACKAGE_MANAGERS.has(programOf(facts))) return null;
  let i = 1;
  if (argv[i]?.text === 'run' || argv[i]?.text === 'run-script') i++;
  else if (programOf(facts) === 'npm' || programOf(facts) === 'bun') return null; // `npm cdk` is no call; `bun x` is peeled already
  const tool = argv[i]?.text ?? '';
  if (!tools.has(tool)) return null;
  const args = argv.slice(i + 1);
  return { program: tool, args: args[0]?.text === '--' ? args.slice(1) : args };
}

/** The program's name without its directory. */
export const programOf = (facts: CommandFacts) => facts.command.argv[0]?.text.replace(/^.*\//, '') ?? '';

/** A finding whose subject is the whole command as run. */
export function found(facts: CommandFacts, reason: string): Finding {
  return { reason, subject: facts.command.argv.map((f) => f.text).join(' ') };
}
