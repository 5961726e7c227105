/* The RBAC page's tests: an in-memory RbacApi, a catalog with one user, the page with its APIs. */
import { ReactElement } from 'react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { SWRConfig } from 'swr';
import type {
  PermissionsResponse,
  Role,
  RoleSpec,
} from '@kubemate/plugin-rbac-common';
import { RbacApi, rbacApiRef } from '../api/RbacApi';
import { RbacPage } from '../components/RbacPage';

export const declared: Role = {
  name: 'payments-developer',
  title: 'Payments developers',
  scope: { type: 'namespaces', namespaces: ['payments-*'] },
  permissions: ['clusters.workload.scale', 'clusters.pod.logs'],
  members: ['group:default/team-payments'],
  source: 'file',
  location: 'catalog/rbac-roles.yaml',
  editable: false,
};

export const permissions: PermissionsResponse = {
  items: [
    {
      name: 'clusters.workload.scale',
      pluginId: 'clusters',
      action: 'update',
      resourceType: 'clusters-object',
      scoping: 'namespace',
      kubernetes: [
        {
          apiGroups: ['apps'],
          resources: ['deployments/scale'],
          verbs: ['patch'],
        },
      ],
    },
    {
      name: 'clusters.pod.logs',
      pluginId: 'clusters',
      action: 'read',
      resourceType: 'clusters-object',
      scoping: 'namespace',
      kubernetes: [],
    },
    {
      name: 'rbac.role.read',
      pluginId: 'rbac',
      action: 'read',
      scoping: 'none',
      kubernetes: [],
    },
  ],
  unavailable: [],
};

export function fakeApi(overrides: Partial<RbacApi> = {}): RbacApi & {
  created: RoleSpec[];
} {
  const roles: Role[] = [declared];
  const created: RoleSpec[] = [];
  return {
    created,
    listRoles: jest.fn(async () => ({ items: [...roles], conflicts: [] })),
    listPermissions: jest.fn(async () => permissions),
    createRole: jest.fn(async (spec: RoleSpec) => {
      created.push(spec);
      const role: Role = { ...spec, source: 'database', editable: true };
      roles.push(role);
      return role;
    }),
    updateRole: jest.fn(),
    setMembers: jest.fn(),
    deleteRole: jest.fn(),
    check: jest.fn(),
    whatCan: jest.fn(),
    whoCan: jest.fn(),
    audit: jest.fn(async () => ({ items: [] })),
    syncStatus: jest.fn(async () => ({
      enabled: true,
      clusters: ['dev-cluster'],
      roles: [
        {
          role: 'payments-developer',
          clusters: [
            { cluster: 'dev-cluster', state: 'in-sync' as const, objects: 4 },
          ],
        },
      ],
      recentChanges: [],
      recentDrift: [],
      fileErrors: [],
    })),
    runSync: jest.fn(),
    ...overrides,
  };
}

export async function renderPage(
  api: RbacApi,
  authorize: (
    r: EvaluatePermissionRequest,
  ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  extraApis: any[] = [],
  element: ReactElement = <RbacPage />,
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [rbacApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize })],
        [
          catalogApiRef,
          catalogApiMock({
            entities: [
              {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'User',
                metadata: { name: 'bob', namespace: 'default' },
                spec: {},
              },
            ],
          }),
        ],
        ...extraApis,
      ]}
    >
      {/* a decision cache of its own: usePermission caches decisions across renders */}
      <SWRConfig value={{ provider: () => new Map() }}>{element}</SWRConfig>
    </TestApiProvider>,
  );
}
