import type { LexSpec } from './lexer.js';
import type { Language } from './source.js';

/** How each language writes comments and strings, for the lexical pass. */
export const LEX: Record<Language, LexSpec> = {
  python: { line: ['#'], block: [], python: true },
  node: { line: ['//'], block: [['/*', '*/']], templateBackticks: true },
  perl: { line: ['#'], block: [], commandBackticks: true, quoteOps: 'perl', interp: '${' },
  ruby: { line: ['#'], block: [['=begin', '=end']], commandBackticks: true, quoteOps: 'ruby', interp: '#{' },
  php: { line: ['//', '#'], block: [['/*', '*/']], commandBackticks: true, interp: '${' },
  awk: { line: ['#'], block: [] },
  lua: { line: ['--'], block: [['--[[', ']]']], longBrackets: true },
  r: { line: ['#'], block: [] },
  julia: { line: ['#'], block: [['#=', '=#']], commandBackticks: true, interp: '$(' },
  tcl: { line: [], block: [] },
  powershell: { line: [], block: [] },
};
