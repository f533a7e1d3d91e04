import picomatch from 'picomatch/posix.js';
import { Engine } from '../engine/engine.js';
import type { GlobMatcherFactory } from '../engine/path-globs.js';
import type { Policy } from '../engine/types.js';

/** picomatch with dotfiles matched, as protected paths need (`.env`, `.git/**`). */
export const picomatchGlob: GlobMatcherFactory = (glob) => picomatch(glob, { dot: true });

/** An engine wired with the glob library: what every caller outside the `check` fast path should use. */
export function createEngine(policy: Policy): Engine {
  return new Engine(policy, { glob: picomatchGlob });
}
