import type { Detector } from '../detectors.js';

/** SQL and database clients: statements that drop or empty databases, schemas and tables (`db/*`). */
export const DATABASE_DETECTORS: readonly Detector[] = [];
