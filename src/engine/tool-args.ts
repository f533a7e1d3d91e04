import type { Field } from '../shell/expand.js';
import { joinPath } from '../shell/paths.js';
import type { Target } from './effects.js';

/** Which options of a tool take a value: short letters, long names, and (openssl style) single-dash words. */
export interface ArgSpec {
  short?: string;
  long?: readonly string[];
  words?: readonly string[];
}

/** One option as given: its name (`o`, `output`, `-out`) and its value when it takes one, glued or not. */
export interface Option {
  name: string;
  value?: Field;
}

/** Options and operands of an argument list, read the way getopt reads them: clusters (`-sSLo F`), glued values (`-oF`, `--output=F`), `--`. */
export function parseArgs(args: readonly Field[], spec: ArgSpec): { options: Option[]; operands: Field[] } {
  const options: Option[] = [];
  const operands: Field[] = [];
  for (let i = 0; i < args.length; i++) {
    const f = args[i];
    const a = f.text;
    if (f.dynamic || a === '-' || !a.startsWith('-')) {
      operands.push(f);
      continue;
    }
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (spec.words?.includes(a)) {
      options.push({ name: a, value: args[++i] });
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (eq >= 0) options.push({ name, value: { text: a.slice(eq + 1), dynamic: false, glob: false } });
      else options.push({ name, value: spec.long?.includes(name) ? args[++i] : undefined });
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const c = a[k];
      if (spec.short?.includes(c)) {
        const value = k + 1 < a.length ? { text: a.slice(k + 1), dynamic: false, glob: false } : args[++i];
        options.push({ name: c, value });
        break;
      }
      options.push({ name: c });
    }
  }
  return { options, operands };
}

/** The values of the options with these names. */
export function valuesOf(options: readonly Option[], ...names: string[]): Field[] {
  return options.flatMap((o) => (names.includes(o.name) && o.value ? [o.value] : []));
}

export const hasOption = (options: readonly Option[], ...names: string[]) => options.some((o) => names.includes(o.name));

/** A field as a path target, resolved against cwd; null when it is unknown or empty. */
export function pathOf(field: Field | undefined, cwd: string): Target | null {
  if (!field || field.dynamic || field.text === '' || field.text === '-') return null;
  return { path: joinPath(cwd, field.text), glob: field.glob, dot: field.dotGlob === true };
}

/** A target from a literal path (not a glob unless said). */
export function literalTarget(cwd: string, path: string, glob = false, dot = false): Target {
  return { path: joinPath(cwd, path), glob, dot };
}
