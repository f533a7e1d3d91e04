/**
 * Commands run in a container or jail (`docker run -v "$PWD":/app …`, `bwrap --bind`, `chroot DIR`) name the
 * container's paths: an effect on a mounted path is an effect on the host path behind it, and an effect on any other
 * path is the container's own business, not judged as the host's. Pure.
 */
import { hostPathOf, type Mount } from '../shell/runner-model.js';
import type { ExecutedCommand } from '../shell/interpret.js';
import type { Effect, Target } from './effects.js';

/** The effects of `command` as they land on the host, for a command run in a container; others unchanged. */
export function placeEffects(command: ExecutedCommand, effects: Effect[]): Effect[] {
  const hops = command.hops;
  if (!hops || !effects.length || !hops.some((h) => h.where === 'container')) return effects;
  const out: Effect[] = [];
  for (const e of effects) {
    if (e.kind !== 'delete' && e.kind !== 'move' && e.kind !== 'write' && e.kind !== 'create' && e.kind !== 'chmod') {
      out.push(e);
      continue;
    }
    for (const target of toHost(e.target, hops)) {
      const placed = { ...e, target } as Effect;
      if (placed.kind === 'move' && placed.to) {
        // Moved somewhere in the container only: gone from the host path as far as the host can tell.
        placed.to = toHost(placed.to, hops)[0];
      }
      if (placed.kind === 'write' && placed.copyOf) placed.copyOf = toHost(placed.copyOf, hops)[0];
      out.push(placed);
    }
  }
  return out;
}

/** A container target on the host, through every container hop from the innermost out; none when it is not mounted. */
function toHost(t: Target, hops: NonNullable<ExecutedCommand['hops']>): Target[] {
  let targets = [t];
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    if (hop.where !== 'container') continue;
    targets = targets.flatMap((x) => mapTarget(x, hop.mounts ?? []));
  }
  return targets;
}

function mapTarget(t: Target, mounts: readonly Mount[]): Target[] {
  if (!t.glob) {
    const host = hostPathOf(t.path, mounts);
    return host === null ? [] : [{ path: host, glob: false, dot: t.dot }];
  }
  // A glob: its fixed head maps like a path; mount points below that head may be among its matches (`rm -rf /*`).
  const star = t.path.search(/[*?[]/);
  const head = t.path.slice(0, t.path.lastIndexOf('/', star) + 1) || '/';
  const mapped = hostPathOf(head.replace(/\/$/, '') || '/', mounts);
  const out: Target[] = [];
  if (mapped !== null) out.push({ path: mapped.replace(/\/$/, '') + t.path.slice(head.length - 1), glob: true, dot: t.dot });
  for (const m of mounts) {
    if (m.host !== null && !m.readOnly && m.inside.startsWith(head) && m.inside !== head.replace(/\/$/, '')) out.push({ path: m.host, glob: false, dot: false });
  }
  return out;
}
