import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  createPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import { RESOURCE_TYPE_CLUSTERS_OBJECT } from '@kubemate/plugin-kubemate-common';
import {
  clustersObjectConditions,
  clustersObjectRuleset,
  createClustersObjectConditionalDecision,
} from './clustersObject';
import { requireNamespaceScope, requirePermission } from './requirePermission';
import { scopeFromDecision } from './scope';

const read = createPermission({
  name: 'test.object.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});
const basic = createPermission({
  name: 'test.thing.run',
  attributes: { action: 'update' },
});
const inNamespaces = (namespaces: string[]) =>
  createClustersObjectConditionalDecision(
    read,
    clustersObjectConditions.isInNamespace({ namespaces }),
  );

describe('clusters-object conditions', () => {
  it('builds the conditional decision the RBAC policy returns', () => {
    expect(inNamespaces(['payments-*'])).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'clusters',
      resourceType: 'clusters-object',
      conditions: {
        rule: 'IS_IN_NAMESPACE',
        resourceType: 'clusters-object',
        params: { namespaces: ['payments-*'] },
      },
    });
  });

  it('is evaluated on an object by its own rules', () => {
    const authorize = createConditionAuthorizer(clustersObjectRuleset);
    const decision = inNamespaces(['payments-*']);
    expect(
      authorize(decision, {
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
      }),
    ).toBe(true);
    expect(
      authorize(decision, { cluster: 'dev-cluster', namespace: 'risk-dev' }),
    ).toBe(false);
    const inCluster = createClustersObjectConditionalDecision(read, {
      allOf: [
        clustersObjectConditions.isInCluster({ clusters: ['prod-cluster'] }),
        clustersObjectConditions.isInNamespace({ namespaces: ['risk-dev'] }),
      ],
    });
    expect(
      authorize(inCluster, { cluster: 'dev-cluster', namespace: 'risk-dev' }),
    ).toBe(false);
    expect(
      authorize(inCluster, { cluster: 'prod-cluster', namespace: 'risk-dev' }),
    ).toBe(true);
  });
});

describe('scopeFromDecision', () => {
  it('reads ALLOW as every namespace and DENY as none', () => {
    expect(scopeFromDecision({ result: AuthorizeResult.ALLOW })).toEqual({
      type: 'all',
    });
    expect(scopeFromDecision({ result: AuthorizeResult.DENY })).toBeUndefined();
  });

  it('reads namespaces through the rules, merging anyOf', () => {
    expect(scopeFromDecision(inNamespaces(['payments-*']))).toEqual({
      type: 'namespaces',
      namespaces: ['payments-*'],
    });
    const anyOf = createClustersObjectConditionalDecision(read, {
      anyOf: [
        clustersObjectConditions.isInNamespace({ namespaces: ['risk-dev'] }),
        clustersObjectConditions.isInNamespace({
          namespaces: ['payments-*', 'risk-dev'],
        }),
      ],
    });
    expect(scopeFromDecision(anyOf)).toEqual({
      type: 'namespaces',
      namespaces: ['payments-*', 'risk-dev'],
    });
  });

  it('denies what it cannot translate safely', () => {
    const cases: PolicyDecision[] = [
      inNamespaces([]),
      createClustersObjectConditionalDecision(read, {
        not: clustersObjectConditions.isInNamespace({ namespaces: ['a'] }),
      }),
      createClustersObjectConditionalDecision(
        read,
        clustersObjectConditions.isInCluster({ clusters: ['dev-cluster'] }),
      ),
      {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'clusters',
        resourceType: 'clusters-object',
        conditions: {
          rule: 'NO_SUCH_RULE',
          resourceType: 'clusters-object',
          params: {},
        },
      },
    ];
    for (const d of cases) expect(scopeFromDecision(d)).toBeUndefined();
  });
});

describe('requirePermission', () => {
  const credentials = mockCredentials.user('user:default/alice');

  it('passes on ALLOW and names the permission and the refs denied', async () => {
    const permissions = mockServices.permissions.mock();
    permissions.authorize.mockResolvedValueOnce([
      { result: AuthorizeResult.ALLOW },
    ]);
    await expect(
      requirePermission(permissions, { credentials, permission: basic }),
    ).resolves.toBeUndefined();

    permissions.authorize.mockResolvedValueOnce([
      { result: AuthorizeResult.ALLOW },
      { result: AuthorizeResult.DENY },
    ]);
    const denied = requirePermission(permissions, {
      credentials,
      permission: read,
      resourceRef: ['dev-cluster/payments-dev', 'prod-cluster/payments-prod'],
    });
    await expect(denied).rejects.toThrow(NotAllowedError);
    permissions.authorize.mockResolvedValueOnce([
      { result: AuthorizeResult.DENY },
    ]);
    await expect(
      requirePermission(
        permissions,
        { credentials, permission: read, resourceRef: 'c/n/pods/p' },
        { subject: 'user:default/alice' },
      ),
    ).rejects.toThrow(
      'user:default/alice is not allowed test.object.read on c/n/pods/p',
    );
  });

  it('says which refs were denied', async () => {
    const permissions = mockServices.permissions.mock();
    permissions.authorize.mockResolvedValueOnce([
      { result: AuthorizeResult.ALLOW },
      { result: AuthorizeResult.DENY },
    ]);
    await expect(
      requirePermission(permissions, {
        credentials,
        permission: read,
        resourceRef: ['dev-cluster/payments-dev', 'prod-cluster/payments-prod'],
      }),
    ).rejects.toThrow(
      'You are not allowed test.object.read on prod-cluster/payments-prod',
    );
  });

  it('gives the namespace scope of a conditional decision, or refuses', async () => {
    const permissions = mockServices.permissions.mock();
    permissions.authorizeConditional.mockResolvedValueOnce([
      inNamespaces(['payments-*']),
    ]);
    await expect(
      requireNamespaceScope(permissions, { credentials, permission: read }),
    ).resolves.toEqual({ type: 'namespaces', namespaces: ['payments-*'] });
    permissions.authorizeConditional.mockResolvedValueOnce([
      { result: AuthorizeResult.DENY },
    ]);
    await expect(
      requireNamespaceScope(permissions, { credentials, permission: read }),
    ).rejects.toThrow('You are not allowed test.object.read');
  });
});
