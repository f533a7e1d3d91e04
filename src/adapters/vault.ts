import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The watcher's restore copies of protected files. They live outside the project (in its state directory),
 * 0700/0600, and are not plain copies: each is sealed with AES-256-GCM under a key that exists only in the
 * watcher's memory, and named by a keyed hash of the path, so the files name nothing and read as noise.
 * A vault is rebuilt at every watcher start; copies of an earlier run (whose key is gone) are removed.
 */
export interface Vault {
  /** Keep a sealed copy of the file as it is now; false when it is larger than `maxBytes` or unreadable. */
  keep(path: string, maxBytes: number): boolean;
  /** The kept bytes and mode of `path`, if a copy is kept and intact. */
  read(path: string): { bytes: Buffer; mode: number } | undefined;
  /** Drop every copy. */
  clear(): void;
  /** Drop every copy and the directory itself. */
  close(): void;
}

const MAGIC = Buffer.from('afv1');

export function openVault(dir: string): Vault {
  const key = randomBytes(32);
  const kept = new Map<string, { file: string; mode: number }>();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const nameOf = (path: string) => createHmac('sha256', key).update(path).digest('hex').slice(0, 40);

  return {
    keep(path, maxBytes) {
      try {
        const st = statSync(path);
        if (!st.isFile() || st.size > maxBytes) return false;
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', key, iv);
        const sealed = Buffer.concat([cipher.update(readFileSync(path)), cipher.final()]);
        const file = join(dir, nameOf(path));
        writeFileSync(file, Buffer.concat([MAGIC, iv, cipher.getAuthTag(), sealed]), { mode: 0o600 });
        chmodSync(file, 0o600);
        kept.set(path, { file, mode: st.mode & 0o7777 });
        return true;
      } catch {
        return false; // unreadable: nothing to restore from
      }
    },
    read(path) {
      const entry = kept.get(path);
      if (!entry) return undefined;
      try {
        const data = readFileSync(entry.file);
        const iv = data.subarray(4, 16);
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAuthTag(data.subarray(16, 32));
        return { bytes: Buffer.concat([decipher.update(data.subarray(32)), decipher.final()]), mode: entry.mode };
      } catch {
        return undefined; // removed or altered: a tampered copy is never put back
      }
    },
    clear() {
      for (const { file } of kept.values()) rmSync(file, { force: true });
      kept.clear();
    },
    close() {
      kept.clear();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
