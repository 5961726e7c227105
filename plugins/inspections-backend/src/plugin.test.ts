/*
 * The plugin in a test backend (no stack): its services resolve, the built-in checks plus a
 * module's check through the extension point are served, a duplicate check id fails the start,
 * /metrics needs no token, the scheduler tasks are registered with their documented ids.
 */
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionsMockFactory } from '@kubemate/dev-stack';
import { inspectionsChecksExtensionPoint } from '@kubemate/plugin-inspections-node';
import { clusterRegistryServiceRef } from '@kubemate/plugin-kubemate-node';
import request from 'supertest';
import { ENTITIES, testCheck } from './__testUtils__/fakes';
import { inspectionsPlugin } from './plugin';
import { INSPECTIONS_TASKS } from './services/createServices';

const extraChecks = (id: string) =>
  createBackendModule({
    pluginId: 'inspections',
    moduleId: `extra-${id.replace(/\W/g, '-')}`,
    register(reg) {
      reg.registerInit({
        deps: { inspections: inspectionsChecksExtensionPoint },
        async init({ inspections }) {
          inspections.addChecks(
            testCheck(id, async () => ({ findings: [] }), {
              category: 'application',
            }),
          );
        },
      });
    },
  });

function features(extra: ReturnType<typeof extraChecks>[]) {
  const scheduler = mockServices.scheduler.mock();
  return {
    scheduler,
    features: [
      inspectionsPlugin,
      ...extra,
      scheduler.factory,
      mockServices.rootConfig.factory({
        data: {
          kubemate: {
            inspections: {
              checks: { 'application.extra': { thresholds: { x: 2 } } },
            },
          },
        },
      }),
      catalogServiceMock.factory({ entities: ENTITIES }),
      permissionsMockFactory({
        'user:default/admin': { result: AuthorizeResult.ALLOW },
      }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send: async () => {} }),
      }),
      createServiceFactory({
        service: clusterRegistryServiceRef,
        deps: { config: coreServices.rootConfig },
        factory: () =>
          ({
            listClusters: () => [{ name: 'dev-cluster' }],
          } as any),
      }),
    ],
  };
}

describe('inspectionsPlugin', () => {
  it('serves the built-in checks and those added through the extension point', async () => {
    const { features: f, scheduler } = features([
      extraChecks('application.extra'),
    ]);
    const { server } = await startTestBackend({ features: f });
    const admin = mockCredentials.user.header('user:default/admin');
    const checks = await request(server)
      .get('/api/inspections/checks')
      .set('authorization', admin);
    expect(checks.status).toBe(200);
    const ids = checks.body.checks.map((c: any) => c.id);
    expect(ids.length).toBeGreaterThanOrEqual(31);
    expect(ids).toContain('application.extra');
    expect(
      checks.body.checks.find((c: any) => c.id === 'application.extra')
        .thresholds,
    ).toEqual({ x: 2 });
    expect(checks.body.rulesetHash).toMatch(/^[0-9a-f]{64}$/);

    const denied = await request(server)
      .get('/api/inspections/runs')
      .set('authorization', mockCredentials.user.header('user:default/nobody'));
    expect(denied.status).toBe(403);

    const metrics = await request(server).get('/api/inspections/metrics');
    expect(metrics.status).toBe(200);

    const tasks = scheduler.scheduleTask.mock.calls.map(([t]) => t);
    expect(tasks.map(t => t.id).sort()).toEqual(
      Object.values(INSPECTIONS_TASKS).sort(),
    );
    expect(tasks.every(t => t.scope === 'global')).toBe(true);
    expect(
      tasks.find(t => t.id === INSPECTIONS_TASKS.scheduledRun),
    ).toMatchObject({
      frequency: { cron: '0 2 * * *' },
      timeout: { minutes: 60 },
    });
  });

  it('fails the start when two checks share an id', async () => {
    const { features: f } = features([extraChecks('application.extra')]);
    await expect(
      startTestBackend({
        features: [
          ...f,
          createBackendModule({
            pluginId: 'inspections',
            moduleId: 'duplicate',
            register(reg) {
              reg.registerInit({
                deps: { inspections: inspectionsChecksExtensionPoint },
                async init({ inspections }) {
                  inspections.addChecks(
                    testCheck('application.extra', async () => ({
                      findings: [],
                    })),
                  );
                },
              });
            },
          }),
        ],
      }),
    ).rejects.toThrow(/two checks have the id application\.extra/);
  });
});
