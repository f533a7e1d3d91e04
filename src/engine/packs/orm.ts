import type { Detector } from '../detectors.js';

/** ORM and framework commands that reset or drop a database (`orm/*`). */
export const ORM_DETECTORS: readonly Detector[] = [];
