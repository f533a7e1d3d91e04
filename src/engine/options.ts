/**
 * How common commands spell their options, so that `rm -rf`, `rm -r -f` and `rm --recursive --force`
 * compare equal, options taking a value do not swallow operands, and abbreviated long options resolve.
 */

/** Option syntax of one command (or git subcommand). */
export interface OptionSpec {
  /** Short options that take a value (`-C dir`). */
  valueShort?: string;
  /** Long options that take a value when written without `=`. */
  valueLong?: string[];
  /** Long option -> canonical short letter (`recursive` -> `r`). */
  long?: Record<string, string>;
  /** Short letter -> canonical letter (`R` -> `r`). */
  shortAlias?: Record<string, string>;
  /** Every long option the command knows, for resolving unique abbreviations (`--mir` -> `--mirror`). */
  knownLong?: string[];
  /** Subcommands with their own options (git). */
  subcommands?: Record<string, OptionSpec>;
}

const GIT_PUSH: OptionSpec = {
  valueShort: 'o',
  valueLong: ['repo', 'receive-pack', 'exec', 'push-option', 'signed'],
  long: { force: 'f', 'dry-run': 'n', 'set-upstream': 'u', verbose: 'v', quiet: 'q', delete: 'd' },
  knownLong: [
    'all', 'branches', 'mirror', 'tags', 'follow-tags', 'atomic', 'force', 'force-with-lease', 'force-if-includes',
    'no-force-with-lease', 'no-force-if-includes', 'dry-run', 'porcelain', 'delete', 'prune', 'set-upstream',
    'verbose', 'quiet', 'progress', 'no-verify', 'verify', 'thin', 'no-thin', 'signed', 'no-signed',
    'recurse-submodules', 'repo', 'receive-pack', 'exec', 'push-option', 'ipv4', 'ipv6',
  ],
};

const GIT_RESET: OptionSpec = {
  long: { quiet: 'q', patch: 'p' },
  knownLong: ['soft', 'mixed', 'hard', 'merge', 'keep', 'quiet', 'patch', 'no-refresh', 'refresh', 'recurse-submodules', 'no-recurse-submodules', 'pathspec-from-file', 'pathspec-file-nul', 'intent-to-add'],
};

const GIT_CLEAN: OptionSpec = {
  valueShort: 'e',
  valueLong: ['exclude'],
  long: { force: 'f', 'dry-run': 'n', quiet: 'q', interactive: 'i', exclude: 'e' },
  knownLong: ['force', 'dry-run', 'quiet', 'interactive', 'exclude'],
};

/** Option tables of the commands the built-in rules care about. */
export const OPTION_SPECS: Record<string, OptionSpec> = {
  rm: {
    long: { recursive: 'r', force: 'f', dir: 'd', verbose: 'v' },
    shortAlias: { R: 'r' },
    knownLong: ['recursive', 'force', 'dir', 'verbose', 'interactive', 'one-file-system', 'no-preserve-root', 'preserve-root', 'help', 'version'],
  },
  chmod: {
    valueLong: ['reference'],
    long: { recursive: 'R', verbose: 'v', changes: 'c', silent: 'f', quiet: 'f' },
    knownLong: ['recursive', 'verbose', 'changes', 'silent', 'quiet', 'reference', 'preserve-root', 'no-preserve-root'],
  },
  chown: {
    valueLong: ['reference', 'from'],
    long: { recursive: 'R', verbose: 'v', changes: 'c', silent: 'f', quiet: 'f' },
  },
  cp: { valueShort: 'St', valueLong: ['target-directory', 'suffix'], long: { recursive: 'r', force: 'f' }, shortAlias: { R: 'r' } },
  mv: { valueShort: 'St', valueLong: ['target-directory', 'suffix'], long: { force: 'f' } },
  kill: { valueShort: 'sn', valueLong: ['signal'], long: { signal: 's' } },
  pkill: { valueShort: 'gGPsuUtF', valueLong: ['signal', 'group', 'parent', 'session', 'euid', 'uid', 'terminal', 'pidfile', 'ns', 'nslist'] },
  killall: { valueShort: 'soyu', valueLong: ['signal', 'older-than', 'younger-than', 'user'], long: { signal: 's' } },
  git: {
    valueShort: 'Cc',
    valueLong: ['git-dir', 'work-tree', 'namespace', 'exec-path', 'super-prefix', 'config-env', 'list-cmds'],
    subcommands: {
      push: GIT_PUSH,
      reset: GIT_RESET,
      clean: GIT_CLEAN,
      rm: { long: { force: 'f', recursive: 'r', quiet: 'q', 'dry-run': 'n' }, knownLong: ['force', 'cached', 'recursive', 'quiet', 'dry-run', 'ignore-unmatch', 'sparse', 'pathspec-from-file', 'pathspec-file-nul'] },
      commit: { valueShort: 'mFCcut', valueLong: ['message', 'file', 'reuse-message', 'reedit-message', 'fixup', 'squash', 'author', 'date', 'template', 'cleanup', 'trailer'] },
      tag: { valueShort: 'mFu', valueLong: ['message', 'file', 'local-user', 'cleanup'] },
      log: { valueShort: 'n', valueLong: ['grep', 'author', 'committer', 'since', 'until', 'format', 'pretty', 'max-count'] },
      checkout: { valueShort: 'bB', valueLong: ['orphan', 'conflict', 'pathspec-from-file'], long: { force: 'f', patch: 'p' } },
      switch: { valueShort: 'cC', valueLong: ['create', 'force-create', 'orphan', 'conflict'], long: { force: 'f', create: 'c' } },
      restore: { valueShort: 's', valueLong: ['source', 'conflict', 'pathspec-from-file'], long: { source: 's', staged: 'S', worktree: 'W', patch: 'p' } },
      branch: { long: { delete: 'd', force: 'f' } },
    },
  },
};

