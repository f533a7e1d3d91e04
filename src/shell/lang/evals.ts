/**
 * Code that code evaluates: `exec('…')`/`eval('…')` of known text is analysed as more code of the same language;
 * evaluating what was read from the network (`exec(urlopen(u).read())`, `fetch(u).then(r => r.text()).then(eval)`,
 * `eval(file_get_contents('https://…'))`) or from standard input (`exec(sys.stdin.read())`, which is a download run
 * when stdin is one) is reported as such. Pure.
 */

import type { Language } from './source.js';

/** Where evaluated code comes from, when it is not known text. */
export type Download = 'network' | 'stdin';

const EVAL_APIS: Partial<Record<Language, string[]>> = {
  python: ['exec', 'eval'],
  node: ['eval', 'Function', 'runInThisContext', 'runInNewContext', 'runInContext'],
  ruby: ['eval', 'instance_eval', 'class_eval'],
  perl: ['eval'],
  php: ['eval'],
  lua: ['load', 'loadstring', 'dostring'],
  r: ['eval', 'source'],
  julia: ['eval', 'include_string', 'include'],
};

/** API names that read from the network (found in the masked code, so not inside strings). */
const NETWORK = /\b(?:urlopen|requests\s*\.\s*(?:get|post|request)|httpx\s*\.\s*(?:get|post)|urllib3|fetch\s*\(|https?\s*\.\s*(?:get|request)\s*\(|axios|got\s*\(|URI\s*\.\s*open|Net::HTTP|OpenURI|LWP|HTTP::Tiny|curl_exec|download\s*\(|socket\.http|HTTP\.get|url\s*\()/;
/** Reading standard input. */
const STDIN = /<STDIN>|<>|\bstdin\b|\bSTDIN\b|\$stdin|readFileSync\s*\(\s*(?:0\b|['"]\/dev\/stdin['"])|\bio\.read\b|php:\/\/stdin|\bARGF\b|open\s*\(\s*0\s*\)|readLines\s*\(\s*['"]stdin['"]/;
const URL = /['"`]https?:\/\//;
/** Network modules imported by name (the name is a string, so it is looked for in the original code). */
const NETWORK_MODULE = /(?:require\s*\(\s*|from\s+|import\s+)['"](?:node:)?(?:https?|axios|node-fetch|undici|got|request|open-uri|net\/http)['"]|\bLWP::|\bHTTP::Tiny/;

type CallsFn = (names: string[], parenless?: boolean) => { name: string; args: string[] }[];

/** Evaluated code in `code`: the known texts, and whether a download or stdin is evaluated. */
export function evalEffects(lang: Language, masked: string, code: string, calls: CallsFn, value: (expr: string) => string | undefined): { code: string[]; download?: Download } {
  const names = EVAL_APIS[lang];
  const out: { code: string[]; download?: Download } = { code: [] };
  if (!names) return out;
  const network = NETWORK.test(masked) || NETWORK_MODULE.test(code);
  const mark = (d: Download) => {
    if (out.download !== 'network') out.download = d;
  };
  for (const call of calls(names, lang === 'perl')) {
    const arg = call.args.find((a) => !/^\s*\w+\s*=/.test(a) || /^\s*text\s*=/.test(a))?.replace(/^\s*text\s*=\s*/, '') ?? '';
    if (!arg.trim()) continue;
    const text = value(arg);
    if (text !== undefined) {
      if (out.code.length < 8) out.code.push(text);
      continue;
    }
    if (URL.test(arg) || NETWORK.test(arg)) mark('network');
    else if (STDIN.test(arg)) mark('stdin');
    else if (network || ((call.name === 'source' || call.name === 'include') && URL.test(arg))) mark('network');
    else {
      // A variable: what it was assigned.
      const name = /^\s*([\w$]+)\s*$/.exec(arg)?.[1];
      const assigned = name ? new RegExp(`(?:^|[^\\w$])${name.replace(/\$/g, '\\$')}\\s*=\\s*([^;\\n]*)`).exec(code) : null;
      if (assigned && STDIN.test(assigned[1])) mark('stdin');
    }
  }
  // `.then(eval)`, `.then(Function)`: a promise's value evaluated.
  if (lang === 'node' && network && /\.then\s*\(\s*(?:eval|Function|\(?\s*[\w$]+\s*\)?\s*=>\s*eval\s*\()/.test(masked)) mark('network');
  return out;
}
