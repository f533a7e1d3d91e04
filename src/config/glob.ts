import { Engine } from '../engine/engine.js';
import { compilePathMatcher } from '../engine/glob-match.js';
import type { GlobMatcherFactory } from '../engine/path-globs.js';
import type { Policy } from '../engine/types.js';

/**
 * Path globs with dotfiles matched, as protected paths need (`.env`, `.git/**`): picomatch's syntax for
 * `*`, `?`, `**`, `[...]` and `{a,b}`, matched without regular expressions so that no glob can take
 * exponential time. A glob the syntax refuses is a config error (validation reports it); should one reach
 * here anyway it matches only the path spelled exactly like it.
 */
export const pathGlob: GlobMatcherFactory = (glob) => {
  const matcher = compilePathMatcher(glob);
  return 'error' in matcher ? (path) => path === glob : matcher;
};

/** The name this factory has always been exported under. */
export const picomatchGlob: GlobMatcherFactory = pathGlob;

/** An engine wired with the glob matcher: what every caller outside the `check` fast path should use. */
export function createEngine(policy: Policy): Engine {
  return new Engine(policy, { glob: pathGlob });
}
