import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The name of the directory that marks a protected project. */
export const FIREWALL_DIR = '.agentfirewall';

/** The built-in presets, in the order `init --help` lists them. */
export const PRESET_NAMES: readonly string[] = ['standard', 'strict', 'permissive'];

/** Where a project's firewall files live. */
export interface FirewallPaths {
  projectDir: string;
  dir: string;
  config: string;
  rules: string;
  logs: string;
  cache: string;
}

export function firewallPaths(projectDir: string): FirewallPaths {
  const dir = join(projectDir, FIREWALL_DIR);
  return { projectDir, dir, config: join(dir, 'config.yaml'), rules: join(dir, 'rules'), logs: join(dir, 'logs'), cache: join(dir, 'cache') };
}

/** Walk up from `start` to the nearest directory holding `.agentfirewall/`, like git does for `.git/`. */
export function findProjectDir(start: string): string | null {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    try {
      if (statSync(join(dir, FIREWALL_DIR)).isDirectory()) return dir;
    } catch {
      // not here; keep walking up
    }
    if (dirname(dir) === dir) return null;
  }
}

/**
 * `.agentfirewall/rules/*.yaml` (and `.yml`) in name order; none when there is no `rules/` at all. A
 * `rules/` that is there but cannot be listed (a file, a dangling or looping symlink, no permission) is
 * reported in `error`: its rules must not vanish without a word.
 */
export function ruleFileListing(projectDir: string): { names: string[]; error?: string } {
  const dir = firewallPaths(projectDir).rules;
  try {
    return { names: readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort() };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    if (code !== 'ENOENT') return { names: [], error: code === 'ENOTDIR' ? 'not a directory (ENOTDIR)' : `unreadable (${code})` };
    try {
      lstatSync(dir);
      return { names: [], error: 'a dangling symlink (ENOENT)' };
    } catch {
      return { names: [] };
    }
  }
}

/** The rule file names of `ruleFileListing`, for callers that only list them. */
export function readRuleFileNames(projectDir: string): string[] {
  return ruleFileListing(projectDir).names;
}

let root: string | undefined;

/**
 * This module's file. In the CommonJS check bundle `__filename` is there for free; the ES build asks
 * `node:url`. Built-in modules are fetched on demand (`process.getBuiltinModule`): each one loaded at
 * start-up costs the check path a fraction of a millisecond.
 */
function thisFile(): string {
  return typeof __filename === 'string' ? __filename : process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);
}

declare const __filename: string | undefined;

/** The installed package's root (where `presets/` and `hooks/` are), found from this module's location. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(thisFile());
  while (!existsSync(join(dir, 'presets', 'standard.yaml'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the presets/ directory of agentfirewall');
    dir = up;
  }
  root = dir;
  return dir;
}

export function presetFile(name: string): string {
  return join(packageRoot(), 'presets', `${name}.yaml`);
}

let requireHere: NodeJS.Require | undefined;

/** A `require` for this package's own files and dependencies, made on first use. */
export function packageRequire(specifier: string): unknown {
  requireHere ??= process.getBuiltinModule('node:module').createRequire(thisFile());
  return requireHere(specifier);
}

/**
 * Load a module of this package's compiled ES output (`dist/<relPath>`) on demand. The computed path keeps
 * it out of the `check` bundle, which must stay small because it loads before every command; `require`
 * of an ES module (Node >= 20.19) keeps the call synchronous and free of experimental loader hooks.
 */
export function requireDist<T>(relPath: string): T {
  return packageRequire(join(packageRoot(), 'dist', relPath)) as T;
}
