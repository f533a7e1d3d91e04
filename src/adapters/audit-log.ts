import { join } from 'node:path';
import pino from 'pino';
import type { LoggingConfig } from '../config/schema.js';
import type { Decision } from '../engine/types.js';
import { shouldRecord } from './audit-level.js';
import { appendLine } from './rotating-file.js';

/** What a decision was about. */
export type AuditType = 'command' | 'file' | 'network' | 'process';

/** One audit line's content (pino adds `time`). */
export interface AuditRecord {
  type: AuditType;
  target: string;
  verdict: string;
  rule: string;
  detail: string;
  /** Who asked: cli, bash, zsh, watcher, claude ... */
  source: string;
  cwd?: string;
  pid?: number;
}

/** An audit log that could not be written: never swallowed, callers report it. */
export class AuditLogError extends Error {
  constructor(readonly file: string, cause: unknown) {
    super(`cannot write the audit log ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`);
  }
}

/** Writes decisions to the project's rotating JSON-lines audit log. */
export interface AuditLog {
  readonly file: string;
  /** Write one record if the level lets it through. Throws `AuditLogError` when it cannot be written. */
  record(record: AuditRecord): void;
  /** Convenience for an engine decision. */
  decision(type: AuditType, target: string, decision: Decision, source: string, cwd?: string): void;
}


/**
 * Open the audit log of a project. Lines are formatted by pino and written synchronously by our own
 * rotating appender: a short-lived `check` process exits right after, and must not lose its line to
 * an asynchronous transport.
 */
export function openAuditLog(firewallDir: string, logging: LoggingConfig): AuditLog {
  const file = join(firewallDir, logging.file);
  let failure: unknown;
  const destination = {
    write(line: string) {
      try {
        appendLine(file, line, logging.max_size, logging.max_files);
      } catch (error) {
        failure = error;
      }
    },
  };
  const logger = pino(
    {
      base: undefined,
      messageKey: 'detail',
      // No level field: with an empty level the timestamp opens the object, so it has no leading comma.
      timestamp: () => `"time":"${new Date().toISOString()}"`,
      formatters: { level: () => ({}) },
    },
    destination,
  );
  return {
    file,
    record(r) {
      if (!shouldRecord(logging, r.verdict)) return;
      const { detail, ...fields } = r;
      failure = undefined;
      logger.info({ ...fields, pid: r.pid ?? process.pid }, detail);
      if (failure) throw new AuditLogError(file, failure);
    },
    decision(type, target, d, source, cwd) {
      this.record({ type, target, verdict: d.verdict, rule: d.rule, detail: d.reason, source, cwd });
    },
  };
}
