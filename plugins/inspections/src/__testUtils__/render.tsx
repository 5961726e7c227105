import { ReactElement } from 'react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { SWRConfig } from 'swr';
import {
  kubemateReactZhHans,
  translationTestApis,
} from '@kubemate/plugin-kubemate-react';
import zhHans from '../translations/zh-Hans';
import { InspectionsApi, inspectionsApiRef } from '../api';
import { InspectionsPage } from '../components/InspectionsPage';
import { inspectionsRouteRef } from '../routes';

export type Decide = (
  r: EvaluatePermissionRequest,
) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;
export const allowAll: Decide = () => AuthorizeResult.ALLOW;

/**
 * Renders an element in a test app with the fake API, permissions and signed-in user; in
 * Simplified Chinese with `language: 'zh-Hans'` (the plugin's and the shared components'
 * resources).
 */
export function renderWith(
  element: ReactElement,
  opts: {
    api: InspectionsApi;
    authorize?: Decide;
    user?: string;
    path?: string;
    language?: 'en' | 'zh-Hans';
  },
) {
  const {
    api,
    authorize = allowAll,
    user = 'user:default/admin',
    path,
    language,
  } = opts;
  return renderInTestApp(
    // usePermission caches decisions in SWR: a fresh cache per test
    <SWRConfig value={{ provider: () => new Map() }}>{element}</SWRConfig>,
    {
      apis: [
        [inspectionsApiRef, api],
        mockApis.permission({ authorize }),
        mockApis.identity({ userEntityRef: user }),
        ...((language
          ? translationTestApis(language, [zhHans, kubemateReactZhHans])
          : []) as any[]),
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
  opts: {
    api: InspectionsApi;
    authorize?: Decide;
    user?: string;
    language?: 'en' | 'zh-Hans';
  },
) {
  return renderWith(<InspectionsPage />, { ...opts, path });
}
