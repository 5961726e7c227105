import { createHash } from 'node:crypto';
import type { FindingObject } from '@kubemate/plugin-inspections-common';

/**
 * A finding's identity across runs: sha256 over the check id and the object (cluster,
 * namespace, kind, name, part); nothing run-specific (time, measured value, message) goes in.
 */
export function fingerprintOf(checkId: string, object: FindingObject): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        checkId,
        object.cluster ?? '',
        object.namespace ?? '',
        object.kind,
        object.name,
        object.part ?? '',
      ]),
    )
    .digest('hex');
}
