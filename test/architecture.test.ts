import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

// The layers of design.md §3, top to bottom: a module may import its own layer and the ones below.
// Files directly in src/ (the library facade and the version constant) stand outside the layers.
const LAYERS = ['cli', 'adapters', 'config', 'engine', 'shell'] as const;
const PURE = new Set(['engine', 'shell']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function importsOf(text: string): string[] {
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)) specs.push(m[1]);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]);
  for (const m of text.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]);
  return specs;
}

const src = join(ROOT, 'src');
const files = sourceFiles(src).filter((file) => relative(src, file).includes('/')).map((file) => {
  const rel = relative(src, file);
  const layer = rel.split('/')[0];
  return { file, rel, layer, text: readFileSync(file, 'utf8') };
});

describe('architecture', () => {
  it('finds every layer', () => {
    for (const layer of LAYERS) expect(files.some((f) => f.layer === layer)).toBe(true);
  });

  it.each(files.filter((f) => PURE.has(f.layer)).map((f) => [f.rel, f] as const))('%s is pure', (_rel, f) => {
    for (const spec of importsOf(f.text)) {
      expect(spec.startsWith('.'), `${f.rel} imports the package or built-in '${spec}'`).toBe(true);
    }
    // No clock, no process, no console in the pure layers (comments excluded).
    const code = f.text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    expect(code, `${f.rel} touches the process, console or clock`).not.toMatch(/\bprocess\.|\bconsole\.|Date\.now|new Date\b|\brequire\(/);
  });

  it.each(files.map((f) => [f.rel, f] as const))('%s imports only its own layer or lower ones', (_rel, f) => {
    const own = LAYERS.indexOf(f.layer as (typeof LAYERS)[number]);
    for (const spec of importsOf(f.text)) {
      if (!spec.startsWith('.')) continue;
      const target = relative(src, join(f.file, '..', spec));
      const targetLayer = target.split('/')[0];
      if (targetLayer === 'version.js') continue; // a constant shared by all layers
      const index = LAYERS.indexOf(targetLayer as (typeof LAYERS)[number]);
      expect(index, `${f.rel} imports ${target}, outside the layers`).toBeGreaterThanOrEqual(0);
      expect(index >= own, `${f.rel} (${f.layer}) imports ${target} (${targetLayer}), a higher layer`).toBe(true);
    }
  });
});
