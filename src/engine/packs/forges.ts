import type { Detector } from '../detectors.js';

/** Forges and package registries: deleting repositories and releases, publishing packages (`forge/*`, `publish/*`). */
export const FORGE_DETECTORS: readonly Detector[] = [];
