import { isWithin, relativeTo } from '../shell/paths.js';

/**
 * A compiled protected-path glob. Globs match dotfiles. A bare name (`.env`, `.env.*`) matches that name at
 * any depth; `~/...` is relative to the home directory; `/...` is absolute; anything else is relative to the
 * sandbox root.
 */
export interface PathGlob {
  source: string;
  matches(path: string, where: PathContext): boolean;
}

/** Where a path is judged from. Every path is absolute and normalised. */
export interface PathContext {
  root: string;
  home: string;
}

/**
 * Turns a glob into a matcher (dotfiles included). Injected so that the engine stays free of I/O and the
 * `check` start-up path does not load a glob library it does not need; `src/config/glob.ts` provides it.
 */
export type GlobMatcherFactory = (glob: string) => (path: string) => boolean;

export function compilePathGlob(glob: string, picomatch: GlobMatcherFactory): PathGlob {
  const bare = !glob.includes('/');
  if (bare) {
    const test = picomatch(glob);
    return {
      source: glob,
      // Any segment may carry the name: `.env` also protects what lies inside a directory called `.env`.
      matches: (path) => path.split('/').some((segment) => segment !== '' && test(segment)),
    };
  }
  if (glob.startsWith('~/')) {
    const test = picomatch(glob.slice(2));
    return {
      source: glob,
      matches: (path, { home }) => {
        const rel = relativeTo(path, home);
        return rel !== null && rel !== '' && test(rel);
      },
    };
  }
  if (glob.startsWith('/')) {
    const test = picomatch(glob);
    return { source: glob, matches: (path) => test(path) };
  }
  const test = picomatch(glob.replace(/^\.\//, ''));
  return {
    source: glob,
    matches: (path, { root }) => {
      const rel = relativeTo(path, root);
      return rel !== null && rel !== '' && test(rel);
    },
  };
}

/** True when `path` is the project's own `.agentfirewall/` directory or inside it. */
export function isFirewallDir(path: string, projectDir: string): boolean {
  return isWithin(path, projectDir === '/' ? '/.agentfirewall' : `${projectDir}/.agentfirewall`);
}

