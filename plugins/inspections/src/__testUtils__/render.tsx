import { ReactElement } from 'react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { SWRConfig } from 'swr';
import { InspectionsApi, inspectionsApiRef } from '../api';
import { InspectionsPage } from '../components/InspectionsPage';
import { inspectionsRouteRef } from '../routes';

export type Decide = (
  r: EvaluatePermissionRequest,
) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;
export const allowAll: Decide = () => AuthorizeResult.ALLOW;

/** Renders an element in a test app with the fake API, permissions and signed-in user. */
export function renderWith(
  element: ReactElement,
  opts: {
    api: InspectionsApi;
    authorize?: Decide;
    user?: string;
    path?: string;
  },
) {
  const { api, authorize = allowAll, user = 'user:default/admin', path } = opts;
  return renderInTestApp(
    // usePermission caches decisions in SWR: a fresh cache per test
    <SWRConfig value={{ provider: () => new Map() }}>{element}</SWRConfig>,
    {
      apis: [
        [inspectionsApiRef, api],
        mockApis.permission({ authorize }),
        mockApis.identity({ userEntityRef: user }),
      ],
      mountedRoutes: { '/inspections': inspectionsRouteRef },
      ...(path
        ? { mountPath: '/inspections/*', initialRouteEntries: [path] }
        : {}),
    },
  );
}

/** The Inspections page at `path` (e.g. `/inspections/runs/r2`). */
export function renderPage(
  path: string,
  opts: { api: InspectionsApi; authorize?: Decide; user?: string },
) {
  return renderWith(<InspectionsPage />, { ...opts, path });
}
