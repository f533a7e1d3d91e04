import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import { basename, dirname } from 'node:path';

/** One line of the audit log as it is stored, and the object it holds (null when it is not JSON). */
export interface AuditEntry {
  raw: string;
  entry: Record<string, unknown> | null;
}

/** The audit log and its rotated files, oldest first: `firewall.log.3`, `.2`, `.1`, then `firewall.log`. */
export function auditFiles(file: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch {
    return [];
  }
  const base = basename(file);
  const rotated = names
    .map((name) => (name.startsWith(`${base}.`) && /^\d+$/.test(name.slice(base.length + 1)) ? Number(name.slice(base.length + 1)) : 0))
    .filter((n) => n > 0)
    .sort((a, b) => b - a)
    .map((n) => `${file}.${n}`);
  return names.includes(base) ? [...rotated, file] : rotated;
}

/** Reads in a row a file may be absent before its offset is forgotten (it was deleted by rotation). */
const FORGET_AFTER_MISSES = 8;

/** A file's identity across renames: the same inode, created at the same time (inode numbers are reused). */
const identity = (s: Stats) => `${s.dev}:${s.ino}:${s.birthtimeMs}`;

/**
 * Reads what was appended to the audit log since the last call, across rotation: it remembers how far it
 * read each file by identity, not by name, so a file renamed from `firewall.log` to `firewall.log.1` is
 * read on from where it was left and never twice, and files rotated in between are read whole. Only
 * complete lines are taken; a line still being written is read at the next call.
 */
export class AuditTail {
  private readonly offsets = new Map<string, number>();
  private readonly missed = new Map<string, number>();

  constructor(readonly file: string) {}

  /** Every complete line added since the previous call (on the first call: all of them), oldest first. */
  read(): AuditEntry[] {
    const out: AuditEntry[] = [];
    const seen = new Set<string>();
    for (const { fd, stat } of openAll(this.file)) {
      try {
        const id = identity(stat);
        if (seen.has(id)) continue;
        seen.add(id);
        let offset = this.offsets.get(id) ?? 0;
        if (offset > stat.size) offset = 0; // truncated: read it again from the start
        const bytes = readFrom(fd, offset, stat.size);
        const end = bytes.lastIndexOf(0x0a);
        this.offsets.set(id, offset + end + 1);
        if (end < 0) continue;
        for (const raw of bytes.subarray(0, end).toString('utf8').split('\n')) if (raw) out.push({ raw, entry: parse(raw) });
      } finally {
        closeSync(fd);
      }
    }
    // A file missed once may only have been renamed between listing and opening: forget it only after it
    // has been missing for several reads, or it would be read again from the start under its new name.
    for (const id of this.offsets.keys()) {
      if (seen.has(id)) this.missed.delete(id);
      else if ((this.missed.get(id) ?? 0) + 1 >= FORGET_AFTER_MISSES) {
        this.offsets.delete(id);
        this.missed.delete(id);
      } else this.missed.set(id, (this.missed.get(id) ?? 0) + 1);
    }
    return out;
  }
}

/** Attempts at a listing that no rotation changed while its files were opened. */
const CONSISTENT_TRIES = 5;

/**
 * The log's files, opened oldest first, as one consistent set: a rotation between listing and opening shifts
 * every name by one, so the file under a name already passed would be read only at the next call, after newer
 * lines. The set is taken again until each name still holds the file opened under it.
 */
function openAll(file: string): { fd: number; stat: Stats }[] {
  for (let attempt = 1; ; attempt++) {
    const names = auditFiles(file);
    const opened: { fd: number; stat: Stats }[] = [];
    let consistent = true;
    for (const path of names) {
      try {
        const fd = openSync(path, 'r');
        opened.push({ fd, stat: fstatSync(fd) });
      } catch {
        consistent = false; // rotated away between listing and opening
      }
    }
    if (consistent) consistent = names.every((path, i) => sameFile(path, opened[i].stat));
    if (consistent || attempt === CONSISTENT_TRIES) return opened;
    for (const { fd } of opened) closeSync(fd);
  }
}

function sameFile(path: string, stat: Stats): boolean {
  try {
    return identity(statSync(path)) === identity(stat);
  } catch {
    return false;
  }
}

function readFrom(fd: number, offset: number, size: number): Buffer {
  if (size <= offset) return Buffer.alloc(0);
  const buffer = Buffer.alloc(size - offset);
  let got = 0;
  while (got < buffer.length) {
    const n = readSync(fd, buffer, got, buffer.length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  return buffer.subarray(0, got);
}

function parse(raw: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
