import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { NamespaceScope, scopeFromDecision } from './scope';
import { withErrorCode } from '../lib/errors';

/** Who the denial message names: "You are not allowed …" unless a subject is given. */
function denial(subject: string | undefined, what: string): NotAllowedError {
  return withErrorCode(
    new NotAllowedError(
      `${subject ? `${subject} is` : 'You are'} not allowed ${what}`,
    ),
    'permission_denied',
    { detail: what, ...(subject ? { subject } : {}) },
  );
}

/**
 * Authorizes a basic permission, or a resource permission on one or more resource refs, and
 * throws NotAllowedError (403) naming the permission and the refs denied. The one way a Kubemate
 * backend says "authorize, then refuse".
 */
export async function requirePermission(
  permissions: PermissionsService,
  request:
    | { credentials: BackstageCredentials; permission: BasicPermission }
    | {
        credentials: BackstageCredentials;
        permission: ResourcePermission;
        resourceRef: string | string[];
      },
  options?: { subject?: string },
): Promise<void> {
  const { credentials, permission } = request;
  if (!('resourceRef' in request)) {
    const [d] = await permissions.authorize(
      [{ permission: request.permission }],
      { credentials },
    );
    if (d.result !== AuthorizeResult.ALLOW) {
      throw denial(options?.subject, permission.name);
    }
    return;
  }
  const refs = Array.isArray(request.resourceRef)
    ? request.resourceRef
    : [request.resourceRef];
  const decisions = await permissions.authorize(
    refs.map(resourceRef => ({
      permission: request.permission,
      resourceRef,
    })),
    { credentials },
  );
  const denied = refs.filter(
    (_, i) => decisions[i].result !== AuthorizeResult.ALLOW,
  );
  if (denied.length) {
    throw denial(
      options?.subject,
      `${permission.name} on ${denied.join(', ')}`,
    );
  }
}

/**
 * The namespaces a `clusters-object` permission is granted in (one conditional decision), or
 * NotAllowedError when it is granted nowhere.
 */
export async function requireNamespaceScope(
  permissions: PermissionsService,
  request: {
    credentials: BackstageCredentials;
    permission: ResourcePermission | BasicPermission;
  },
  options?: { subject?: string; where?: string },
): Promise<NamespaceScope> {
  const [decision] = await permissions.authorizeConditional(
    [{ permission: request.permission as ResourcePermission }],
    { credentials: request.credentials },
  );
  const scope = scopeFromDecision(decision);
  if (!scope) {
    throw denial(
      options?.subject,
      `${request.permission.name}${options?.where ? ` ${options.where}` : ''}`,
    );
  }
  return scope;
}
