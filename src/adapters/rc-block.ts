import { chmodSync, lstatSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The markers around our block in a shell startup file. */
export const BEGIN = '# >>> agentfirewall >>>';
export const END = '# <<< agentfirewall <<<';

// Flags on the begin line remember what install changed, so that uninstall restores the file byte for byte.
const CREATED = ' (file created by agentfirewall)';
const NEWLINE = ' (newline added by agentfirewall)';

/** Where a block starts and ends in `text`, with the flags it was written with. */
function findBlock(text: string): { start: number; end: number; created: boolean; newline: boolean } | null {
  const start = text.startsWith(BEGIN) ? 0 : text.indexOf(`\n${BEGIN}`) + 1;
  if (start <= 0 && !text.startsWith(BEGIN)) return null;
  const lineEnd = text.indexOf('\n', start);
  const beginLine = text.slice(start, lineEnd < 0 ? text.length : lineEnd);
  const endAt = text.indexOf(`\n${END}`, start);
  if (endAt < 0) return null;
  let end = endAt + 1 + END.length;
  if (text[end] === '\n') end++;
  return { start, end, created: beginLine.includes(CREATED), newline: beginLine.includes(NEWLINE) };
}

/** The file to write for `path`: a symlinked rc file is written through, at its target. */
function target(path: string): string {
  try {
    if (lstatSync(path).isSymbolicLink()) return realpathSync(path);
  } catch {
    // does not exist yet
  }
  return path;
}

/** Replace a file's content atomically (temporary file + rename), keeping its mode. */
function writeAtomic(path: string, text: string, mode: number | undefined): void {
  const tmp = join(dirname(path), `.${path.split('/').pop()}.agentfirewall-${process.pid}.tmp`);
  writeFileSync(tmp, text, { mode: mode ?? 0o644 });
  if (mode !== undefined) chmodSync(tmp, mode);
  renameSync(tmp, path);
}

/**
 * Add our block (or replace it, if it is there) in a startup file. Idempotent: installing twice writes the
 * same bytes. Returns whether the file changed.
 */
export function installBlock(path: string, body: string): boolean {
  const file = target(path);
  let text: string | null = null;
  let mode: number | undefined;
  try {
    text = readFileSync(file, 'utf8');
    mode = statSync(file).mode & 0o7777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const existing = text === null ? null : findBlock(text);
  let next: string;
  if (text !== null && existing) {
    const flags = `${existing.created ? CREATED : ''}${existing.newline ? NEWLINE : ''}`;
    next = text.slice(0, existing.start) + `${BEGIN}${flags}\n${body}${END}\n` + text.slice(existing.end);
  } else if (text === null) {
    next = `${BEGIN}${CREATED}\n${body}${END}\n`;
  } else {
    const needsNewline = text.length > 0 && !text.endsWith('\n');
    next = `${text}${needsNewline ? '\n' : ''}${BEGIN}${needsNewline ? NEWLINE : ''}\n${body}${END}\n`;
  }
  if (next === text) return false;
  writeAtomic(file, next, mode);
  return true;
}

/** Remove our block, restoring the file as it was before install (removing it if install created it). */
export function uninstallBlock(path: string): boolean {
  const file = target(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const block = findBlock(text);
  if (!block) return false;
  const before = block.newline && block.start > 0 ? text.slice(0, block.start - 1) : text.slice(0, block.start);
  const next = before + text.slice(block.end);
  if (block.created && next === '') {
    unlinkSync(file);
    return true;
  }
  writeAtomic(file, next, statSync(file).mode & 0o7777);
  return true;
}

/** Is our block in the file? */
export function hasBlock(path: string): boolean {
  try {
    return findBlock(readFileSync(target(path), 'utf8')) !== null;
  } catch {
    return false;
  }
}
