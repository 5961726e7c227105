import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  FindingObject,
  inspectionsRunReadPermission,
  RunDetails,
} from '@kubemate/plugin-inspections-common';
import { namespaceInScope } from '@kubemate/plugin-kubemate-common';
import {
  NamespaceScope,
  requireNamespaceScope,
} from '@kubemate/plugin-kubemate-node';

/** Whether the user may see a finding (or an exemption) about this object. */
export type Visibility = (object: FindingObject) => boolean;

/**
 * What a namespace scope shows: everything when unconditional; otherwise the objects whose
 * namespace is in the scope — objects without a namespace (nodes, control plane, hosts,
 * databases) only to unconditional readers.
 */
export function visibilityOf(scope: NamespaceScope): Visibility {
  if (scope.type === 'all') return () => true;
  return object =>
    object.namespace !== undefined &&
    namespaceInScope(scope.namespaces, object.namespace);
}

/** `inspections.run.read` as a visibility; 403 when it is denied outright. */
export async function readVisibility(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
): Promise<Visibility> {
  return visibilityOf(
    await requireNamespaceScope(permissions, {
      credentials,
      permission: inspectionsRunReadPermission,
    }),
  );
}

/** The run with the findings the user may see; `hiddenFindings` counts the others. */
export function filterDetails(
  details: RunDetails,
  visible: Visibility,
): RunDetails {
  const findings = details.findings.filter(f => visible(f.object));
  return {
    ...details,
    findings,
    hiddenFindings:
      details.hiddenFindings + details.findings.length - findings.length,
  };
}
