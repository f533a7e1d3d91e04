import { join } from 'node:path';
import type { LoggingConfig } from '../config/schema.js';
import type { Decision } from '../engine/types.js';
import { shouldRecord } from './audit-level.js';
import { appendLine } from './rotating-file.js';

/** What a decision was about. */
export type AuditType = 'command' | 'file' | 'network' | 'process';

/** One audit line's content (the writer adds `time`, and `pid` when it is not given). */
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
    super(`cannot write the audit log ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}; the decision stands`);
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
 * One audit line: `time` first, the record's fields in their order (undefined ones left out), `pid`,
 * and `detail` last. This is the shape the log has always had (pino's, with its level and base fields
 * switched off), so readers of old and new lines see one format; writing it directly keeps pino's
 * module graph off the start-up of every logged `check`.
 */
export function formatAuditLine(record: AuditRecord, time: Date): string {
  const { detail, ...fields } = record;
  return `${JSON.stringify({ time: time.toISOString(), ...fields, pid: record.pid ?? process.pid, detail })}\n`;
}

let linesWritten = 0;

/** How many audit lines this process has written (the start-up code cache keeps the paths that wrote one). */
export const auditLinesWritten = (): number => linesWritten;

/**
 * Open the audit log of a project. Each line is appended synchronously by our own rotating appender:
 * a short-lived `check` process exits right after, and must not lose its line to an asynchronous writer.
 */
export function openAuditLog(firewallDir: string, logging: LoggingConfig): AuditLog {
  const file = join(firewallDir, logging.file);
  return {
    file,
    record(r) {
      if (!shouldRecord(logging, r.verdict)) return;
      try {
        appendLine(file, formatAuditLine(r, new Date()), logging.max_size, logging.max_files, firewallDir);
        linesWritten++;
      } catch (error) {
        throw new AuditLogError(file, error);
      }
    },
    decision(type, target, d, source, cwd) {
      this.record({ type, target, verdict: d.verdict, rule: d.rule, detail: d.reason, source, cwd });
    },
  };
}
