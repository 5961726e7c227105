import {
  dumpYaml,
  KubernetesObject,
  PatchStrategy,
} from '@kubernetes/client-node';
import type { KubeClients } from '../services/ClusterRegistry/types';

/** What a server-side apply did to one object. */
export interface AppliedObject {
  /** 'created' when the object did not exist, 'configured' or 'unchanged' otherwise. */
  operation: 'created' | 'configured' | 'unchanged';
  before?: KubernetesObject;
  after: KubernetesObject;
  /** YAML without server-managed fields (status, managedFields, resourceVersion, uid, …). */
  beforeYaml: string;
  afterYaml: string;
}

/** Strips server-managed noise so that before/after YAML compare and diff on what matters. */
function cleanForDiff(obj: KubernetesObject): KubernetesObject {
  const copy: any = { ...obj, metadata: { ...(obj.metadata ?? {}) } };
  delete copy.status;
  delete copy.metadata.managedFields;
  delete copy.metadata.resourceVersion;
  delete copy.metadata.uid;
  delete copy.metadata.generation;
  delete copy.metadata.creationTimestamp;
  return copy;
}

/** The object as sorted YAML without server-managed fields; '' for none. */
export function objectYaml(obj: KubernetesObject | undefined): string {
  return obj ? dumpYaml(cleanForDiff(obj), { sortKeys: true } as any) : '';
}

/**
 * Server-side apply of one object (field manager `fieldManager`, conflicts forced), optionally as a
 * dry run (`dryRun=All`: the apiserver validates and admits, nothing is stored). The live object is
 * read first (`check` may refuse it) so that the result says whether anything changed — applying
 * the same object twice reports 'unchanged'. Kubernetes errors are thrown as the client raised
 * them (convert with `toBackstageError`).
 */
export async function serverSideApply(
  clients: KubeClients,
  obj: KubernetesObject,
  options: {
    fieldManager: string;
    dryRun?: boolean;
    check?: (before: KubernetesObject) => void;
  },
): Promise<AppliedObject> {
  let before: KubernetesObject | undefined;
  try {
    before = await clients.objects.read({
      apiVersion: obj.apiVersion!,
      kind: obj.kind!,
      metadata: {
        name: obj.metadata!.name!,
        ...(obj.metadata?.namespace
          ? { namespace: obj.metadata.namespace }
          : {}),
      },
    });
  } catch (e) {
    if ((e as { code?: number }).code !== 404) throw e;
  }
  if (before) options.check?.(before);
  const after = await clients.objects.patch(
    obj,
    undefined,
    options.dryRun ? 'All' : undefined,
    options.fieldManager,
    true,
    PatchStrategy.ServerSideApply,
  );
  const beforeYaml = objectYaml(before);
  const afterYaml = objectYaml(after);
  let operation: AppliedObject['operation'] = 'configured';
  if (!before) operation = 'created';
  else if (beforeYaml === afterYaml) operation = 'unchanged';
  return { operation, before, after, beforeYaml, afterYaml };
}
