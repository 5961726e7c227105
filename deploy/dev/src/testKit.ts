/*
 * The shared kit of the backend plugins' tests: the Kubernetes config of the dev stack's clusters,
 * user info with ownership claims, and a permissions mock answering with decisions shaped as the
 * RBAC plugin gives them. Built on @backstage/backend-test-utils' mockServices.
 */
import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import type { DevStack, StackIdentity } from './index';

/** `kubernetes:` config for the stack's clusters, as the portal's app-config has it. */
export function stackClustersConfig(
  stack: Pick<DevStack, 'clusters'>,
  identity: StackIdentity = 'portal',
) {
  return {
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: stack.clusters.map(c => ({
          name: c.name,
          url: c.url,
          authProvider: 'serviceAccount',
          serviceAccountToken: c.tokens[identity],
          caData: c.caData,
        })),
      },
    ],
  };
}

/** A conditional decision on `clusters-object` permissions: IS_IN_NAMESPACE, as RBAC gives it. */
export function inNamespacesDecision(namespaces: string[]): PolicyDecision {
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'clusters',
    resourceType: 'clusters-object',
    conditions: {
      rule: 'IS_IN_NAMESPACE',
      resourceType: 'clusters-object',
      params: { namespaces },
    },
  };
}

/**
 * The demo users' decisions of most tests: alice in payments-*, admin and carol (the second platform
 * admin) everywhere, mallory nowhere.
 */
export const DEMO_DECISIONS: Record<string, PolicyDecision> = {
  'user:default/alice': inNamespacesDecision(['payments-*']),
  'user:default/admin': { result: AuthorizeResult.ALLOW },
  'user:default/carol': { result: AuthorizeResult.ALLOW },
  'user:default/mallory': { result: AuthorizeResult.DENY },
};

/** How a test decides: by user, or by user and permission request. */
export type TestDecider =
  | Record<string, PolicyDecision>
  | ((user: string, request: EvaluatePermissionRequest) => PolicyDecision);

const userOf = (credentials: BackstageCredentials) =>
  (credentials.principal as { userEntityRef?: string }).userEntityRef ?? '';

function decide(
  decider: TestDecider,
  user: string,
  request: EvaluatePermissionRequest,
): PolicyDecision {
  if (typeof decider === 'function') return decider(user, request);
  return decider[user] ?? { result: AuthorizeResult.DENY };
}

/**
 * A permissions service factory (mockServices.permissions.mock) answering with fixed decisions.
 * `authorizeConditional` returns the decision as is; `authorize` resolves a conditional decision
 * on `clusters-object` against the request's resource ref by namespace, as the clusters plugin's
 * IS_IN_NAMESPACE rule does. Unknown users are denied.
 */
export function permissionsMockFactory(decider: TestDecider = DEMO_DECISIONS) {
  return mockServices.permissions.mock(testPermissions(decider)).factory;
}

/** The implementation behind {@link permissionsMockFactory}. */
export function testPermissions(
  decider: TestDecider = DEMO_DECISIONS,
): Pick<PermissionsService, 'authorize' | 'authorizeConditional'> {
  return {
    async authorizeConditional(requests, options) {
      const user = userOf(options!.credentials);
      return requests.map(r => decide(decider, user, r)) as any;
    },
    async authorize(requests, options) {
      const user = userOf(options!.credentials);
      return requests.map(r => {
        const d = decide(decider, user, r);
        if (d.result !== AuthorizeResult.CONDITIONAL)
          return { result: d.result };
        const ns = (r as { resourceRef?: string }).resourceRef?.split('/')[1];
        const patterns: string[] =
          (d.conditions as { params?: { namespaces?: string[] } }).params
            ?.namespaces ?? [];
        const ok =
          ns !== undefined &&
          patterns.some(p =>
            p.endsWith('*') ? ns.startsWith(p.slice(0, -1)) : p === ns,
          );
        return { result: ok ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
      });
    },
  };
}

/**
 * coreServices.userInfo for tests: the user and, when given, its ownership claims (the user and
 * its groups), as sign-in puts them in the token.
 */
export function userInfoFactory(ownership: Record<string, string[]> = {}) {
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: BackstageCredentials) {
        const userEntityRef = userOf(credentials);
        return {
          userEntityRef,
          ownershipEntityRefs: ownership[userEntityRef] ?? [userEntityRef],
        };
      },
    }),
  });
}
