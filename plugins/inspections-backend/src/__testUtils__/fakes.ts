/*
 * Shared fakes of the unit tests: a real SQLite plugin database, test checks, a catalog with a
 * component and a cluster resource, a recording notifier.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { InspectionCheck } from '@kubemate/plugin-inspections-node';
import type { InspectionNotifier } from '../services/Notifier/types';
import { DatabaseInspectionStore } from '../services/Store';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

export async function testStore() {
  const knex = await databases.init('SQLITE_3');
  return new DatabaseInspectionStore({ getClient: async () => knex } as any);
}

export function testCheck(
  id: string,
  run: InspectionCheck['run'],
  extra?: Partial<InspectionCheck>,
): InspectionCheck {
  return {
    id,
    version: 1,
    title: `Check ${id}`,
    category: 'cluster',
    severity: 'high',
    description: 'test',
    remediation: 'fix it',
    references: [],
    dataSource: 'kubernetes',
    scope: 'cluster',
    run,
    ...extra,
  };
}

export const ENTITIES: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': 'payments-api' },
    },
    spec: { owner: 'team-payments' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'dev-cluster',
      namespace: 'default',
      annotations: { 'kubemate.io/cluster-name': 'dev-cluster' },
    },
    spec: { owner: 'group:default/platform' },
  },
];

export function fakeCatalog(entities: Entity[] = ENTITIES): CatalogService {
  return { getEntities: async () => ({ items: entities }) } as any;
}

export function fakeNotifier() {
  return {
    runFinished: jest.fn(async () => {}),
    exemptionsExpiring: jest.fn(async () => {}),
    exemptionsExpired: jest.fn(async () => {}),
  } satisfies InspectionNotifier;
}
