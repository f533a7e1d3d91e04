import { describe, expect, it } from 'vitest';
import { GIT_TREE, isOwnerProcess, judgeOwned, ownedTreeOf, type Change, type Ownership } from '../src/adapters/owned-trees.js';

// How the watcher reads a change inside .git, by path and kind of change (the end-to-end proof is
// git-session.test.ts and protect-git.test.ts, with real git under the real watcher).
const cases: [string, Change, Ownership][] = [
  ['index', 'write', 'bookkeeping'],
  ['index.lock', 'create', 'bookkeeping'],
  ['index.lock', 'delete', 'bookkeeping'],
  ['HEAD', 'write', 'bookkeeping'],
  ['HEAD.lock', 'create', 'bookkeeping'],
  ['ORIG_HEAD', 'delete', 'bookkeeping'],
  ['MERGE_HEAD', 'create', 'bookkeeping'],
  ['MERGE_MSG', 'delete', 'bookkeeping'],
  ['COMMIT_EDITMSG', 'write', 'bookkeeping'],
  ['logs/HEAD', 'write', 'bookkeeping'],
  ['logs/refs/heads/feature/x', 'delete', 'bookkeeping'],
  ['refs/heads/main', 'write', 'bookkeeping'],
  ['refs/heads/topic50', 'delete', 'bookkeeping'],
  ['refs/heads/feature', 'delete', 'bookkeeping'],
  ['refs/stash', 'create', 'bookkeeping'],
  ['packed-refs', 'write', 'bookkeeping'],
  ['rebase-merge', 'delete', 'bookkeeping'],
  ['rebase-merge/git-rebase-todo', 'write', 'bookkeeping'],
  ['sequencer/todo', 'create', 'bookkeeping'],
  ['objects/ab', 'create', 'bookkeeping'],
  ['objects/pack/pack-1.pack', 'create', 'bookkeeping'],
  ['objects/ab', 'delete', 'owner-at-work'],
  ['info/refs_a1b2c3', 'delete', 'owner-at-work'],
  ['some-new-file-git-writes', 'create', 'owner-at-work'],
  ['config', 'write', 'owner-only'],
  ['hooks/pre-commit', 'write', 'owner-only'],
  ['hooks/post-checkout', 'create', 'owner-only'],
  ['', 'delete', 'violation'],
  ['HEAD', 'delete', 'violation'],
  ['config', 'delete', 'violation'],
  ['objects', 'delete', 'violation'],
  ['refs', 'delete', 'violation'],
  ['refs/heads', 'delete', 'violation'],
  ['refs/tags', 'delete', 'violation'],
  ['hooks', 'delete', 'violation'],
];

describe('git owns .git', () => {
  it.each(cases)('%s (%s) is %s', (inner, change, expected) => {
    expect(judgeOwned(GIT_TREE, inner, change)).toBe(expected);
  });

  it('finds the tree and the path inside it', () => {
    expect(ownedTreeOf('.git/refs/heads/main')).toEqual({ tree: GIT_TREE, inner: 'refs/heads/main' });
    expect(ownedTreeOf('.git')).toEqual({ tree: GIT_TREE, inner: '' });
    expect(ownedTreeOf('.github/workflows/ci.yml')).toBeUndefined();
    expect(ownedTreeOf('src/.git-keep')).toBeUndefined();
  });

  it('knows git and its helpers, and nothing that merely mentions git', () => {
    expect(isOwnerProcess(GIT_TREE, { cmd: '/usr/bin/git commit -m x', comm: 'git' })).toBe(true);
    expect(isOwnerProcess(GIT_TREE, { cmd: '/usr/lib/git-core/git-remote-https origin', comm: 'git-remote-http' })).toBe(true);
    expect(isOwnerProcess(GIT_TREE, { cmd: 'node agent.js git', comm: 'node' })).toBe(false);
    expect(isOwnerProcess(GIT_TREE, { cmd: 'sh -c git status', comm: 'sh' })).toBe(false);
  });
});
