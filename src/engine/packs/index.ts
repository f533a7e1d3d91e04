import type { Detector } from '../detectors.js';
import { DATABASE_DETECTORS } from './databases.js';
import { ORM_DETECTORS } from './orm.js';
import { INFRASTRUCTURE_DETECTORS } from './infrastructure.js';
import { FORGE_DETECTORS } from './forges.js';
import { MACHINE_DETECTORS } from './machine.js';

/**
 * The detectors of the domain packs. Each names the programs it reads (`programs`), so a command line that runs
 * none of them costs the packs nothing beyond one set lookup per command.
 */
export const PACK_DETECTORS: readonly Detector[] = [
  ...DATABASE_DETECTORS,
  ...ORM_DETECTORS,
  ...INFRASTRUCTURE_DETECTORS,
  ...FORGE_DETECTORS,
  ...MACHINE_DETECTORS,
];
