import { InputError, NotAllowedError, isError } from '@backstage/errors';
import { labelsMatch } from '@kubemate/plugin-kubemate-common';
import { KubernetesObject, loadAllYaml } from '@kubernetes/client-node';
import type { EntityScope, ParsedManifest } from './types';

/** The annotation limits the entity to one namespace; other namespaces never belong to it. */
export function checkNamespace(scope: EntityScope, namespace: string): void {
  if (scope.selector.namespace && scope.selector.namespace !== namespace) {
    throw new NotAllowedError(
      `Namespace ${namespace} does not belong to ${scope.entityRef} (annotated namespace ${scope.selector.namespace})`,
    );
  }
}

/** An object belongs to the entity when it carries the entity's labels. */
export function checkBelongs(
  scope: EntityScope,
  obj: KubernetesObject,
  description: string,
): void {
  if (!labelsMatch(scope.selector, obj.metadata?.labels)) {
    throw new NotAllowedError(
      `${description} does not belong to ${scope.entityRef} (labels do not match ${scope.selector.labelSelector})`,
    );
  }
}

/** The objects of a (multi-document) YAML manifest, or an InputError saying why not. */
export function parseManifest(manifest: string): ParsedManifest {
  try {
    return {
      objects: (loadAllYaml(manifest) as KubernetesObject[]).filter(
        o => o && typeof o === 'object',
      ),
    };
  } catch (e) {
    return {
      objects: [],
      error: new InputError(
        `Invalid manifest: ${isError(e) ? e.message : String(e)}`,
      ),
    };
  }
}
