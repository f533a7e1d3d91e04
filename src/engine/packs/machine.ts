import type { Detector } from '../detectors.js';

/** The machine itself: shutdown, reboot, firewall flushes, crontab removal (`sys/*`). */
export const MACHINE_DETECTORS: readonly Detector[] = [];
