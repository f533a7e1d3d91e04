/**
 * Disks beyond the kernel's short names: the stable links under `/dev/disk/by-*`, device-mapper and LVM volumes
 * (`/dev/mapper/x`, `/dev/VG/LV`), network, RAID, zvol and persistent-memory devices; the tools that format, erase
 * or overwrite them (cryptsetup, nvme, mdadm, zpool/zfs, badblocks -w, ddrescue, diskutil, hdparm); and the dry
 * runs that touch nothing (`mke2fs -n`, `wipefs --no-act`, `sgdisk --pretend`, `mkfs.xfs -N`, `zfs destroy -n`).
 */
import type { Field } from '../shell/expand.js';
import { hasOption, parseArgs } from './tool-args.js';

const MORE_DEVICES = /^\/dev\/(disk\/by-[a-z-]+\/.+|nbd\d+(p\d+)?|nvme\d+|md\/[^/]+|zd\d+(p\d+)?|rbd\d+(p\d+)?|pmem\d+(p\d+)?|bcache\d+|mtdblock\d+|ubd[a-z]+\d*|block\/[^/]+|zvol\/.+)$/;
// Directories of /dev that hold no disks: anything else two levels down is a volume group's logical volume.
const NOT_VOLUME_GROUPS = /^\/dev\/(fd|pts|shm|mqueue|hugepages|net|snd|input|dri|bus|char|cpu|usb|vfio|v4l|serial|bsg|dma_heap|xen|vhost-net|tcp|udp|cuse|fuse|hidraw|raw|log|dmi|gpiochip)\//;
const VOLUME = /^\/dev\/[A-Za-z0-9_][A-Za-z0-9_.+-]*\/[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

/** True for the disk device paths the short-name table does not cover. */
export function isMoreDiskDevice(path: string): boolean {
  return MORE_DEVICES.test(path) || (VOLUME.test(path) && !NOT_VOLUME_GROUPS.test(path));
}

const DISK_TOOLS = new Set(['cryptsetup', 'nvme', 'mdadm', 'zpool', 'zfs', 'badblocks', 'ddrescue', 'gddrescue', 'diskutil', 'hdparm']);

const operandTexts = (args: readonly Field[], short = '', long: string[] = []) => parseArgs(args, { short, long }).operands.filter((f) => !f.dynamic).map((f) => f.text);

/** Devices (or pools, datasets, macOS disk identifiers) that a disk tool destroys the data of. */
export function diskToolTargets(name: string, args: readonly Field[], isDevice: (path: string) => boolean): string[] {
  if (!DISK_TOOLS.has(name)) return [];
  const texts = args.map((a) => a.text);
  const devicesIn = (list: readonly string[]) => list.filter(isDevice);
  switch (name) {
    case 'cryptsetup': {
      const ops = operandTexts(args, 'chsdSilbopTt', ['cipher', 'key-file', 'key-size', 'hash', 'type', 'key-slot', 'iter-time', 'pbkdf', 'label', 'header']);
      return /^(luksFormat|erase|luksErase|reencrypt)$/.test(ops[0] ?? '') && !(ops[0] === 'reencrypt' && !texts.includes('--encrypt')) ? ops.slice(1, 2) : [];
    }
    case 'nvme':
      return /^(format|sanitize|write-zeroes|write-uncor)$/.test(texts[0] ?? '') ? devicesIn(texts) : [];
    case 'mdadm':
      return texts.some((t) => /^(--create|--zero-superblock|--build|-[CB])$/.test(t)) ? devicesIn(texts) : [];
    case 'zpool': {
      const ops = operandTexts(args, 'oOmR', []);
      if (ops[0] === 'destroy' || ops[0] === 'labelclear') return ops.slice(1, 2);
      return ops[0] === 'create' ? devicesIn(ops) : [];
    }
    case 'zfs': {
      const ops = operandTexts(args);
      // A snapshot (`pool/fs@snap`) is routine housekeeping; a dataset takes its data with it.
      return ops[0] === 'destroy' && ops[1] && !ops[1].includes('@') ? [ops[1]] : [];
    }
    case 'badblocks': {
      const { options, operands } = parseArgs(args, { short: 'bcdeiopt', long: [] });
      return hasOption(options, 'w') ? operands.slice(0, 1).map((f) => f.text) : [];
    }
    case 'ddrescue':
    case 'gddrescue': {
      const ops = operandTexts(args, 'bceimosaKlxZ', []);
      return ops[1] !== undefined && isDevice(ops[1]) ? [ops[1]] : [];
    }
    case 'diskutil': {
      const ops = operandTexts(args);
      const verb = ops[0] === 'apfs' || ops[0] === 'cs' || ops[0] === 'ar' ? ops[1] : ops[0];
      const destroys = /^(eraseDisk|eraseVolume|zeroDisk|randomDisk|secureErase|partitionDisk|reformat|splitPartition|mergePartitions|deleteContainer|deleteVolume|delete|eraseCD)$/;
      return verb && destroys.test(verb) && ops.length > 1 ? [ops[ops.length - 1]] : [];
    }
    case 'hdparm':
      return texts.some((t) => /^--(security-erase(-enhanced)?|trim-sector-ranges(-stdin)?|write-sector|make-bad-sector|dco-restore|fwdownload.*)$/.test(t)) ? devicesIn(texts) : [];
  }
  return [];
}

/** A run that only reports what it would do: its disk effects do not happen. `-n` means this only where it does (not mkfs.fat/btrfs/xfs, where it is a label or a size). */
export function isDiskDryRun(name: string, args: readonly Field[]): boolean {
  const texts = args.map((a) => a.text);
  const flag = (letter: string, valueLetters: string) => parseArgs(args, { short: valueLetters, long: [] }).options.some((o) => o.name === letter);
  if (/^(mke2fs|mkfs\.ext[234]|mkfs\.ext4dev)$/.test(name) || (name === 'mkfs' && /^ext[234]$/.test(texts[texts.indexOf('-t') + 1] ?? ''))) return flag('n', 'bCdEgGiIJlLmMNoOrtTUez');
  if (name === 'mkntfs' || name === 'mkfs.ntfs') return texts.includes('--no-action') || flag('n', 'cCGHLpsSz');
  if (name === 'mkfs.xfs') return flag('N', 'bdfilLmnprs');
  if (name === 'wipefs') return texts.includes('--no-act') || flag('n', 'optO');
  if (name === 'sgdisk') return texts.includes('--pretend') || flag('P', 'abcdeEfgGhiIjlLmnNortTuUz');
  if (name === 'sfdisk') return texts.includes('--no-act') || flag('n', 'NXYoOJ');
  if (name === 'zpool' || name === 'zfs') return flag('n', 'oOmR');
  return false;
}
