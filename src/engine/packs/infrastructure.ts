import type { Detector } from '../detectors.js';
import { CLOUD_DETECTORS } from './cloud-delete.js';
import { CONTAINER_DETECTORS } from './container-volumes.js';
import { IAC_DESTROY } from './iac-destroy.js';
import { K8S_DETECTORS } from './k8s-delete.js';

/** Infrastructure as code, Kubernetes, cloud and object storage, containers (`iac/*`, `k8s/*`, `cloud/*`, `container/*`). */
export const INFRASTRUCTURE_DETECTORS: readonly Detector[] = [IAC_DESTROY, ...K8S_DETECTORS, ...CLOUD_DETECTORS, ...CONTAINER_DETECTORS];
