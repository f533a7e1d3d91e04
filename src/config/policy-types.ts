import type { Policy } from '../engine/types.js';
import type { HooksConfig, LoggingConfig, WatcherConfig } from './schema.js';
import type { ConfigIssue } from './validate.js';

/** A project's policy as loaded, with the logging settings the enforcement points need. */
export interface LoadedPolicy {
  policy: Policy;
  logging: LoggingConfig;
  watcher: WatcherConfig;
  hooks: HooksConfig;
  /** The preset the config builds on. */
  preset: string;
  /** Problems found; the policy is only to be used when this is empty (or as an explicit fallback). */
  issues: ConfigIssue[];
  /**
   * Set when config.yaml is gone (a checkout of a branch without it, most often) and the last policy that
   * loaded cleanly is enforced instead: said with every deny and warn, and by `status`.
   */
  lastGood?: string;
}
