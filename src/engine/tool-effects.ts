/**
 * Effects of tools that the core table in effects.ts does not list: their writes, deletes, disk wipes and SIGKILLs,
 * each from its own module. Called once per executed command.
 */
import type { Field } from '../shell/expand.js';
import type { ExecutedCommand } from '../shell/interpret.js';
import { toolDeletes } from './delete-tools.js';
import { diskToolTargets, isDiskDryRun } from './disk-devices.js';
import type { Effect } from './effects.js';
import { toolSigkill } from './tool-signals.js';
import { toolWrites } from './tool-writes.js';

/** Every effect of these tools in one command; `isDevice` is the engine's test for a disk device path. */
export function toolEffects(command: ExecutedCommand, name: string, args: readonly Field[], isDevice: (path: string) => boolean): Effect[] {
  const fromFind = command.via.some((v) => v === 'find -exec' || v === 'find -delete');
  const out = [...toolWrites(command, name, args), ...toolDeletes(name, args, command.cwd, fromFind)];
  for (const device of diskToolTargets(name, args, isDevice)) out.push({ kind: 'disk', device, how: name });
  if (toolSigkill(name, args)) out.push({ kind: 'signal', signal: 'KILL', how: name });
  return out;
}

/** Drop the disk effects of a dry run (`wipefs --no-act`, `mke2fs -n`, `sgdisk --pretend`). */
export function withoutDryRunDisks(effects: Effect[], name: string, args: readonly Field[]): Effect[] {
  return effects.some((e) => e.kind === 'disk') && isDiskDryRun(name, args) ? effects.filter((e) => e.kind !== 'disk') : effects;
}
