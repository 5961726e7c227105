import { ReactElement } from 'react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { SWRConfig } from 'swr';
import {
  kubemateReactZhHans,
  translationTestApis,
} from '@kubemate/plugin-kubemate-react';
import { RagApi, ragApiRef } from '../api';
import { KnowledgePage } from '../components/KnowledgePage';
import { ragRouteRef } from '../routes';
import ragZhHans from '../translations/zh-Hans';

export type Decide = (
  r: EvaluatePermissionRequest,
) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;
export const allowAll: Decide = () => AuthorizeResult.ALLOW;

/** The catalog's teams, for the owner titles and the refs fields. */
export const groups = ['team-payments', 'team-risk'].map(name => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name,
    namespace: 'default',
    title: name === 'team-payments' ? 'Payments team' : 'Risk team',
  },
  spec: { type: 'team', children: [] },
}));

/** Renders an element in a test app with the fake API, permissions, signed-in user and catalog. */
export function renderWith(
  element: ReactElement,
  opts: {
    api: RagApi;
    authorize?: Decide;
    user?: string;
    ownership?: string[];
    path?: string;
    mountPath?: string;
    /** the app's language (`zh-Hans`: with the plugin's and the shared Chinese messages) */
    language?: string;
  },
) {
  const {
    api,
    authorize = allowAll,
    user = 'user:default/alice',
    ownership = [user, 'group:default/team-payments'],
    path,
    mountPath = '/knowledge/*',
    language,
  } = opts;
  return renderInTestApp(
    // usePermission caches decisions in SWR: a fresh cache per test
    <SWRConfig value={{ provider: () => new Map() }}>{element}</SWRConfig>,
    {
      apis: [
        [ragApiRef, api],
        [catalogApiRef, catalogApiMock({ entities: groups })],
        mockApis.permission({ authorize }),
        mockApis.identity({
          userEntityRef: user,
          ownershipEntityRefs: ownership,
        }),
        ...((language
          ? translationTestApis(language, [ragZhHans, kubemateReactZhHans])
          : []) as any[]),
      ],
      mountedRoutes: { '/knowledge': ragRouteRef },
      ...(path ? { mountPath, initialRouteEntries: [path] } : {}),
    },
  );
}

/** The Knowledge assistant page at `path` (e.g. `/knowledge/collections/payments-runbooks`). */
export function renderPage(
  path: string,
  opts: {
    api: RagApi;
    authorize?: Decide;
    user?: string;
    ownership?: string[];
    language?: string;
  },
) {
  return renderWith(<KnowledgePage />, { ...opts, path });
}
