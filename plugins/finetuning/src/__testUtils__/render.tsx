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
import { FinetuningApi, finetuningApiRef } from '../api';
import { FinetuningPage } from '../components/FinetuningPage/FinetuningPage';
import { finetuningRouteRef } from '../routes';
import zhHans from '../translations/zh-Hans';

/** The translation APIs of a test in `language` (the plugin's and the shared zh-Hans messages). */
export const languageApis = (language: string) =>
  translationTestApis(language, [zhHans, kubemateReactZhHans]) as any;

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
    api: FinetuningApi;
    authorize?: Decide;
    path?: string;
    /** render in this language (`zh-Hans`) instead of the test app's English */
    language?: string;
  },
) {
  const { api, authorize = allowAll, path, language } = opts;
  return renderInTestApp(
    // usePermission caches decisions in SWR: a fresh cache per test
    <SWRConfig value={{ provider: () => new Map() }}>{element}</SWRConfig>,
    {
      apis: [
        [finetuningApiRef, api],
        mockApis.permission({ authorize }),
        mockApis.identity({
          userEntityRef: 'user:default/alice',
          ownershipEntityRefs: [
            'user:default/alice',
            'group:default/team-payments',
          ],
        }),
        ...(language ? languageApis(language) : []),
      ],
      mountedRoutes: { '/finetuning': finetuningRouteRef },
      ...(path
        ? { mountPath: '/finetuning/*', initialRouteEntries: [path] }
        : {}),
    },
  );
}

/** The Fine-tuning page at `path` (e.g. `/finetuning/launch`). */
export function renderPage(
  path: string,
  opts: { api: FinetuningApi; authorize?: Decide; language?: string },
) {
  return renderWith(<FinetuningPage />, { ...opts, path });
}
