/**
 * Commands that run other commands from the items they are fed: `xargs`, `find -exec/-delete`, `parallel`.
 * Each reader turns argv into what would run, without running anything (the other runners are the table-driven
 * model of runner-model.ts). Pure.
 */

/** `find`'s matched paths, as a glob over absolute paths (`**` crosses directories). */
export interface FindPlan {
  /** One glob per root: what `{}` stands for. Entries with `dot` also match hidden names. */
  targets: { glob: string; dot: boolean }[];
  /** `-delete` was given. */
  deletes: boolean;
  /** Commands run by `-exec`/`-execdir`/`-ok`, `{}` kept as a word. */
  execs: string[][];
  /** It prints paths (default action, `-print`, `-print0`, `-fprint`). */
  prints: boolean;
}

const FIND_VALUE_TESTS = new Set([
  '-name', '-iname', '-path', '-ipath', '-wholename', '-iwholename', '-regex', '-iregex', '-type', '-xtype', '-user',
  '-group', '-perm', '-size', '-mtime', '-mmin', '-atime', '-amin', '-ctime', '-cmin', '-newer', '-maxdepth',
  '-mindepth', '-uid', '-gid', '-inum', '-links', '-samefile', '-fstype', '-lname', '-ilname', '-printf', '-fprint',
  '-fprint0', '-fprintf', '-used', '-context', '-newermt', '-regextype', '-D', '-O',
]);

