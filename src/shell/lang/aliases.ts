/**
 * Names that imports bind to APIs: `from shutil import rmtree as nuke`, `const {rmSync: r} = require('fs')`,
 * `const r = require('fs').rmSync`, `import { rmSync as zap } from 'fs'`, PHP/Ruby need none. Module aliases
 * (`import shutil as s`, `import * as f from 'node:fs'`) need no entry: calls are matched on their last name. Pure.
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
  // const { a: b, c } = require('m')  /  import { a as b } from 'm'
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
  // const r = require('fs').rmSync  /  const r = fs.rmSync  (a member bound to a name)
  for (const m of masked.matchAll(/(?:const|let|var)\s+([\w$]+)\s*=\s*(?:require\s*\([^)]*\)|[\w$]+)\s*\.\s*([\w$]+)\s*(?=[;\n]|$)/g)) add(m[1], m[2]);
  void code;
}
