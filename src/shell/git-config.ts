/**
 * git configured on the same line: `git config` and `git remote add --mirror` earlier on the line, `git -c k=v`,
 * `GIT_CONFIG_COUNT`/`KEY_n`/`VALUE_n` and the `GIT_*` variables decide what a later git command runs: an alias, an
 * ssh command, an editor, a pager, an fsmonitor hook, hooks, `submodule foreach`, `rebase --exec`, `bisect run`, and
 * whether `clean` and `push` act as if forced. Pure: the interpreter runs what the plan lists.
 */

/** Configuration keys as git compares them: section and variable name are case-insensitive, a subsection is not. */
function normalKey(key: string): string {
  const first = key.indexOf('.');
  const last = key.lastIndexOf('.');
  if (first < 0) return key.toLowerCase();
  if (first === last) return key.toLowerCase();
  return `${key.slice(0, first).toLowerCase()}${key.slice(first, last)}${key.slice(last).toLowerCase()}`;
}

/** What a git command line runs besides git itself, and git commands it amounts to. */
export interface GitPlan {
  /** Shell command lines git hands to `sh -c` (aliases with `!`, editors, pagers, `foreach`, `--exec`). */
  shellLines: { text: string; label: string }[];
  /** Commands git runs as argv (`bisect run`, `GIT_SSH`), or the git command an alias or a setting turns it into. */
  argvs: { argv: string[]; label: string }[];
  /** Hook scripts git runs from the configured hooks directory, by absolute path (the caller knows which were written). */
  hooks: string[];
}

/** Global options of git that take a value as the next word. */
const GLOBAL_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--super-prefix', '--config-env']);

/** Subcommands built into git: an alias with the same name is ignored. */
const BUILTIN = new Set([
  'add', 'am', 'apply', 'bisect', 'blame', 'branch', 'checkout', 'cherry-pick', 'clean', 'clone', 'commit', 'config',
  'diff', 'fetch', 'grep', 'init', 'log', 'merge', 'mv', 'notes', 'pull', 'push', 'rebase', 'remote', 'reset', 'restore',
  'revert', 'rm', 'show', 'stash', 'status', 'submodule', 'switch', 'tag', 'worktree', 'gc', 'reflog', 'describe',
]);

const TALKS_TO_REMOTES = new Set(['fetch', 'pull', 'push', 'clone', 'ls-remote', 'remote', 'submodule', 'archive']);
const OPENS_EDITOR = new Set(['commit', 'merge', 'tag', 'revert', 'notes', 'cherry-pick', 'rebase', 'pull']);
const PAGES = new Set(['log', 'diff', 'show', 'branch', 'blame', 'grep', 'shortlog', 'reflog', 'whatchanged', 'tag', 'help', 'stash']);
/** Subcommands that never refresh the index, so an fsmonitor hook does not run. */
const NO_INDEX = new Set(['config', 'clone', 'init', 'help', 'version', 'remote', 'ls-remote', 'bisect']);
/** The hooks a subcommand runs. */
const HOOKS: Record<string, string[]> = {
  commit: ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit'],
  merge: ['pre-merge-commit', 'prepare-commit-msg', 'commit-msg', 'post-merge'],
  pull: ['post-merge'],
  push: ['pre-push'],
  checkout: ['post-checkout'],
  switch: ['post-checkout'],
  rebase: ['pre-rebase', 'post-rewrite'],
  am: ['applypatch-msg', 'pre-applypatch', 'post-applypatch'],
  clone: ['post-checkout'],
};
const BOOL = /^(true|false|yes|no|on|off|1|0|)$/i;

/** The configuration the line has written so far (`git config k v` earlier on it), shared by later git commands. */
export type GitLineConfig = Map<string, string>;

