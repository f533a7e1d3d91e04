/**
 * Names that imports bind to APIs: Python `from shutil import rmtree as nuke`; in JavaScript a destructured
 * require with renames (`{rmSync: r}`), a member of a required module bound to a name (`r = fs.rmSync`), and a
 * renamed named import (`{ rmSync as zap }`). Module aliases (`import shutil as s`, a namespace import) need no
 * entry: calls are matched on their last name. Pure.
 */

import type { Language } from './source.js';

const MAX_ALIASES = 64;

/** Record local name -> API name for every aliasing import in `masked` (values read from `code` at the same offsets). */
export function importAliases(lang: Language, masked: string, code: string, out: Map<string, string>): void {
  const add = (local: string, api: string) => {
    if (local !== api && out.size < MAX_ALIASES && /^[A-Za-z_$][\w$]*$/.test(local)) out.set(local, api);
  };
  if (lang === 'python') {
    for (const m of masked.matchAll(/\bfrom\s+[\w.]+\s+import\s+\(?([\w\s,]+)/g)) {
      for (const item of m[1].split(',')) {
        const a = /^\s*(\w+)\s+as\s+(\w+)/.exec(item);
        if (a) add(a[2], a[1]);
      }
    }
    return;
  }
  if (lang !== 'node') return;
  // Destructured requires with renames, and renamed named imports.
  for (const m of masked.matchAll(/(?:const|let|var)\s*\{([^}]*)\}\s*=\s*(?:require|await\s+import)\s*\(/g)) {
    for (const item of m[1].split(',')) {
      const a = /^\s*([\w$]+)\s*:\s*([\w$]+)/.exec(item);
      if (a) add(a[2], a[1]);
    }
  }
  for (const m of masked.matchAll(/\bimport\s*\{([^}]*)\}\s*from\b/g)) {
    for (const item of m[1].split(',')) {
      const a = /^\s*([\w$]+)\s+as\s+([\w$]+)/.exec(item);
      if (a) add(a[2], a[1]);
    }
  }
  // A member of a required module (or of a module variable) bound to a name.
  for (const m of masked.matchAll(/(?:const|let|var)\s+([\w$]+)\s*=\s*(?:require\s*\([^)]*\)|[\w$]+)\s*\.\s*([\w$]+)\s*(?=[;\n]|$)/g)) add(m[1], m[2]);
  void code;
}
