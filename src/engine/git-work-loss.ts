/**
 * git commands that throw away work no commit holds: uncommitted changes in the working tree (a forced
 * checkout or switch, a checkout or restore of a whole tree from the index or a commit) or stashed work.
 * Restoring one file, unstaging (`restore --staged`) and switching branches without force lose nothing
 * git would not refuse to lose, so they are not counted.
 */

/** What a git subcommand was given: option letters, long option names, and its other words. */
export interface GitInvocation {
  sub: string;
  shorts: string;
  longs: string[];
  operands: string[];
  /** Does this pathspec name the working directory or a directory holding it (`.`, `..`, `:/`, `$PWD`)? */
  holdsWorkingDir: (pathspec: string) => boolean;
}

/** Pathspecs that cover the whole tree whatever the working directory: `:/`, `:(top)`, `*`. */
const WHOLE_TREE = /^(:\/|:\(top\)|:\(top\)\*|:\/\*|\*)$/;

const coversTree = (g: GitInvocation) => g.operands.some((p) => WHOLE_TREE.test(p) || g.holdsWorkingDir(p));

/** Why this git command loses uncommitted or stashed work, or undefined when it does not. */
export function workLoss(g: GitInvocation): string | undefined {
  const force = g.shorts.includes('f') || g.longs.includes('force');
  switch (g.sub) {
    case 'checkout':
      if (force) return 'git checkout --force discards uncommitted changes';
      if (g.shorts.includes('p') || g.longs.includes('patch')) return undefined; // asks about each hunk
      return coversTree(g) ? 'git checkout of a whole tree overwrites its uncommitted changes' : undefined;
    case 'switch':
      return force || g.longs.includes('discard-changes') ? 'git switch --discard-changes discards uncommitted changes' : undefined;
    case 'restore': {
      if (g.shorts.includes('p') || g.longs.includes('patch')) return undefined;
      const staged = g.shorts.includes('S') || g.longs.includes('staged');
      const worktree = g.shorts.includes('W') || g.longs.includes('worktree');
      return (worktree || !staged) && coversTree(g) ? 'git restore of a whole tree overwrites its uncommitted changes' : undefined;
    }
    case 'stash':
      if (g.operands[0] === 'drop') return 'git stash drop deletes stashed work';
      if (g.operands[0] === 'clear') return 'git stash clear deletes all stashed work';
      return undefined;
    case 'worktree':
      return g.operands[0] === 'remove' && force ? 'git worktree remove --force deletes a worktree with its uncommitted changes' : undefined;
    default:
      return undefined;
  }
}
