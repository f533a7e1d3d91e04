/**
 * POSIX path arithmetic without `node:path`, so the pure layers can resolve `..`, `~` and relative paths.
 * Paths here are always absolute and use `/`.
 */

/** Collapse `.`, `..` and repeated slashes of an absolute path. `..` above `/` stays at `/`. */
export function normalizePath(path: string): string {
  // Most paths are already normal: no `//`, no `.` or `..` segment, no trailing slash.
  if (path.startsWith('/') && !/\/\/|\/\.\.?(\/|$)|.\/$/.test(path)) return path;
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

/** Resolve `path` against the absolute directory `base`. */
export function joinPath(base: string, path: string): string {
  return normalizePath(path.startsWith('/') ? path : `${base}/${path}`);
}

/** True when `path` is `dir` or lies below it (both normalised). */
export function isWithin(path: string, dir: string): boolean {
  if (dir === '/') return true;
  return path === dir || path.startsWith(dir + '/');
}

/** `path` relative to `dir`, or null when it is not inside it. */
export function relativeTo(path: string, dir: string): string | null {
  if (!isWithin(path, dir)) return null;
  if (path === dir) return '';
  return dir === '/' ? path.slice(1) : path.slice(dir.length + 1);
}

/** The parent directory of a normalised absolute path. */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** The last segment of a path. */
export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** The home directory of `user`, guessed from the current home's parent (`/home/<user>`), `/root` for root. */
export function homeOf(user: string, currentHome: string): string {
  if (user === 'root') return '/root';
  if (basename(currentHome) === user) return currentHome;
  const parent = dirname(currentHome);
  return `${parent === '/' ? '/home' : parent}/${user}`;
}
