import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Engine } from '../engine/engine.js';
import type { Decision, FirewallEvent } from '../engine/types.js';

/** The paths at which nothing exists (not even a dangling symlink); anything unclear counts as existing. */
export function missingPaths(paths: readonly string[]): string[] {
  return paths.filter(missing);
}

function missing(path: string): boolean {
  try {
    lstatSync(path);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR';
  }
}

/**
 * Decide a command; when the engine's deny hangs only on whether some paths exist (a copy onto `.env` that may
 * not be there yet), look at them and decide once more with what is missing. The engine itself never looks.
 */
export function decideCommand(engine: Engine, event: Extract<FirewallEvent, { type: 'command' }>): Decision {
  const first = engine.decide(event);
  if (!first.ask?.length || event.absent) return first;
  const absent = missingPaths(first.ask);
  return absent.length ? engine.decide({ ...event, absent }) : first;
}

/**
 * A file next to `path` with the same bytes, among the names that seed env files (`.env.example`, `env.sample`):
 * a new `.env` that is one of them was copied from a template, which destroys nothing.
 */
export function envTemplateCopied(path: string): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
    const dir = dirname(path);
    for (const name of readdirSync(dir)) {
      if (name === basename(path) || !/(^|\.)env(\.|$)/i.test(name)) continue;
      try {
        if (readFileSync(join(dir, name)).equals(bytes)) return join(dir, name);
      } catch {
        // a directory or unreadable: not a template
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}
