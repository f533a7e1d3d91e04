/**
 * The system's own account and boot files: who may log in and with what password, who may become root, and what
 * the machine boots. Deleting, writing, moving, linking over or opening up any of them is refused (`fs/system-files`);
 * reading them is not.
 */
import type { Target } from './effects.js';

const ACCOUNT_FILES = ['/etc/passwd', '/etc/shadow', '/etc/group', '/etc/gshadow', '/etc/sudoers', '/etc/master.passwd'];
/** Directories all of whose contents count (and the directory itself). */
const SYSTEM_FILE_TREES = ['/etc/sudoers.d', '/boot'];
/**
 * Names a glob must not reach: the files, and typical members of the trees. The trees themselves are not probes:
 * `tar -x -C /` writes `/*`, which says nothing of what lands in /boot (a recursive delete of `/*` is rm-root's).
 */
const PROBES = [...ACCOUNT_FILES, '/etc/sudoers.d/90-cloud-init-users', '/boot/vmlinuz', '/boot/initrd.img', '/boot/grub/grub.cfg'];

/** The same path without macOS's `/private` prefix (`/private/etc/sudoers` is `/etc/sudoers`). */
const canonical = (path: string) => (path.startsWith('/private/etc/') ? path.slice(8) : path);

/** The account or boot file a target names, or null. `names` matches a glob target against a path. */
export function systemFileOf(t: Target, names: (t: Target, path: string) => boolean): string | null {
  if (!t.glob) {
    const p = canonical(t.path);
    if (ACCOUNT_FILES.includes(p)) return p;
    return SYSTEM_FILE_TREES.some((d) => p === d || p.startsWith(`${d}/`)) ? p : null;
  }
  const g = canonical(t.path) === t.path ? t : { ...t, path: canonical(t.path), re: undefined };
  // A glob whose fixed part already lies inside a tree (`/boot/vmlinuz-*`).
  const wild = g.path.search(/[*?[]/);
  if (wild < 0) return systemFileOf({ ...g, glob: false }, names);
  const fixed = g.path.slice(0, wild);
  if (SYSTEM_FILE_TREES.some((d) => fixed.startsWith(`${d}/`))) return g.path;
  return PROBES.find((p) => names(g, p)) ?? null;
}
