import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { RESOURCE_TYPE_CLUSTERS_OBJECT } from '@kubemate/plugin-kubemate-common';
import type { KubernetesIdentity } from '@kubemate/plugin-kubemate-node';
import type { KubernetesObject } from '@kubernetes/client-node';

/** Where one environment of a service lives. */
export interface Target {
  environment: string;
  cluster: string;
  namespace: string;
}

/** What an action did (or, in a dry run, would do) to one object. */
export interface Change {
  cluster?: string;
  namespace?: string;
  kind: string;
  name: string;
  operation: 'created' | 'configured' | 'unchanged';
}

/** Label of every object the provisioning actions create. */
export const MANAGED_BY = {
  'app.kubernetes.io/managed-by': 'kubemate-scaffolder',
};
export const FIELD_MANAGER = 'kubemate-scaffolder';

/** A Kubernetes name of at most `max` characters (the service part of `<service>-<env>`). */
export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export type ClustersPermission = ResourcePermission<
  typeof RESOURCE_TYPE_CLUSTERS_OBJECT
>;

/**
 * What the kubemate:* actions share: environments → clusters/namespaces from config, the
 * initiating user's permission on every target before anything is written, server-side apply as
 * the provisioner identity (idempotent, dry-run capable), and an audit record per object.
 */
export interface Provisioner {
  /** The Kubernetes identity the objects are written as. */
  readonly identity: KubernetesIdentity;
  /** `<service>-<env>` in each environment's cluster; InputError for an unknown environment or cluster. */
  targets(service: string, environments: string[]): Target[];
  /** The user must have the permission on every target's namespace; NotAllowedError otherwise. */
  authorize(
    credentials: BackstageCredentials,
    permission: ClustersPermission,
    targets: Array<{ cluster: string; namespace: string }>,
  ): Promise<void>;
  /** The user must have the basic permission; NotAllowedError otherwise. */
  authorizeBasic(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<void>;
  /** Writes an audit record (a failure to write it is logged, not thrown). */
  record(
    actor: string,
    action: string,
    result: 'success' | 'failure',
    message: string,
    where?: Partial<Change>,
  ): Promise<void>;
  /** Reads an object as the provisioner identity; undefined when it (or its namespace) does not exist. */
  read(
    cluster: string,
    ref: KubernetesObject,
  ): Promise<KubernetesObject | undefined>;
  /** Server-side-applies the objects in order, audited; a dry run stores nothing. */
  apply(
    ctx: { actor: string; action: string; dryRun: boolean },
    cluster: string,
    objects: KubernetesObject[],
  ): Promise<Change[]>;
}
