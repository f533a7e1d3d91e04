/**
 * agentfirewall as a library: the pure engine and shell layer, and the config layer that builds policies.
 * The command-line interface is `bin/agentfirewall.js`.
 */
export * from './engine/index.js';
export * from './shell/index.js';
export { createEngine, picomatchGlob } from './config/glob.js';
export { compilePolicy, mergeSettings, type PolicyLayers } from './config/compile.js';
export { validateConfig, validateRulesFile, formatIssue, type ConfigIssue, type SourceDocument, type Position } from './config/validate.js';
export { loadPolicyFromYaml, loadFallbackPolicy, loadPresetChain, parseYaml } from './config/load.js';
export { loadPolicy } from './config/policy-cache.js';
export { findProjectDir, firewallPaths, PRESET_NAMES } from './config/locate.js';
export type { FirewallConfig, PartialConfig, RuleEntry, LoggingConfig, LogLevel } from './config/schema.js';
export type { LoadedPolicy } from './config/policy-types.js';
export { VERSION } from './version.js';
