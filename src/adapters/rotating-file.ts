import { closeSync, constants, fstatSync, mkdirSync, openSync, readSync, realpathSync, renameSync, rmdirSync, statSync, writeSync } from 'node:fs';
import { dirname, sep } from 'node:path';

/** How long a rotation lock may be held before another process treats it as abandoned. */
const STALE_LOCK_MS = 10_000;

/** Why a log file cannot be appended to: said in the audit log's error, never swallowed. */
export class LogFileError extends Error {}

/**
 * Append one complete line to `file`, rotating first when the line would take it past `maxSize`.
 *
 * Safe with many writers: each line is a single `write` on an `O_APPEND` descriptor, so lines never
 * interleave; rotation renames under a lock directory and re-checks the size once it holds the lock,
 * so it happens once however many processes notice the limit. A writer that opened the file just
 * before a rotation lands its line in `file.1`: late, never lost.
 *
 * Faults are errors, never silence or a hang: the file is opened without blocking and without following a
 * final symlink, and must be a regular file (a FIFO or a device is refused); with `within` set, its directory
 * must resolve inside `within`; a short write (full disk, file-size limit) is reported, and the next line
 * starts on a line of its own when the file does not end with a newline.
 */
export function appendLine(file: string, line: string, maxSize: number, maxFiles: number, within?: string): void {
  const data = Buffer.from(line.endsWith('\n') ? line : `${line}\n`);
  let fd = openAppend(file, within);
  try {
    let size = fstatSync(fd).size;
    if (size > 0 && size + data.length > maxSize) {
      closeSync(fd);
      fd = -1;
      rotate(file, data.length, maxSize, maxFiles);
      fd = openAppend(file, within);
      size = fstatSync(fd).size;
    }
    // Another process may have rotated the file since we opened it: write to the file now at `file`, so one
    // writer's lines stay in order for a reader that follows the rotations (a rare race remains: late, not lost).
    for (let tries = 0; tries < 3 && rotatedAway(file, fd); tries++) {
      closeSync(fd);
      fd = -1;
      fd = openAppend(file, within);
      size = fstatSync(fd).size;
    }
    writeAll(fd, endsTorn(fd, size) ? Buffer.concat([NEWLINE, data]) : data);
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

const NEWLINE = Buffer.from('\n');

/** Whether the open file is no longer the one at `file` (renamed away by a rotation). */
function rotatedAway(file: string, fd: number): boolean {
  try {
    return statSync(file).ino !== fstatSync(fd).ino;
  } catch {
    return true;
  }
}

/** Whether the file's last byte is not a newline: an earlier short write left part of a line. */
function endsTorn(fd: number, size: number): boolean {
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  return readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
}

/** One write, or an error saying how much of the line landed. */
function writeAll(fd: number, data: Buffer): void {
  let written = 0;
  try {
    written = writeSync(fd, data);
    // A short write is retried once for the rest: a full disk or a size limit answers with an error then.
    if (written < data.length) written += writeSync(fd, data, written);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new LogFileError(written > 0 ? `short write: ${written} of ${data.length} bytes, then ${code}` : code);
  }
  if (written < data.length) throw new LogFileError(`short write: ${written} of ${data.length} bytes`);
}

const OPEN_FLAGS = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK | constants.O_NOFOLLOW;

function openAppend(file: string, within: string | undefined): number {
  // Checked before the open, which would otherwise create the file wherever a symlinked directory points.
  if (within) insideOrThrow(nearestExisting(dirname(file)), within);
  let fd: number;
  try {
    fd = openChecked(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    fd = openChecked(file);
  }
  try {
    if (!fstatSync(fd).isFile()) throw new LogFileError('not a regular file (a FIFO, device or socket is no place for the log)');
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

function openChecked(file: string): number {
  try {
    return openSync(file, OPEN_FLAGS, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new LogFileError('the log file is a symlink; it is not followed');
    if (code === 'ENXIO') throw new LogFileError('not a regular file (a FIFO with no reader)');
    throw error;
  }
}

function nearestExisting(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    try {
      statSync(d);
      return d;
    } catch {
      if (dirname(d) === d) return d;
    }
  }
}

/** Refuse a log directory that resolves (through a symlink) outside `within`. */
function insideOrThrow(dir: string, within: string): void {
  let root: string;
  try {
    root = realpathSync.native(within);
  } catch {
    return; // `within` itself is gone: mkdir makes real directories, there is no symlink to follow
  }
  const real = realpathSync.native(dir);
  if (real !== root && !real.startsWith(root + sep)) throw new LogFileError(`its directory resolves to ${real}, outside .agentfirewall/; a log is never written there`);
}

function rotate(file: string, incoming: number, maxSize: number, maxFiles: number): void {
  const lock = `${file}.lock`;
  if (!takeLock(lock)) return; // another process is rotating; append to whatever is current
  try {
    let size = 0;
    try {
      size = statSync(file).size;
    } catch {
      return; // already rotated away
    }
    if (size === 0 || size + incoming <= maxSize) return; // someone rotated while we waited
    for (let i = maxFiles - 1; i >= 1; i--) renameIfExists(`${file}.${i}`, `${file}.${i + 1}`);
    renameIfExists(file, `${file}.1`);
  } finally {
    try {
      rmdirSync(lock);
    } catch {
      // already gone
    }
  }
}

function takeLock(lock: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(lock);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs < STALE_LOCK_MS) return false;
        rmdirSync(lock); // left behind by a crashed writer
      } catch {
        // vanished meanwhile: try again
      }
    }
  }
  return false;
}

function renameIfExists(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
