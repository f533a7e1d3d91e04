/**
 * Deletes by tools other than rm: `del-cli`, `rmtrash`, `gio trash|remove`, `trash-cli` spellings, `wipe` (which
 * removes what it overwrites, recursively with -r), and `shred -u` of what `find` found (every file below).
 * Moving a tree to the trash takes it away as surely as deleting it.
 */
import type { Field } from '../shell/expand.js';
import type { Effect } from './effects.js';
import { parseArgs, pathOf } from './tool-args.js';

/** Tools whose operands are deleted, each as one recursive delete. */
const TRASHERS = new Set(['del-cli', 'rmtrash', 'trash-cli', 'trash-rm', 'gomi', 'recycle']);

/** Deletes made by one command of these tools (`fromFind`: its operands are paths find printed). */
export function toolDeletes(name: string, args: readonly Field[], cwd: string, fromFind: boolean): Effect[] {
  const out: Effect[] = [];
  const del = (fields: readonly Field[], recursive: boolean) => {
    for (const f of fields) {
      const t = pathOf(f, cwd);
      if (t) out.push({ kind: 'delete', target: t, recursive, how: name });
    }
  };
  // del and del-cli (and rimraf --glob) expand their operands as globs themselves, quoted or not; `!pattern` excludes.
  const globs = name === 'del' || name === 'del-cli' || (name === 'rimraf' && args.some((a) => a.text === '--glob' || a.text === '-g'));
  if (globs) {
    const patterns = parseArgs(args, {}).operands.filter((f) => !f.text.startsWith('!') && !f.dynamic && /[*?[]/.test(f.text));
    del(patterns.map((f) => ({ ...f, glob: true })), true);
  }
  if (TRASHERS.has(name)) {
    del(parseArgs(args, {}).operands.filter((f) => !f.text.startsWith('!')), true);
    return out;
  }
  switch (name) {
    case 'gio': {
      const [verb, ...rest] = args;
      if (verb?.text === 'trash') del(parseArgs(rest, {}).operands, true);
      else if (verb?.text === 'remove' || verb?.text === 'rm') del(parseArgs(rest, {}).operands, false);
      break;
    }
    case 'wipe': {
      const { options, operands } = parseArgs(args, { short: 'lpxXSBT', long: [] });
      del(operands, options.some((o) => o.name === 'r' || o.name === 'R') || fromFind);
      break;
    }
    case 'shred': {
      const { options, operands } = parseArgs(args, { short: 'ns', long: ['iterations', 'size', 'random-source'] });
      if (fromFind && options.some((o) => o.name === 'u' || o.name === 'remove' || o.name.startsWith('remove='))) del(operands, true);
      break;
    }
  }
  return out;
}
