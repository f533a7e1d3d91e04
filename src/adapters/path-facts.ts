import { lstatSync } from 'node:fs';
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
