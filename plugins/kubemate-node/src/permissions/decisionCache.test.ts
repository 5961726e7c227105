import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CLUSTERS_OBJECT } from '@kubemate/plugin-kubemate-common';
import {
  cachedPermissions,
  DECISION_CACHE_DEFAULTS,
  readDecisionCacheOptions,
} from './decisionCache';

const read = createPermission({
  name: 'test.object.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});
const run = createPermission({
  name: 'test.thing.run',
  attributes: { action: 'update' },
});
const alice = mockCredentials.user('user:default/alice');
const bob = mockCredentials.user('user:default/bob');
const allow = { result: AuthorizeResult.ALLOW } as const;
const deny = { result: AuthorizeResult.DENY } as const;

function setup(ttlMs = 1000, maxEntries = 100) {
  let t = 0;
  const inner = mockServices.permissions.mock();
  inner.authorize.mockImplementation(async rs => rs.map(() => allow));
  inner.authorizeConditional.mockImplementation(async rs =>
    rs.map(() => allow),
  );
  const cached = cachedPermissions(inner, {
    ttlMs,
    maxEntries,
    now: () => t,
  });
  return {
    inner,
    cached,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('cachedPermissions', () => {
  it('reuses a decision within the TTL and asks again after it', async () => {
    const { inner, cached, advance } = setup(1000);
    const ask = () =>
      cached.authorizeConditional([{ permission: read }], {
        credentials: alice,
      });
    await expect(ask()).resolves.toEqual([allow]);
    advance(999);
    await ask();
    expect(inner.authorizeConditional).toHaveBeenCalledTimes(1);
    advance(1);
    await ask();
    expect(inner.authorizeConditional).toHaveBeenCalledTimes(2);
  });

  it('shares one round trip between concurrent identical calls', async () => {
    const { inner, cached } = setup();
    await Promise.all(
      [1, 2, 3].map(() =>
        cached.authorize([{ permission: run }], { credentials: alice }),
      ),
    );
    expect(inner.authorize).toHaveBeenCalledTimes(1);
  });

  it('keeps users, permissions, resources and the two calls apart', async () => {
    const { inner, cached } = setup();
    inner.authorize.mockImplementation(async (rs, o) =>
      rs.map(() =>
        (o.credentials.principal as any).userEntityRef === 'user:default/bob'
          ? deny
          : allow,
      ),
    );
    const calls = [
      () => cached.authorize([{ permission: run }], { credentials: alice }),
      () => cached.authorize([{ permission: run }], { credentials: bob }),
      () =>
        cached.authorize([{ permission: read, resourceRef: 'c/ns-a' }], {
          credentials: alice,
        }),
      () =>
        cached.authorize([{ permission: read, resourceRef: 'c/ns-b' }], {
          credentials: alice,
        }),
      () =>
        cached.authorize(
          [
            { permission: read, resourceRef: 'c/ns-a' },
            { permission: read, resourceRef: 'c/ns-b' },
          ],
          { credentials: alice },
        ),
    ];
    for (const c of calls) await c();
    await cached.authorizeConditional([{ permission: read }], {
      credentials: alice,
    });
    expect(inner.authorize).toHaveBeenCalledTimes(5);
    expect(inner.authorizeConditional).toHaveBeenCalledTimes(1);
    // bob's denial is not alice's allowance and vice versa, also from the cache
    await expect(calls[0]()).resolves.toEqual([allow]);
    await expect(calls[1]()).resolves.toEqual([deny]);
    expect(inner.authorize).toHaveBeenCalledTimes(5);
  });

  it('keeps a user apart from a service acting on their behalf', async () => {
    const { inner, cached } = setup();
    const onBehalf = {
      ...alice,
      principal: {
        ...alice.principal,
        actor: { subject: 'plugin:scaffolder' },
      },
    } as typeof alice;
    await cached.authorize([{ permission: run }], { credentials: alice });
    await cached.authorize([{ permission: run }], { credentials: onBehalf });
    expect(inner.authorize).toHaveBeenCalledTimes(2);
  });

  it('does not keep failures', async () => {
    const { inner, cached } = setup();
    inner.authorize.mockRejectedValueOnce(new Error('permission backend down'));
    const ask = () =>
      cached.authorize([{ permission: run }], { credentials: alice });
    await expect(ask()).rejects.toThrow('permission backend down');
    await expect(ask()).resolves.toEqual([allow]);
    expect(inner.authorize).toHaveBeenCalledTimes(2);
  });

  it('passes service principals straight through', async () => {
    const { inner, cached } = setup();
    const service = mockCredentials.service('plugin:catalog');
    await cached.authorize([{ permission: run }], { credentials: service });
    await cached.authorize([{ permission: run }], { credentials: service });
    expect(inner.authorize).toHaveBeenCalledTimes(2);
  });

  it('is bounded: the oldest decision goes first', async () => {
    const { inner, cached } = setup(1000, 2);
    const ask = (ref: string) =>
      cached.authorize([{ permission: read, resourceRef: ref }], {
        credentials: alice,
      });
    await ask('a');
    await ask('b');
    await ask('c'); // drops a
    await ask('c');
    await ask('b');
    expect(inner.authorize).toHaveBeenCalledTimes(3);
    await ask('a');
    expect(inner.authorize).toHaveBeenCalledTimes(4);
  });

  it('is disabled by a TTL of 0', async () => {
    const { inner, cached } = setup(0);
    expect(cached).toBe(inner);
    const config = new ConfigReader({
      kubemate: { permissions: { decisionCache: { ttlMs: 0 } } },
    });
    expect(readDecisionCacheOptions(config).ttlMs).toBe(0);
    expect(cachedPermissions(inner, readDecisionCacheOptions(config))).toBe(
      inner,
    );
  });

  it('reads its defaults and config', () => {
    expect(readDecisionCacheOptions(new ConfigReader({}))).toEqual(
      DECISION_CACHE_DEFAULTS,
    );
    expect(
      readDecisionCacheOptions(
        new ConfigReader({
          kubemate: {
            permissions: { decisionCache: { ttlMs: 2000, maxEntries: 10 } },
          },
        }),
      ),
    ).toEqual({ ttlMs: 2000, maxEntries: 10 });
  });
});
