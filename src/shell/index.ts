/** The pure shell layer: command line text in, syntax tree and executed commands out. */
export type * from './ast.js';
export { parse, MAX_NESTING } from './parse.js';
export { expandWord, expandBraceText, type Field, type ShellState } from './expand.js';
export { interpret, quoteForShell, type ExecutedCommand, type Interpretation, type InterpretContext, type ResolvedRedirect } from './interpret.js';
export { commandName, unwrapOnce, shellInvocation, SHELLS, type ShellInvocation, type Unwrapped } from './wrappers.js';
export { normalizePath, joinPath, isWithin, relativeTo, dirname, basename, homeOf } from './paths.js';
