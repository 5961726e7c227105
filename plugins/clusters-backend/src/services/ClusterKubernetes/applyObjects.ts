import { InputError, isError } from '@backstage/errors';
import { ApplyResponse } from '@kubemate/plugin-clusters-common';
import {
  AppliedObject,
  KubeClients,
  serverSideApply,
  toBackstageError,
} from '@kubemate/plugin-kubemate-node';
import { createTwoFilesPatch } from 'diff';
import { checkBelongs, checkNamespace } from './ownership';
import type { ApplyRequest, EntityScope } from './types';

export const FIELD_MANAGER = 'kubemate-portal';

function applyError(e: unknown, cluster: string): Error {
  if (
    isError(e) &&
    /Unrecognized API version and kind/i.test(e.message ?? '')
  ) {
    return new InputError(`${cluster}: ${e.message}`);
  }
  return toBackstageError(e, cluster);
}

/**
 * Server-side apply (field manager {@link FIELD_MANAGER}) of every object of a manifest, in
 * order, with the clients given (the caller's identity): each object must name its namespace
 * (or the entity's annotated one), pass the request's namespace check and carry the entity's
 * labels, as must the live object it replaces. Returns the before/after YAML and a unified diff
 * of every object.
 */
export async function applyObjects(
  clients: KubeClients,
  scope: EntityScope,
  request: ApplyRequest,
): Promise<ApplyResponse> {
  const { objects, error } = request.manifest;
  if (error) {
    throw error;
  }
  if (objects.length === 0) {
    throw new InputError('The manifest contains no objects');
  }
  const results: ApplyResponse['objects'] = [];
  for (const obj of objects) {
    if (!obj.apiVersion || !obj.kind || !obj.metadata?.name) {
      throw new InputError(
        'Every object needs apiVersion, kind and metadata.name',
      );
    }
    const namespace = obj.metadata.namespace ?? scope.selector.namespace;
    if (!namespace) {
      throw new InputError(
        `${obj.kind} ${obj.metadata.name} needs metadata.namespace`,
      );
    }
    obj.metadata.namespace = namespace;
    checkNamespace(scope, namespace);
    await request.authorizeNamespace(namespace);
    const description = `${obj.kind} ${namespace}/${obj.metadata.name}`;
    checkBelongs(scope, obj, description);
    let applied: AppliedObject;
    try {
      applied = await serverSideApply(clients, obj, {
        fieldManager: FIELD_MANAGER,
        dryRun: request.dryRun,
        check: before => checkBelongs(scope, before, `existing ${description}`),
      });
    } catch (e) {
      if (isError(e) && e.name === 'NotAllowedError') throw e;
      throw applyError(e, request.cluster);
    }
    const { beforeYaml, afterYaml } = applied;
    results.push({
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      namespace,
      name: obj.metadata.name,
      operation: applied.operation,
      before: applied.before ? beforeYaml : undefined,
      after: afterYaml,
      diff: createTwoFilesPatch(
        `${obj.kind}/${obj.metadata.name} (live)`,
        `${obj.kind}/${obj.metadata.name} (${
          request.dryRun ? 'dry run' : 'applied'
        })`,
        beforeYaml,
        afterYaml,
      ),
    });
  }
  return { dryRun: request.dryRun, objects: results };
}