/** A command line reduced to what patterns compare: program, operands in order, and canonical options. */
export interface NormalizedCommand {
  name: string;
  operands: string[];
  /** Canonical option spellings: `-r`, `--force-with-lease`. */
  options: Set<string>;
}

/** The program name of a word: `/usr/bin/rm` -> `rm`. */
export function programName(word: string): string {
  const i = word.lastIndexOf('/');
  return i >= 0 ? word.slice(i + 1) : word;
}

/** Normalise an argv for word-wise comparison, using the command's option table where it has one. */
export function normalizeArgv(argv: readonly string[]): NormalizedCommand {
  const name = programName(argv[0] ?? '');
  const options = new Set<string>();
  const operands: string[] = [];
  let spec: OptionSpec | undefined = OPTION_SPECS[name];
  let endOfOptions = false;
  let sawSubcommand = false;
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i];
    if (endOfOptions || word === '-' || !word.startsWith('-')) {
      operands.push(word);
      // The first operand of git is its subcommand, which has its own options.
      if (!sawSubcommand && spec?.subcommands) {
        sawSubcommand = true;
        spec = spec.subcommands[word] ?? {};
      }
      continue;
    }
    if (word === '--') {
      endOfOptions = true;
      continue;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      let long = eq >= 0 ? word.slice(2, eq) : word.slice(2);
      long = resolveAbbreviation(long, spec);
      if (eq < 0 && spec?.valueLong?.includes(long)) i++;
      const short = spec?.long?.[long];
      options.add(short ? `-${canonicalShort(short, spec)}` : `--${long}`);
      continue;
    }
    // Short options, possibly combined (`-rf`); one that takes a value ends the group.
    for (let j = 1; j < word.length; j++) {
      const letter = word[j];
      options.add(`-${canonicalShort(letter, spec)}`);
      if (spec?.valueShort?.includes(letter)) {
        if (j === word.length - 1) i++;
        break;
      }
    }
  }
  return { name, operands, options };
}

function canonicalShort(letter: string, spec: OptionSpec | undefined): string {
  return spec?.shortAlias?.[letter] ?? letter;
}

/** Expand a unique prefix of a known long option (as git and GNU getopt do); exact names win. */
export function resolveAbbreviation(long: string, spec: OptionSpec | undefined): string {
  const known = spec?.knownLong ?? (spec?.long ? Object.keys(spec.long) : undefined);
  if (!known || known.includes(long)) return long;
  const candidates = known.filter((k) => k.startsWith(long));
  return candidates.length === 1 ? candidates[0] : long;
}
