import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import authPlugin from '@backstage/plugin-auth-backend';
import request from 'supertest';
import demoAuthProvider, { DEMO_USER_HEADER } from './demoAuthProvider';

const user = (name: string, groups: string[]) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: groups },
  relations: groups.map(g => ({
    type: 'memberOf',
    targetRef: `group:default/${g}`,
  })),
});

async function startAuth(environment: string) {
  return startTestBackend({
    features: [
      authPlugin,
      demoAuthProvider,
      catalogServiceMock.factory({
        entities: [
          user('alice', ['team-payments']),
          user('admin', ['platform-admins']),
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          auth: {
            environment,
            providers: {
              demo: { development: { users: ['alice', 'admin', 'ghost'] } },
            },
          },
        },
      }),
    ],
  });
}

describe('demo sign-in provider', () => {
  it('signs in a configured catalog user with their groups as ownership', async () => {
    const { server } = await startAuth('development');
    const res = await request(server)
      .get('/api/auth/demo/refresh')
      .set(DEMO_USER_HEADER, 'alice');
    expect(res.status).toBe(200);
    expect(res.body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs: expect.arrayContaining([
        'user:default/alice',
        'group:default/team-payments',
      ]),
    });
  });

  it('refuses a missing header, a user not in the list and a user not in the catalog', async () => {
    const { server } = await startAuth('development');
    const missing = await request(server).get('/api/auth/demo/refresh');
    expect(missing.status).toBe(401);
    expect(missing.body.error.message).toContain(DEMO_USER_HEADER);

    const notListed = await request(server)
      .get('/api/auth/demo/refresh')
      .set(DEMO_USER_HEADER, 'mallory');
    expect(notListed.status).toBe(401);
    expect(notListed.body.error.message).toContain('not a demo user');

    const notInCatalog = await request(server)
      .get('/api/auth/demo/refresh')
      .set(DEMO_USER_HEADER, 'ghost');
    expect(notInCatalog.status).not.toBe(200);
  });

  it('does not exist in the production auth environment', async () => {
    const { server } = await startAuth('production');
    const res = await request(server)
      .get('/api/auth/demo/refresh')
      .set(DEMO_USER_HEADER, 'alice');
    expect(res.status).toBe(404);
  });
});
