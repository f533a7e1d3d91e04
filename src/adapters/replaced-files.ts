import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The state of a file as one string (inode, size, times), or `gone`: two events that see the same state are one
 * change, so a file watched twice is judged once.
 */
export function fileState(path: string): string {
  try {
    const s = statSync(path);
    return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch {
    return 'gone';
  }
}

/**
 * Watch files that their owner replaces whole by a rename (git renames `config.lock` over `config`) through their
 * directory's own watch, which reports every change by name. A watch on the file itself stays on the old inode
 * after such a rename, so a later in-place append to the new file can go unseen. Calls `onChange` with the path
 * and `change` or `unlink`; returns a function that stops watching.
 */
export function watchByName(files: readonly string[], onChange: (event: 'change' | 'unlink', path: string) => void): () => void {
  const byDir = new Map<string, Set<string>>();
  for (const file of files) {
    const names = byDir.get(dirname(file)) ?? new Set<string>();
    names.add(basename(file));
    byDir.set(dirname(file), names);
  }
  const watchers: FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    try {
      const w = watch(dir, { persistent: false }, (_type, name) => {
        const file = name?.toString();
        if (!file || !names.has(file)) return;
        const path = join(dir, file);
        onChange(fileState(path) === 'gone' ? 'unlink' : 'change', path);
      });
      w.on('error', () => w.close()); // the directory went away: chokidar reports that on its own
      watchers.push(w);
    } catch {
      // No such directory yet (a project without .git): nothing to watch by name.
    }
  }
  return () => {
    for (const w of watchers) w.close();
  };
}