/** Read `find ROOTS... EXPRESSION` (roots already resolved to absolute paths by the caller). */
export function planFind(args: string[], resolve: (p: string) => string): FindPlan {
  let i = 0;
  while (i < args.length && /^-[HLP]$/.test(args[i])) i++;
  const roots: string[] = [];
  while (i < args.length && !args[i].startsWith('-') && args[i] !== '(' && args[i] !== '!' && args[i] !== ')') roots.push(args[i++]);
  if (roots.length === 0) roots.push('.');
  const expr = args.slice(i);
  // The filters that matter are those of the branch holding the action: after the last -o before it.
  let branchStart = 0;
  let actionAt = -1;
  const execs: string[][] = [];
  let deletes = false;
  let prints = false;
  for (let j = 0; j < expr.length; j++) {
    const t = expr[j];
    if (t === '-o' || t === '-or') {
      if (actionAt < 0) branchStart = j + 1;
      continue;
    }
    if (t === '-delete') {
      deletes = true;
      if (actionAt < 0) actionAt = j;
    } else if (t === '-exec' || t === '-execdir' || t === '-ok' || t === '-okdir') {
      const cmd: string[] = [];
      let k = j + 1;
      for (; k < expr.length && expr[k] !== ';' && !(expr[k] === '+' && expr[k - 1] === '{}'); k++) cmd.push(expr[k]);
      execs.push(cmd);
      if (actionAt < 0) actionAt = j;
      j = k;
    } else if (t === '-print' || t === '-print0' || t === '-ls' || t === '-fls') {
      prints = true;
    } else if (FIND_VALUE_TESTS.has(t)) j++;
  }
  if (actionAt < 0 && execs.length === 0 && !deletes) prints = true;
  const branch = expr.slice(branchStart, actionAt < 0 ? expr.length : actionAt);
  let name: string | undefined;
  let path: string | undefined;
  let maxdepth: number | undefined;
  let mindepth = 0;
  let regex = false;
  // A negated test narrows the matches but never names them: `! -name '.*'` only leaves hidden names out.
  let negated = false;
  let hiddenExcluded = false;
  for (let j = 0; j < branch.length; j++) {
    const t = branch[j];
    const v = branch[j + 1];
    const not: boolean = negated;
    negated = (t === '!' || t === '-not') && !not;
    if (not) {
      if ((t === '-name' || t === '-iname') && v !== undefined && /^\.\?*\*$/.test(v)) hiddenExcluded = true;
    } else if (t === '-name' || t === '-iname' || t === '-lname') name = v;
    else if (t === '-path' || t === '-ipath' || t === '-wholename' || t === '-iwholename') path = v;
    else if (t === '-regex' || t === '-iregex') regex = true;
    else if (t === '-maxdepth') maxdepth = Number(v);
    else if (t === '-mindepth') mindepth = Number(v);
    if (FIND_VALUE_TESTS.has(t)) j++;
  }
  // Only one level down are hidden entries left out entirely: deeper, find still walks into `.git` and matches what is inside.
  const dot = !(hiddenExcluded && maxdepth === 1);
  const targets = roots.map((r) => {
    const root = resolve(r).replace(/\/$/, '') || '/';
    const base = root === '/' ? '' : root;
    // find names the root as written: `find . ! -name '.*'` leaves `.` itself out, `find /x ! -name '.*'` does not.
    const rootExcluded = hiddenExcluded && (r.replace(/\/+$/, '').split('/').pop() ?? '').startsWith('.');
    if (path !== undefined) return { glob: resolve(path.replace(/^\.\//, `${r.replace(/\/$/, '')}/`)), dot: true };
    if (name !== undefined) return { glob: maxdepth === 1 ? `${base}/${name}` : `${base}/**/${name}`, dot: true };
    if (regex) return { glob: `${base}/**`, dot };
    if (maxdepth === 0) return { glob: root, dot: true };
    if (mindepth >= 1 || rootExcluded) return { glob: maxdepth === 1 ? `${base}/*` : `${base}/**`, dot };
    // No filter: the root itself and everything below it.
    return { glob: root, dot: true };
  });
  return { targets, deletes, execs, prints };
}

/** How `xargs` turns its input into arguments. */
export interface XargsPlan {
  command: string[];
  /** `-0`, `-d X` or whitespace. */
  delimiter: '\0' | '\n' | 'blank' | string;
  /** `-I R`: one command per item with R replaced. */
  replace?: string;
  /** `-a FILE`: items come from a file, not standard input. */
  fromFile: boolean;
  /** The file `-a` names, when given. */
  argFile?: string;
}

const XARGS_VALUE = new Set(['-a', '-d', '-E', '-e', '-I', '-i', '-L', '-l', '-n', '-P', '-s', '--arg-file', '--delimiter', '--eof', '--replace', '--max-lines', '--max-args', '--max-procs', '--max-chars', '--process-slot-var']);

export function planXargs(args: string[]): XargsPlan {
  let delimiter: XargsPlan['delimiter'] = 'blank';
  let replace: string | undefined;
  let fromFile = false;
  let argFile: string | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    const [flag, inline] = a.startsWith('--') ? [a.split('=')[0], a.includes('=') ? a.slice(a.indexOf('=') + 1) : undefined] : [a.slice(0, 2), a.length > 2 ? a.slice(2) : undefined];
    if (flag === '-0' || flag === '--null') {
      delimiter = '\0';
      if (a.length > 2 && !a.startsWith('--')) {
        // combined short options such as -0r
        continue;
      }
      continue;
    }
    let value = inline;
    if (XARGS_VALUE.has(flag) && value === undefined && flag !== '-i' && flag !== '-l' && flag !== '-e') value = args[++i];
    if (flag === '-d' || flag === '--delimiter') delimiter = value === '\\n' ? '\n' : value ?? 'blank';
    if (flag === '-I' || flag === '--replace') replace = value ?? '{}';
    if (flag === '-i') replace = value ?? '{}';
    if (flag === '-a' || flag === '--arg-file') {
      fromFile = true;
      argFile = value;
    }
  }
  const command = args.slice(i);
  return { command: command.length ? command : ['echo'], delimiter, replace, fromFile, argFile };
}

/** Split xargs input into items. */
export function xargsItems(input: string, delimiter: XargsPlan['delimiter']): string[] {
  if (delimiter === '\0') return input.split('\0').filter((s) => s !== '');
  if (delimiter === 'blank') return input.split(/[ \t\n]+/).filter(Boolean).map((s) => s.replace(/^(['"])(.*)\1$/, '$2'));
  return input.split(delimiter).filter((s) => s !== '');
}

/**
 * `parallel [options] command ::: args`: one command per argument, `{}` replaced or the argument appended.
 * Without `:::` it reads its arguments from stdin (one per line), as xargs does: `stdin` says how.
 */
export function planParallel(args: string[]): { commands: string[][] } | { stdin: XargsPlan } {
  const sep = args.indexOf(':::');
  const end = sep < 0 ? args.length : sep;
  const valueOptions = new Set(['-j', '--jobs', '-P', '-S', '--sshlogin', '-n', '--max-args', '--delay', '--timeout', '--joblog', '--results', '--tmpdir', '--colsep', '-d', '--delimiter', '-a', '--arg-file', '-I']);
  let i = 0;
  let replace = '{}';
  let fromFile = false;
  for (; i < end; i++) {
    const a = args[i];
    if (!a.startsWith('-')) break;
    if (a === '-I') replace = args[i + 1] ?? '{}';
    if (a === '-a' || a === '--arg-file' || a.startsWith('--arg-file=')) fromFile = true;
    if (valueOptions.has(a)) i++;
  }
  const template = args.slice(i, end);
  const placed = template.some((w) => w.includes(replace));
  if (sep < 0) return { stdin: { command: template.length ? template : ['echo'], delimiter: '\n', replace: placed ? replace : undefined, fromFile } };
  const items = args.slice(sep + 1).filter((a) => !a.startsWith(':::'));
  if (template.length === 0) return { commands: items.map((item) => [item]) };
  return { commands: items.map((item) => (placed ? template.map((w) => w.split(replace).join(item)) : [...template, item])) };
}
