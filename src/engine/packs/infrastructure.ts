import type { Detector } from '../detectors.js';

/** Infrastructure as code, Kubernetes, cloud and object storage, containers (`iac/*`, `k8s/*`, `cloud/*`, `container/*`). */
export const INFRASTRUCTURE_DETECTORS: readonly Detector[] = [];
