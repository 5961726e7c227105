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
import { GpuApi, gpuApiRef } from '../api';
import { GpuPage } from '../components/GpuPage';
import { gpuRouteRef } from '../routes';

export type Decide = (
  r: EvaluatePermissionRequest,
) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;
export const allowAll: Decide = () => AuthorizeResult.ALLOW;

/** Allows every permission except `name`. */
export const deny =
  (name: string): Decide =>
  r =>
    r.permission.name === name ? AuthorizeResult.DENY : AuthorizeResult.ALLOW;

/** Renders an element in a test app with the fake API, permissions and signed-in user. */
export function renderWith(
  element: ReactElement,
  opts: {
    api: GpuApi;
    authorize?: Decide;
    user?: string;
    path?: string;
    /** `zh-Hans`: the GPU and shared messages in Simplified Chinese. */
    language?: string;
  },
) {
  const {
    api,
    authorize = allowAll,
    user = 'user:default/alice',
    path,
    language,
  } = opts;
  return renderInTestApp(
    // usePermission caches decisions in SWR: a fresh cache per test
    <SWRConfig value={{ provider: () => new Map() }}>{element}</SWRConfig>,
    {
      apis: [
        [gpuApiRef, api],
        mockApis.permission({ authorize }),
        mockApis.identity({
          userEntityRef: user,
          ownershipEntityRefs: [user, 'group:default/team-payments'],
        }),
        ...((language
          ? translationTestApis(language, [zhHans, kubemateReactZhHans])
          : []) as any[]),
      ],
      mountedRoutes: { '/gpus': gpuRouteRef },
      ...(path ? { mountPath: '/gpus/*', initialRouteEntries: [path] } : {}),
    },
  );
}

/** The GPUs page at `path` (e.g. `/gpus/approvals`). */
export function renderPage(
  path: string,
  opts: { api: GpuApi; authorize?: Decide; user?: string; language?: string },
) {
  return renderWith(<GpuPage />, { ...opts, path });
}