/** Where git's own options end: the subcommand's index, the `-c` settings and the working directory options. */
function globals(args: string[]): { index: number; settings: [string, string][]; workTree?: string; chdir: string[] } {
  const settings: [string, string][] = [];
  const chdir: string[] = [];
  let workTree: string | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '-c') {
      const v = args[i + 1] ?? '';
      const eq = v.indexOf('=');
      // `-c key` alone sets it to true.
      settings.push(eq < 0 ? [normalKey(v), 'true'] : [normalKey(v.slice(0, eq)), v.slice(eq + 1)]);
    } else if (a === '-C') chdir.push(args[i + 1] ?? '.');
    else if (a === '--work-tree') workTree = args[i + 1];
    else if (a.startsWith('--work-tree=')) workTree = a.slice(12);
    if (GLOBAL_VALUE.has(a)) {
      i++;
      continue;
    }
    if (!a.startsWith('-')) break;
  }
  return { index: i, settings, workTree, chdir };
}

/** Record what `git config …` or `git remote add --mirror …` writes into the configuration. */
export function recordGitConfig(args: string[], config: GitLineConfig): void {
  const { index } = globals(args);
  const sub = args[index];
  let rest = args.slice(index + 1);
  if (sub === 'remote' && rest[0] === 'add') {
    const mirror = rest.some((r) => r === '--mirror' || r.startsWith('--mirror='));
    const name = rest.slice(1).filter((r) => !r.startsWith('-'))[0];
    if (mirror && name) config.set(`remote.${name}.mirror`, 'true');
    return;
  }
  if (sub !== 'config') return;
  if (rest[0] === 'set') rest = rest.slice(1);
  const operands: string[] = [];
  for (let j = 0; j < rest.length; j++) {
    const r = rest[j];
    if (r === '-f' || r === '--file' || r === '--blob' || r === '--type' || r === '--default' || r === '--comment') j++;
    else if (/^--(unset|unset-all|get|get-all|get-regexp|list|edit|remove-section|rename-section)$/.test(r) || r === '-l' || r === '-e') return;
    else if (!r.startsWith('-') || r === '-') operands.push(r);
  }
  if (operands.length >= 2) config.set(normalKey(operands[0]), operands[1]);
}

/** Settings from `GIT_CONFIG_COUNT` and `GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n` in the environment. */
function environmentSettings(vars: Map<string, string>): [string, string][] {
  const count = Number(vars.get('GIT_CONFIG_COUNT') ?? '0');
  const out: [string, string][] = [];
  for (let n = 0; n < Math.min(count, 64); n++) {
    const key = vars.get(`GIT_CONFIG_KEY_${n}`);
    if (key) out.push([normalKey(key), vars.get(`GIT_CONFIG_VALUE_${n}`) ?? '']);
  }
  return out;
}

