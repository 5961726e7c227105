/* The Local stack page's tests: a stack half way through `up`, a fake API, the page as installed. */
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  LocalStackLogResponse,
  LocalStackServersResponse,
} from '@kubemate/plugin-localstack-common';
import { LocalStackApi, localstackApiRef } from '../api';
import { localstackPlugin } from '../plugin';

const now = Date.now();
const iso = (secondsAgo: number) =>
  new Date(now - secondsAgo * 1000).toISOString();

export const running: LocalStackServersResponse = {
  configured: true,
  running: true,
  updatedAt: iso(0),
  startedAt: iso(600),
  servers: [
    {
      id: 'kubernetes',
      part: 'clusters',
      title: 'Kubernetes API',
      state: 'up',
      since: iso(120),
      etaSeconds: null,
      log: '/state/dev/logs/kube-apiserver.log',
      error: null,
    },
    {
      id: 'loki',
      part: 'telemetry',
      title: 'Loki',
      state: 'building',
      since: iso(0),
      etaSeconds: 360,
      log: '/cache/logs/build-loki.log',
      error: null,
    },
    {
      id: 'jaeger',
      part: 'telemetry',
      title: 'Jaeger',
      state: 'failed',
      since: iso(30),
      etaSeconds: null,
      log: '/cache/logs/build-jaeger.log',
      error: 'go build exited 1',
    },
    {
      // an id the translations do not know: its title stays stack.sh's in every language
      id: 'tempo',
      part: 'telemetry',
      title: 'Thanos Query',
      state: 'pending',
      since: iso(600),
      etaSeconds: 840,
      log: null,
      error: null,
    },
  ],
};

export function fakeApi(
  servers: () => Promise<LocalStackServersResponse>,
  log: (id: string) => Promise<LocalStackLogResponse> = async id => ({
    id,
    path: `/cache/logs/build-${id}.log`,
    lines: ['go: downloading', `built ${id}`],
    truncated: false,
  }),
): jest.Mocked<LocalStackApi> {
  return { servers: jest.fn(servers), log: jest.fn(log) };
}

export function renderPage(
  api: LocalStackApi,
  authorize = AuthorizeResult.ALLOW as
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY,
  extraApis: any[] = [],
) {
  const tester = createExtensionTester(
    localstackPlugin.getExtension('page:localstack'),
  );
  expect(tester.get(coreExtensionData.routePath)).toBe('/local-stack');
  return renderInTestApp(tester.reactElement(), {
    apis: [
      [localstackApiRef, api],
      mockApis.permission({ authorize }),
      ...extraApis,
    ],
  });
}
