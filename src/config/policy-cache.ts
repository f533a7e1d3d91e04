import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../version.js';
import { firewallPaths, requireDist, presetFile, PRESET_NAMES, readRuleFileNames } from './locate.js';
import type { LoadedPolicy } from './policy-types.js';

/**
 * The compiled policy is cached in `.agentfirewall/cache/policy.json` together with the exact text of
 * every file it was built from, so that `check` (run before every shell command) never loads the YAML
 * parser unless a file changed. Comparing the texts is exact and cheaper than hashing them in cold code.
 */
interface CacheEntry {
  sources: string[];
  loaded: LoadedPolicy;
}

function readOrMarker(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    return `\0${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`;
  }
}

/** What the cached policy depends on: version, project path, and the text of config, rule files and presets. */
export function policySources(projectDir: string): string[] {
  const paths = firewallPaths(projectDir);
  const sources = [VERSION, projectDir, readOrMarker(paths.config)];
  for (const name of readRuleFileNames(projectDir)) sources.push(name, readOrMarker(join(paths.rules, name)));
  for (const name of PRESET_NAMES) sources.push(readOrMarker(presetFile(name)));
  return sources;
}

function sameSources(a: unknown, b: string[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((text, i) => text === b[i]);
}

/** Load a project's policy, from the cache when nothing changed; YAML is parsed only on a miss. */
export async function loadPolicy(projectDir: string): Promise<LoadedPolicy> {
  const paths = firewallPaths(projectDir);
  const cacheFile = join(paths.cache, 'policy.json');
  const sources = policySources(projectDir);
  try {
    const entry = JSON.parse(readFileSync(cacheFile, 'utf8')) as CacheEntry;
    if (sameSources(entry.sources, sources)) return entry.loaded;
  } catch {
    // no cache yet, or an unreadable one: rebuild below
  }
  const { loadPolicyFromYaml } = requireDist<typeof import('./load.js')>('config/load.js');
  const loaded = loadPolicyFromYaml(projectDir);
  if (loaded.issues.length === 0) {
    try {
      mkdirSync(paths.cache, { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ sources, loaded } satisfies CacheEntry), { mode: 0o600 });
      renameSync(tmp, cacheFile);
    } catch {
      // A cache that cannot be written only costs speed; decisions do not depend on it.
    }
  }
  return loaded;
}