/** What a git command runs, given the configuration set on the line so far and its environment. */
export function planGit(args: string[], vars: Map<string, string>, lineConfig: GitLineConfig, cwd: string, join: (dir: string, p: string) => string): GitPlan {
  const plan: GitPlan = { shellLines: [], argvs: [], hooks: [] };
  const g = globals(args);
  const config = new Map(lineConfig);
  for (const [k, v] of environmentSettings(vars)) config.set(k, v);
  for (const [k, v] of g.settings) config.set(k, v);
  const sub = args[g.index];
  if (sub === undefined) return plan;
  const rest = args.slice(g.index + 1);
  if (rest.includes('--help') || rest.includes('-h')) return plan;
  const inlineSettings = g.settings.flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const alias = BUILTIN.has(sub) ? undefined : config.get(normalKey(`alias.${sub}`));
  if (alias !== undefined) {
    const quoted = rest.map(quote).join(' ');
    if (alias.startsWith('!')) plan.shellLines.push({ text: `${alias.slice(1)} ${quoted}`, label: 'git alias' });
    // The alias's words replace the subcommand; `-c` settings still apply to it.
    else plan.shellLines.push({ text: ['git', ...inlineSettings.map(quote), alias, quoted].join(' '), label: 'git alias' });
    return plan;
  }
  const editor = vars.get('GIT_EDITOR') ?? config.get('core.editor') ?? vars.get('VISUAL') ?? vars.get('EDITOR');
  const runText = (text: string | undefined, label: string) => {
    if (text !== undefined && text.trim() !== '') plan.shellLines.push({ text, label });
  };
  if (TALKS_TO_REMOTES.has(sub)) {
    runText(vars.get('GIT_SSH_COMMAND') ?? config.get('core.sshcommand'), 'git ssh command');
    const ssh = vars.get('GIT_SSH');
    if (ssh) plan.argvs.push({ argv: [ssh], label: 'GIT_SSH' });
  }
  const interactive = rest.some((r) => r === '-i' || r === '--interactive' || r === '--edit-todo' || /^-[a-zA-Z]*i[a-zA-Z]*$/.test(r));
  if (OPENS_EDITOR.has(sub) && !rest.some((r) => r === '--no-edit') && (sub !== 'rebase' || interactive)) runText(editor, 'git editor');
  if (sub === 'rebase' && interactive) runText(vars.get('GIT_SEQUENCE_EDITOR') ?? config.get('sequence.editor'), 'git sequence editor');
  if (PAGES.has(sub) && !args.slice(0, g.index).includes('--no-pager') && !args.slice(0, g.index).includes('-P')) {
    const own = config.get(`pager.${sub}`);
    runText(vars.get('GIT_PAGER') ?? (own !== undefined && !BOOL.test(own) ? own : undefined) ?? config.get('core.pager') ?? vars.get('PAGER'), 'git pager');
  }
  const fsmonitor = config.get('core.fsmonitor');
  if (fsmonitor !== undefined && !BOOL.test(fsmonitor) && !NO_INDEX.has(sub)) runText(fsmonitor, 'git fsmonitor');
  const hooksPath = config.get('core.hookspath');
  if (hooksPath !== undefined) {
    const base = join(g.workTree ? join(cwd, g.workTree) : g.chdir.reduce(join, cwd), hooksPath);
    for (const h of HOOKS[sub] ?? []) plan.hooks.push(join(base, h));
  }
  switch (sub) {
    case 'submodule': {
      const at = rest.indexOf('foreach');
      if (at < 0) break;
      const words = rest.slice(at + 1).filter((w, k, all) => !(/^(--recursive|--quiet|-q)$/.test(w) && all.slice(0, k).every((x) => x.startsWith('-'))));
      // git runs `sh -c "$*"`: one argument is a shell line, several are joined with spaces.
      if (words.length) plan.shellLines.push({ text: words.join(' '), label: 'git submodule foreach' });
      break;
    }
    case 'rebase':
      for (let j = 0; j < rest.length; j++) {
        const r = rest[j];
        if (r === '--exec' || r === '-x') runText(rest[++j], 'git rebase --exec');
        else if (r.startsWith('--exec=')) runText(r.slice(7), 'git rebase --exec');
        else if (/^-x./.test(r)) runText(r.slice(2), 'git rebase --exec');
      }
      break;
    case 'bisect':
      if (rest[0] === 'run' && rest.length > 1) plan.argvs.push({ argv: rest.slice(1), label: 'git bisect run' });
      break;
    case 'clean': {
      const requireForce = config.get('clean.requireforce');
      const asked = rest.some((r) => r === '--force' || r === '-n' || r === '--dry-run' || r === '-i' || r === '--interactive' || /^-[a-zA-Z]*[fni]/.test(r));
      // With requireForce off, a clean without -f deletes as if forced.
      if (requireForce !== undefined && /^(false|no|off|0)$/i.test(requireForce) && !asked) plan.argvs.push({ argv: ['git', ...args.slice(0, g.index), 'clean', '-f', ...rest], label: 'clean.requireForce=false' });
      break;
    }
    case 'push': {
      const remote = rest.find((r) => !r.startsWith('-')) ?? 'origin';
      const mirror = config.get(`remote.${remote}.mirror`);
      const pushSpec = config.get(`remote.${remote}.push`);
      const forced = (mirror !== undefined && /^(true|yes|on|1)$/i.test(mirror)) || (pushSpec?.startsWith('+') ?? false);
      if (forced && !rest.some((r) => r === '--force' || r === '--mirror')) plan.argvs.push({ argv: ['git', ...args.slice(0, g.index), 'push', '--force', ...rest], label: `remote.${remote} configured to force` });
      break;
    }
  }
  return plan;
}

function quote(text: string): string {
  if (/^[A-Za-z0-9_\-./=:@%+,]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
