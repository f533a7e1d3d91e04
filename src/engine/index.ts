/** The pure engine: policy + event -> decision. */
export type * from './types.js';
export { FILE_OPERATIONS } from './types.js';
export { Engine, decide, type CommandAnalysis, type EngineOptions } from './engine.js';
export { BUILTIN_RULES, BUILTIN_RULE_IDS, PACK_ID_PATTERN, RULE_ID_PATTERN, type BuiltinRule } from './builtin-rules.js';
export { compileCommandPattern, patternWords, type CommandPattern } from './command-pattern.js';
export { normalizeArgv, OPTION_SPECS, type NormalizedCommand, type OptionSpec } from './options.js';
export { compilePathGlob, type GlobMatcherFactory, type PathGlob } from './path-globs.js';
export { normalizeHost, parseIPv4, compileHostPattern, type HostPattern } from './hosts.js';
