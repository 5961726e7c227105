/*
 * A scheduled inspection on the REAL dev stack, fired by Backstage's real scheduler
 * (`schedulerServiceFactory` of @backstage/backend-defaults on the plugin database, not the test
 * utilities' mock): kubemate.inspections.schedule every 10 s, and the test waits for a run whose
 * trigger is `schedule` over every configured cluster to finish. The test's own database, so its
 * cluster locks are its own.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  loadDemoEntities,
  permissionsMockFactory,
  requireStack,
  stackClustersConfig,
  userInfoFactory,
  waitFor,
} from '@kubemate/dev-stack';
import type {
  RunSummary,
  RunsResponse,
} from '@kubemate/plugin-inspections-common';
import request from 'supertest';
import { inspectionsPlugin } from './plugin';

jest.setTimeout(10 * 60_000);

let backend: Awaited<ReturnType<typeof startTestBackend>>;

beforeAll(async () => {
  const stack = await requireStack({
    only: ['kubernetes', 'postgres', 'metrics', 'telemetry', 'inspections'],
  });
  backend = await startTestBackend({
    features: [
      inspectionsPlugin,
      schedulerServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          kubernetes: stackClustersConfig(stack),
          kubemate: {
            inspections: {
              ...(stack.appConfig as any)?.kubemate?.inspections,
              schedule: {
                frequency: { seconds: 10 },
                initialDelay: { seconds: 2 },
                timeout: { minutes: 5 },
              },
            },
          },
        },
      }),
      permissionsMockFactory(),
      userInfoFactory(),
      catalogServiceMock.factory({
        entities: loadDemoEntities() as Entity[],
      }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ async send() {} }),
      }),
    ],
  });
}, 60 * 60_000);

afterAll(async () => {
  await backend?.stop();
});

it('a scheduled run fires from the scheduler and inspects every configured cluster', async () => {
  const run = await waitFor(
    'a finished scheduled run',
    async (): Promise<RunSummary | undefined> => {
      const res = await request(backend.server)
        .get('/api/inspections/runs?limit=20')
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/admin'),
        );
      expect(res.status).toBe(200);
      const body: RunsResponse = res.body;
      return body.runs.find(
        r => r.trigger === 'schedule' && r.status !== 'running',
      );
    },
    300_000,
    2000,
  );
  expect(run.status).toBe('succeeded');
  expect(run.triggeredBy).toBeUndefined();
  expect([...run.scope.clusters].sort()).toEqual([
    'dev-cluster',
    'prod-cluster',
  ]);
  expect(run.coverage.executed).toBeGreaterThan(40);
  expect(run.scores?.grade).toMatch(/^[A-F]$/);
});
