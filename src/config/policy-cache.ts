import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../version.js';
import { firewallPaths, requireDist, presetFile, PRESET_NAMES, ruleFileListing } from './locate.js';
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
  const listing = ruleFileListing(projectDir);
  if (listing.error) sources.push(`\0rules: ${listing.error}`); // a rules/ that became unreadable is a change
  for (const name of listing.names) sources.push(name, readOrMarker(join(paths.rules, name)));
  for (const name of PRESET_NAMES) sources.push(readOrMarker(presetFile(name)));
  return sources;
}

function sameSources(a: unknown, b: string[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((text, i) => text === b[i]);
}

const cacheFileOf = (projectDir: string) => join(firewallPaths(projectDir).cache, 'policy.json');

function readEntry(projectDir: string): CacheEntry | undefined {
  try {
    return JSON.parse(readFileSync(cacheFileOf(projectDir), 'utf8')) as CacheEntry;
  } catch {
    return undefined;
  }
}

/**
 * The policy to keep when config.yaml has disappeared but `.agentfirewall/` is still there (its ignored
 * runtime directories survive a checkout of a branch without the config): the last one that loaded cleanly,
 * which the cache holds. Protection stays as the user set it instead of dropping to the standard preset.
 */
export function lastGoodPolicy(projectDir: string, sources = policySources(projectDir), cached?: CacheEntry): LoadedPolicy | undefined {
  if (sources[2] !== '\0ENOENT') return undefined;
  const entry = cached ?? readEntry(projectDir);
  if (!entry || entry.loaded.issues.length) return undefined;
  return { ...entry.loaded, lastGood: `.agentfirewall/config.yaml is missing (a checkout of a branch without it?); the last good policy is enforced` };
}

/** Load a project's policy, from the cache when nothing changed; YAML is parsed only on a miss. */
export async function loadPolicy(projectDir: string): Promise<LoadedPolicy> {
  const paths = firewallPaths(projectDir);
  const cacheFile = cacheFileOf(projectDir);
  const sources = policySources(projectDir);
  const entry = readEntry(projectDir);
  if (entry && sameSources(entry.sources, sources)) return entry.loaded;
  const kept = lastGoodPolicy(projectDir, sources, entry); // the cache already read, not read twice
  if (kept) return kept;
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
