import { createRequire } from 'node:module';
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

/** chalk is loaded only when colour will be shown, keeping it off the `check` start-up path otherwise. */
export async function styleFor(stream: NodeJS.WriteStream): Promise<Style> {
  if (!stream.isTTY || 'NO_COLOR' in process.env) return plain;
  // chalk is an ES module; require() of ES modules keeps this usable from the CommonJS bundle.
  const { Chalk } = createRequire(import.meta.url)('chalk') as typeof import('chalk');
  const chalk = new Chalk({ level: 1 });
  return { deny: chalk.red.bold, warn: chalk.yellow.bold, allow: chalk.green, dim: chalk.dim, bold: chalk.bold };
}

/** A human message on stderr, prefixed `agentfirewall:`. */
export function say(text: string): void {
  process.stderr.write(`agentfirewall: ${text}\n`);
}

/** Requested output on stdout. */
export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function verdictLabel(verdict: Verdict, style: Style): string {
  if (verdict === 'deny') return style.deny('DENY');
  if (verdict === 'warn') return style.warn('WARN');
  return style.allow('ALLOW');
}
