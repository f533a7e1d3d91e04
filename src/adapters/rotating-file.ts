import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmdirSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** How long a rotation lock may be held before another process treats it as abandoned. */
const STALE_LOCK_MS = 10_000;

/**
 * Append one complete line to `file`, rotating first when the line would take it past `maxSize`.
 *
 * Safe with many writers: each line is a single `write` on an `O_APPEND` descriptor, so lines never
 * interleave; rotation renames under a lock directory and re-checks the size once it holds the lock,
 * so it happens once however many processes notice the limit. A writer that opened the file just
 * before a rotation lands its line in `file.1`: late, never lost.
 */
export function appendLine(file: string, line: string, maxSize: number, maxFiles: number): void {
  const data = Buffer.from(line.endsWith('\n') ? line : `${line}\n`);
  let fd = openAppend(file);
  try {
    const size = fstatSync(fd).size;
    if (size > 0 && size + data.length > maxSize) {
      closeSync(fd);
      fd = -1;
      rotate(file, data.length, maxSize, maxFiles);
      fd = openAppend(file);
    }
    writeSync(fd, data);
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

function openAppend(file: string): number {
  try {
    return openSync(file, 'a', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    return openSync(file, 'a', 0o600);
  }
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
