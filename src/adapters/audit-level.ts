import type { LoggingConfig } from '../config/schema.js';

/**
 * Whether a decision with this verdict is written at the configured level (info: all, warn: deny+warn, error: deny).
 * A `restore` (the watcher putting a protected file back) is enforcement and is written at every level.
 */
export function shouldRecord(logging: Pick<LoggingConfig, 'enabled' | 'level'>, verdict: string): boolean {
  if (!logging.enabled) return false;
  if (logging.level === 'info') return true;
  if (logging.level === 'warn') return verdict !== 'allow';
  return verdict === 'deny' || verdict === 'restore';
}
