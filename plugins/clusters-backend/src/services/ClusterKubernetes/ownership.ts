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

/**
 * The most values a manifest may expand to. YAML aliases (`*a`) are parsed as references to one
 * object, so a few hundred bytes of nested aliases ("billion laughs") expand to billions of values
 * once serialized for the cluster: the portal would spend its memory and CPU on them.
 */
export const MAX_MANIFEST_VALUES = 100_000;

/** Counts the values of `root` as serialized (aliases counted every time); stops past `max`. */
function countValues(root: unknown, max: number): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length && count <= max) {
    const value = stack.pop();
    count++;
    if (Array.isArray(value)) stack.push(...value);
    else if (value && typeof value === 'object') {
      stack.push(...Object.values(value));
    }
  }
  return count;
}

/** The objects of a (multi-document) YAML manifest, or an InputError saying why not. */
export function parseManifest(manifest: string): ParsedManifest {
  try {
    const objects = (loadAllYaml(manifest) as KubernetesObject[]).filter(
      o => o && typeof o === 'object',
    );
    if (countValues(objects, MAX_MANIFEST_VALUES) > MAX_MANIFEST_VALUES) {
      return {
        objects: [],
        error: new InputError(
          `Invalid manifest: it expands to more than ${MAX_MANIFEST_VALUES} values (nested YAML aliases?)`,
        ),
      };
    }
    return { objects };
  } catch (e) {
    return {
      objects: [],
      error: new InputError(
        `Invalid manifest: ${isError(e) ? e.message : String(e)}`,
      ),
    };
  }
}
