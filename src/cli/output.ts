import { packageRequire } from '../config/locate.js';
import type { Verdict } from '../engine/types.js';

/** Colours for human messages; plain text when the stream is not a terminal or NO_COLOR is set. */
export interface Style {
  deny(text: string): string;
  warn(text: string): string;
  allow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const plain: Style = { deny: (t) => t, warn: (t) => t, allow: (t) => t, dim: (t) => t, bold: (t) => t };

/**
 * Colours for a file descriptor (1 stdout, 2 stderr). chalk is loaded only when colour will be shown,
 * keeping it off the `check` start-up path otherwise.
 */
export async function styleFor(fd: 1 | 2): Promise<Style> {
  if ('NO_COLOR' in process.env || !isTerminal(fd)) return plain;
  // chalk is an ES module; require() of ES modules keeps this usable from the CommonJS bundle.
  const { Chalk } = packageRequire('chalk') as typeof import('chalk');
  const chalk = new Chalk({ level: 1 });
  return { deny: chalk.red.bold, warn: chalk.yellow.bold, allow: chalk.green, dim: chalk.dim, bold: chalk.bold };
}

/**
 * Write straight to a file descriptor. Creating `process.stderr` costs a short-lived `check` about as much
 * as deciding, and a synchronous write cannot be lost when the process exits right after.
 */
function writeFd(fd: 1 | 2, text: string): boolean {
  const { writeSync } = process.getBuiltinModule('node:fs');
  const data = Buffer.from(text);
  for (let offset = 0; offset < data.length; ) {
    try {
      offset += writeSync(fd, data, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue; // a non-blocking pipe that is full: try again
      if ((error as NodeJS.ErrnoException).code === 'EPIPE') return false; // the reader went away
      throw error;
    }
  }
  return true;
}

/**
 * Is the descriptor a terminal? Pipes, files and /dev/null are ruled out with one fstat, because
 * loading `node:tty` costs a `check` more than deciding does.
 */
function isTerminal(fd: 1 | 2): boolean {
  try {
    const stat = process.getBuiltinModule('node:fs').fstatSync(fd);
    if (!stat.isCharacterDevice()) return false;
    if (Math.floor(stat.rdev / 256) % 4096 === 1) return false; // major 1: /dev/null, /dev/zero and friends
  } catch {
    return false;
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
}

/** A human message on stderr, prefixed `agentfirewall:`. */
export function say(text: string): void {
  writeFd(2, `agentfirewall: ${text}\n`);
}

/** Requested output on stdout; false when its reader has gone away. */
export function print(text: string): boolean {
  return writeFd(1, text.endsWith('\n') ? text : `${text}\n`);
}

/** Several lines on stderr, as one write. */
export function sayLines(lines: string[]): void {
  writeFd(2, lines.map((l) => `${l}\n`).join(''));
}

export function verdictLabel(verdict: Verdict, style: Style): string {
  if (verdict === 'deny') return style.deny('DENY');
  if (verdict === 'warn') return style.warn('WARN');
  return style.allow('ALLOW');
}
