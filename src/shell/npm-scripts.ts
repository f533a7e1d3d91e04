/**
 * package.json scripts written on the same line (`npm pkg set scripts.x=…`, `npm set-script x …`) and run later on it
 * (`npm run x`, `npm test`, `pnpm x`, `yarn run x`). Pure: the interpreter runs the text the lookup returns.
 */

/** Scripts set earlier on the line, by name. */
export type LineScripts = Map<string, string>;

const MANAGERS = new Set(['npm', 'pnpm', 'yarn', 'bun']);
/** Lifecycle commands that run the script of the same name. */
const LIFECYCLE: Record<string, string> = { test: 'test', t: 'test', tst: 'test', start: 'start', stop: 'stop', restart: 'restart' };

/** Record the scripts a `npm pkg set` or `npm set-script` writes. */
export function recordScripts(program: string, args: string[], scripts: LineScripts): void {
  if (!MANAGERS.has(program)) return;
  const words = args.filter((a) => !a.startsWith('-'));
  if (words[0] === 'pkg' && words[1] === 'set') {
    for (const w of words.slice(2)) {
      const m = /^scripts\.([^=]+)=(.*)$/s.exec(w);
      if (m) scripts.set(m[1], m[2]);
    }
  } else if (words[0] === 'set-script' && words.length >= 3) scripts.set(words[1], words[2]);
}

/** The script texts a package-manager command runs (with its pre and post scripts), when they were set on the line. */
export function scriptsRun(program: string, args: string[], scripts: LineScripts): string[] {
  if (!MANAGERS.has(program) || scripts.size === 0) return [];
  const words = args.filter((a) => !a.startsWith('-'));
  let name: string | undefined;
  let named: string | undefined;
  if (words[0] === 'run' || words[0] === 'run-script' || words[0] === 'rum' || words[0] === 'urn') name = named = words[1];
  else if (words[0] !== undefined && LIFECYCLE[words[0]]) {
    name = LIFECYCLE[words[0]];
    named = words[0];
  }
  // pnpm, yarn and bun run a script named as their first word.
  else if (program !== 'npm' && words[0] !== undefined && scripts.has(words[0])) name = named = words[0];
  if (name === undefined || named === undefined) return [];
  const extra = args.slice(args.indexOf(named) + 1).filter((a) => a !== '--');
  const out: string[] = [];
  for (const n of [`pre${name}`, name, `post${name}`]) {
    const text = scripts.get(n);
    if (text !== undefined) out.push(n === name && extra.length ? `${text} ${extra.map(quote).join(' ')}` : text);
  }
  return out;
}

function quote(text: string): string {
  if (/^[A-Za-z0-9_\-./=:@%+,]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
