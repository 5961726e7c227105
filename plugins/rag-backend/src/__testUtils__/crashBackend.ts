/*
 * A real backend process with the rag plugin, for the crash test of ingestion.integration.test.ts
 * (which starts it, kills it with SIGKILL mid-ingestion and starts it again on the same database):
 * `createBackend()` of @backstage/backend-defaults with its own HTTP server and a SQLite FILE
 * database (backend.database.connection.directory), the test's mock auth (mockServices.auth /
 * httpAuth: `Authorization: Bearer mock-user-token:{"sub":...}`), permissions that allow the
 * test's admin, and the catalog mock.
 *
 *   RAG_CRASH_CONFIG='<app config as JSON>' \
 *     node -r @backstage/cli/config/nodeTransform.cjs src/__testUtils__/crashBackend.ts
 */
import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createServiceFactory,
  type PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { testPermissions } from '@kubemate/dev-stack';
import { ragPlugin } from '../plugin';

const config = JSON.parse(process.env.RAG_CRASH_CONFIG ?? '{}');

const backend = createBackend();
backend.add(mockServices.rootConfig.factory({ data: config }));
backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
// the test kit's decisions, without jest (mockServices.permissions.mock needs jest.fn)
backend.add(
  createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () =>
      testPermissions({
        'user:default/admin': { result: AuthorizeResult.ALLOW },
      }) as PermissionsService,
  }),
);
backend.add(catalogServiceMock.factory());
backend.add(ragPlugin);
backend.start().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
