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

/**
 * Watch a file the watcher has just put back, on its own inode, until the tree watch reports it. The tree watch
 * learns of a new file only once it has looked at it, so a delete that comes first would be seen by nobody.
 * Calls `onGone` once if the file goes before that; the returned function stops the watch (the tree watch has it).
 */
export function watchUntilSeen(path: string, onGone: () => void): () => void {
  let done = false;
  let watcher: FSWatcher | undefined;
  const stop = () => {
    done = true;
    watcher?.close();
  };
  const check = () => {
    if (done || fileState(path) !== 'gone') return;
    stop();
    onGone();
  };
  try {
    watcher = watch(path, { persistent: false }, check);
    watcher.on('error', check);
  } catch {
    // Gone already: the check below reports it.
  }
  check();
  return stop;
}
