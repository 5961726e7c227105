import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { stackClustersConfig, testPermissions } from './testKit';

const read = createPermission({
  name: 'x.object.read',
  attributes: { action: 'read' },
  resourceType: 'clusters-object',
});
const as = (user: string) => ({ credentials: mockCredentials.user(user) });

describe('test kit permissions', () => {
  const permissions = testPermissions();

  it('returns the demo decisions to conditional requests', async () => {
    const [alice] = await permissions.authorizeConditional(
      [{ permission: read }],
      as('user:default/alice'),
    );
    expect(alice).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: {
        rule: 'IS_IN_NAMESPACE',
        params: { namespaces: ['payments-*'] },
      },
    });
    const [stranger] = await permissions.authorizeConditional(
      [{ permission: read }],
      as('user:default/nobody'),
    );
    expect(stranger.result).toBe(AuthorizeResult.DENY);
  });

  it('resolves a conditional decision by the namespace of the resource ref', async () => {
    const decisions = await permissions.authorize(
      [
        { permission: read, resourceRef: 'dev-cluster/payments-dev/pods/p' },
        { permission: read, resourceRef: 'dev-cluster/risk-dev' },
      ],
      as('user:default/alice'),
    );
    expect(decisions.map(d => d.result)).toEqual([
      AuthorizeResult.ALLOW,
      AuthorizeResult.DENY,
    ]);
    const [admin] = await permissions.authorize(
      [{ permission: read, resourceRef: 'dev-cluster/risk-dev' }],
      as('user:default/admin'),
    );
    expect(admin.result).toBe(AuthorizeResult.ALLOW);
  });

  it('takes a function deciding by user and request', async () => {
    const byAction = testPermissions((user, r) => ({
      result:
        user.endsWith('/mallory') && r.permission.attributes.action !== 'read'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    }));
    const update = createPermission({
      name: 'x.y.update',
      attributes: { action: 'update' },
    });
    const [d] = await byAction.authorize(
      [{ permission: update }],
      as('user:default/mallory'),
    );
    expect(d.result).toBe(AuthorizeResult.DENY);
  });
});

describe('stackClustersConfig', () => {
  it('configures every cluster of the stack with the chosen identity', () => {
    const cfg = stackClustersConfig(
      {
        clusters: [
          {
            name: 'dev-cluster',
            url: 'https://127.0.0.1:1',
            caData: 'ca',
            tokens: { portal: 'p', admin: 'a', norbac: 'n' },
          } as any,
        ],
      },
      'admin',
    );
    expect(cfg.clusterLocatorMethods[0].clusters[0]).toEqual({
      name: 'dev-cluster',
      url: 'https://127.0.0.1:1',
      authProvider: 'serviceAccount',
      serviceAccountToken: 'a',
      caData: 'ca',
    });
  });
});
