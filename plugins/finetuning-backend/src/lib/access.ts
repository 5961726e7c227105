import {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  clustersObjectRef,
  namespaceInScope,
} from '@kubemate/plugin-kubemate-common';
import {
  ClusterAuditService,
  NamespaceScope,
} from '@kubemate/plugin-kubemate-node';
import { errorMessage } from './upstream';

export const actorOf = (credentials: BackstageCredentials) =>
  (credentials.principal as Partial<BackstageUserPrincipal>).userEntityRef ??
  'unknown';

export const inScope = (scope: NamespaceScope, namespace: string) =>
  scope.type === 'all' || namespaceInScope(scope.namespaces, namespace);

/** Whether the user holds the permission on `<cluster>/<namespace>`. */
export async function allowed(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: ResourcePermission,
  cluster: string,
  namespace: string,
): Promise<boolean> {
  const [d] = await permissions.authorize(
    [{ permission, resourceRef: clustersObjectRef({ cluster, namespace }) }],
    { credentials },
  );
  return d.result === AuthorizeResult.ALLOW;
}

/**
 * An object the user may not read is a 404 (its existence is not disclosed); one they may read
 * but not change is a 403.
 */
export async function requireOn(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  options: {
    read: ResourcePermission;
    permission?: ResourcePermission;
    cluster: string;
    namespace: string;
    what: string;
  },
): Promise<void> {
  const { cluster, namespace } = options;
  if (
    !(await allowed(permissions, credentials, options.read, cluster, namespace))
  ) {
    throw new NotFoundError(`${options.what} not found`);
  }
  if (
    options.permission &&
    options.permission !== options.read &&
    !(await allowed(
      permissions,
      credentials,
      options.permission,
      cluster,
      namespace,
    ))
  ) {
    throw new NotAllowedError(
      `You are not allowed ${options.permission.name} on ${cluster}/${namespace}`,
    );
  }
}

/** Runs a mutation and audits it (success, failure or denial). */
export async function audited<T>(
  audit: ClusterAuditService,
  logger: LoggerService,
  entry: {
    credentials: BackstageCredentials;
    action: string;
    cluster?: string;
    namespace?: string;
    kind: string;
    name?: string;
  },
  fn: () => Promise<{ result: T; message: string; name?: string }>,
): Promise<T> {
  const record = (
    result: 'success' | 'failure',
    message: string,
    name?: string,
  ) =>
    audit
      .record({
        actor: actorOf(entry.credentials),
        action: entry.action,
        cluster: entry.cluster,
        namespace: entry.namespace,
        kind: entry.kind,
        name: name ?? entry.name,
        result,
        message,
      })
      .catch(e => logger.error(`finetuning: audit record failed: ${e}`));
  try {
    const { result, message, name } = await fn();
    await record('success', message, name);
    return result;
  } catch (e) {
    await record('failure', errorMessage(e));
    throw e;
  }
}
