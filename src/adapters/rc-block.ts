import { chmodSync, closeSync, ftruncateSync, lstatSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The markers around our block in a shell startup file. */
export const BEGIN = '# >>> agentfirewall >>>';
export const END = '# <<< agentfirewall <<<';

// Flags on the begin line remember what install changed, so that uninstall restores the file byte for byte.
const CREATED = ' (file created by agentfirewall)';
const NEWLINE = ' (newline added by agentfirewall)';

/** A startup file we refuse to change, with where and why (`file:line: ...`). */
export class RcFileError extends Error {}

// The file is handled as bytes: latin1 maps each byte to one character and back, so a file that is not UTF-8
// comes back exactly as it was, and the markers (ASCII) are still found.
const BYTES = 'latin1';
const asBytes = (text: string) => Buffer.from(text, 'utf8').toString(BYTES);

const lineOf = (text: string, at: number) => text.slice(0, at).split('\n').length;

/** Where a block starts and ends in `text`, with the flags it was written with; throws on a stray begin marker. */
function findBlock(text: string, file: string): { start: number; end: number; created: boolean; newline: boolean } | null {
  const start = text.startsWith(BEGIN) ? 0 : text.indexOf(`\n${BEGIN}`) + 1;
  if (start <= 0 && !text.startsWith(BEGIN)) return null;
  const lineEnd = text.indexOf('\n', start);
  const beginLine = text.slice(start, lineEnd < 0 ? text.length : lineEnd);
  const endAt = text.indexOf(`\n${END}`, start);
  // A begin marker without its end (or a second begin before it): what lies after it is the user's, never ours
  // to remove, so nothing is changed until a person has looked.
  const nextBegin = text.indexOf(`\n${BEGIN}`, start + 1);
  if (endAt < 0 || (nextBegin >= 0 && nextBegin < endAt)) {
    throw new RcFileError(
      `${file}:${lineOf(text, start)}: an agentfirewall begin marker without its end marker (${END}); ` +
        'nothing was changed: remove that line, or put the end marker after the agentfirewall lines, then run this again',
    );
  }
  let end = endAt + 1 + END.length;
  if (text[end] === '\n') end++;
  return { start, end, created: beginLine.includes(CREATED), newline: beginLine.includes(NEWLINE) };
}

/**
 * The file to write for `path`. A symlinked rc file (dotfile managers) is written through, at its target;
 * a symlink that points at nothing is refused: creating its target somewhere is not ours to decide.
 */
function target(path: string): string {
  let link = false;
  try {
    link = lstatSync(path).isSymbolicLink();
  } catch {
    return path; // does not exist yet
  }
  if (!link) return path;
  try {
    return realpathSync(path);
  } catch {
    throw new RcFileError(`${path} is a symbolic link to a file that does not exist; nothing was changed: create the file it points to, or remove the link`);
  }
}

/**
 * Replace a file's content, keeping its mode: atomically (temporary file + rename), except for a file with more
 * than one hard link, which is rewritten in place so that every name of it keeps seeing the same file.
 */
function writeFile(path: string, text: string, mode: number | undefined, links: number): void {
  if (links > 1) {
    const bytes = Buffer.from(text, BYTES);
    const fd = openSync(path, 'r+');
    try {
      writeSync(fd, bytes, 0, bytes.length, 0);
      ftruncateSync(fd, bytes.length); // after the write: a failed write never leaves the file shorter
    } finally {
      closeSync(fd);
    }
    return;
  }
  const tmp = join(dirname(path), `.${path.split('/').pop()}.agentfirewall-${process.pid}.tmp`);
  writeFileSync(tmp, Buffer.from(text, BYTES), { mode: mode ?? 0o644 });
  if (mode !== undefined) chmodSync(tmp, mode);
  renameSync(tmp, path);
}

/** The file's bytes (as latin1 text), mode and link count, or null when it does not exist. */
function readRc(file: string): { text: string; mode: number; links: number } | null {
  try {
    const text = readFileSync(file, BYTES);
    const st = statSync(file);
    return { text, mode: st.mode & 0o7777, links: st.nlink };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Add our block (or replace it, if it is there) in a startup file. Idempotent: installing twice writes the
 * same bytes. Returns whether the file changed.
 */
export function installBlock(path: string, body: string): boolean {
  const file = target(path);
  const rc = readRc(file);
  const text = rc?.text ?? null;
  const existing = text === null ? null : findBlock(text, file);
  const block = asBytes(body);
  let next: string;
  if (text !== null && existing) {
    const flags = `${existing.created ? CREATED : ''}${existing.newline ? NEWLINE : ''}`;
    next = text.slice(0, existing.start) + `${BEGIN}${flags}\n${block}${END}\n` + text.slice(existing.end);
  } else if (text === null) {
    next = `${BEGIN}${CREATED}\n${block}${END}\n`;
  } else {
    const needsNewline = text.length > 0 && !text.endsWith('\n');
    next = `${text}${needsNewline ? '\n' : ''}${BEGIN}${needsNewline ? NEWLINE : ''}\n${block}${END}\n`;
  }
  if (next === text) return false;
  writeFile(file, next, rc?.mode, rc?.links ?? 1);
  return true;
}

/** Remove our block, restoring the file as it was before install (removing it if install created it). */
export function uninstallBlock(path: string): boolean {
  const file = target(path);
  const rc = readRc(file);
  if (!rc) return false;
  const { text } = rc;
  const block = findBlock(text, file);
  if (!block) return false;
  const before = block.newline && block.start > 0 ? text.slice(0, block.start - 1) : text.slice(0, block.start);
  const next = before + text.slice(block.end);
  if (block.created && next === '' && rc.links === 1) {
    unlinkSync(file);
    return true;
  }
  writeFile(file, next, rc.mode, rc.links);
  return true;
}

/** Is our block in the file? (A stray begin marker counts as not installed.) */
export function hasBlock(path: string): boolean {
  try {
    return findBlock(readFileSync(target(path), BYTES), path) !== null;
  } catch {
    return false;
  }
}
