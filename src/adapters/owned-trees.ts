import picomatch from 'picomatch/posix.js';

/** What happened to a path, as the watcher sees it (inotify says what changed, never who changed it). */
export type Change = 'create' | 'write' | 'delete';

/**
 * How a change inside an owned tree is judged:
 * - `bookkeeping`: the owner tool does this all the time as it works; not a violation, whoever did it;
 * - `owner-at-work`: not a violation while the owner is visibly at work in the tree (its bookkeeping changes
 *   seen moments ago, or an owner process running): what it creates, repacks and prunes as it goes;
 * - `owner-only`: a violation unless it is the owner's own doing (an owner process running, or the file
 *   replaced whole as the owner replaces it): files that change what the owner runs;
 * - `violation`: judged by the policy as any protected path (nobody's normal work does this).
 */
export type Ownership = 'bookkeeping' | 'owner-at-work' | 'owner-only' | 'violation';

/** One line of an owned tree's table: the first line whose paths and changes match decides. */
export interface OwnedEntry {
  /** Globs relative to the tree's directory ('' is the directory itself). */
  paths: string[];
  changes: Change[];
  as: Ownership;
}

/** A protected directory that a tool maintains itself (git owns `.git`). */
export interface OwnedTree {
  /** Relative to the project root. */
  dir: string;
  /** Program names of the owner (comm or argv[0]; `git` also covers `git-*` helpers). */
  owners: string[];
  /**
   * Files the owner only ever replaces whole (git writes `config.lock` and renames it over `config`): a change
   * that put a new file in place is the owner's protocol, while a write into the same file is not.
   */
  replacedWhole: string[];
  entries: OwnedEntry[];
  /** Anything no entry matches. */
  otherwise: Ownership;
  /**
   * The owner's subcommands that write the project's working tree (git checkout, merge, stash, ...): while one
   * runs there, its changes to protected files in the tree (a tracked `.env.example`, `.agentfirewall/config.yaml`)
   * are its work, already judged as a command line before it ran.
   */
  workTreeWriters: string[];
  /** Bookkeeping files the owner writes when it has just rewritten the working tree (git moves HEAD). */
  workTreeMarks: string[];
}

const ALL: Change[] = ['create', 'write', 'delete'];

/**
 * git and `.git`: the command layer already lets git run; this is the same judgement for what git leaves on
 * disk. Removing the repository, its HEAD, config, object store or ref namespaces is never bookkeeping.
 */
export const GIT_TREE: OwnedTree = {
  dir: '.git',
  owners: ['git'],
  replacedWhole: ['config'],
  entries: [
    { paths: ['', 'HEAD', 'config', 'objects', 'refs', 'refs/heads', 'refs/tags', 'hooks'], changes: ['delete'], as: 'violation' },
    {
      paths: [
        'index', 'HEAD', 'ORIG_HEAD', 'FETCH_HEAD', 'MERGE_*', 'CHERRY_PICK_HEAD', 'REVERT_HEAD', 'REBASE_HEAD', 'BISECT_*',
        'AUTO_MERGE', 'COMMIT_EDITMSG', 'TAG_EDITMSG', 'SQUASH_MSG', 'NOTES_*', 'packed-refs', 'packed-refs.new', 'shallow', 'gc.pid', 'gc.log',
        'index.stash.*', 'sharedindex.*', 'next-index-*', '**/*.lock', 'logs{,/**}', 'refs/**', 'rebase-merge{,/**}',
        'rebase-apply{,/**}', 'sequencer{,/**}', 'rr-cache{,/**}', 'worktrees{,/**}', 'objects/info{,/**}', 'objects/pack{,/**}',
      ],
      changes: ALL,
      as: 'bookkeeping',
    },
    // New objects are what every commit adds; repacking and pruning them is git's work and nobody else's.
    { paths: ['objects/**'], changes: ['create'], as: 'bookkeeping' },
    // What git runs is set in config and hooks: those change by git's hand only.
    { paths: ['config', 'hooks/**'], changes: ALL, as: 'owner-only' },
    { paths: ['objects/**', 'info/**'], changes: ALL, as: 'owner-at-work' },
  ],
  otherwise: 'owner-at-work',
  workTreeWriters: [
    'checkout', 'switch', 'merge', 'pull', 'stash', 'rebase', 'cherry-pick', 'revert', 'reset', 'restore', 'am', 'apply',
    'read-tree', 'checkout-index', 'sparse-checkout', 'submodule', 'worktree', 'clone', 'bisect',
  ],
  workTreeMarks: ['HEAD', 'ORIG_HEAD', 'logs/HEAD'],
};

export const OWNED_TREES: readonly OwnedTree[] = [GIT_TREE];

const compiled = new WeakMap<OwnedEntry, (path: string) => boolean>();
const matcher = (entry: OwnedEntry) => {
  let m = compiled.get(entry);
  if (!m) {
    const globs = entry.paths.filter((p) => p !== '');
    const glob = globs.length ? picomatch(globs, { dot: true }) : () => false;
    const self = entry.paths.includes('');
    m = (path: string) => (path === '' ? self : glob(path));
    compiled.set(entry, m);
  }
  return m;
};

/** The owned tree a project-relative path is in, and the path relative to it. */
export function ownedTreeOf(relPath: string, trees: readonly OwnedTree[] = OWNED_TREES): { tree: OwnedTree; inner: string } | undefined {
  for (const tree of trees) {
    if (relPath === tree.dir) return { tree, inner: '' };
    if (relPath.startsWith(`${tree.dir}/`)) return { tree, inner: relPath.slice(tree.dir.length + 1) };
  }
  return undefined;
}

/** How a change to `inner` (relative to the tree) is judged. */
export function judgeOwned(tree: OwnedTree, inner: string, change: Change): Ownership {
  const entry = tree.entries.find((e) => e.changes.includes(change) && matcher(e)(inner));
  return entry ? entry.as : tree.otherwise;
}

/** Is this process one of the owner's? (`git` covers `git-remote-https`, `git-upload-pack` ...) */
/** Is `p` the owner running one of the subcommands that write the working tree? */
export function writesWorkTree(tree: OwnedTree, p: { cmd: string; comm: string }): boolean {
  if (!isOwnerProcess(tree, p)) return false;
  const words = p.cmd.split(/\s+/).slice(1);
  return words.some((w) => tree.workTreeWriters.includes(w));
}

export function isOwnerProcess(tree: OwnedTree, p: { cmd: string; comm: string }): boolean {
  const argv0 = (p.cmd.split(/\s+/)[0] ?? '').split('/').pop() ?? '';
  return tree.owners.some((o) => [argv0, p.comm].some((n) => n === o || n.startsWith(`${o}-`)));
}
