import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { ServiceUnavailableError } from '@backstage/errors';
import { MetricsApi, metricsApiRef } from './api/MetricsApi';
import { alertsRouteRef, metricsPlugin } from './plugin';

/*
 * The plugin as the app installs it (new frontend system): its entity content extension, with
 * the route, title and entity filter the catalog uses, rendering the Metrics tab.
 */

const entity = (annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
});

const api: MetricsApi = {
  goldenSignals: jest.fn(async () => {
    throw new ServiceUnavailableError('Thanos Query is unavailable');
  }),
  queryRange: jest.fn(),
  entityAlerts: jest.fn(async () => ({ alerts: [], scope: [] } as any)),
  alerts: jest.fn(),
  silences: jest.fn(async () => []),
  createSilence: jest.fn(),
  expireSilence: jest.fn(),
};

describe('metricsPlugin', () => {
  const content = metricsPlugin.getExtension('entity-content:metrics/metrics');

  it('contributes the Metrics entity tab at /metrics, shown on entities with a Kubernetes id', () => {
    const tester = createExtensionTester(content);
    expect(tester.get(coreExtensionData.routePath)).toBe('/metrics');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Metrics');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(
      filter?.(entity({ 'backstage.io/kubernetes-id': 'payments-api' })),
    ).toBe(true);
    expect(filter?.(entity({}))).toBe(false);
  });

  it("renders the tab's content, reading the entity's golden signals through the plugin's API", async () => {
    const tester = createExtensionTester(content);
    renderInTestApp(
      <EntityProvider
        entity={entity({ 'backstage.io/kubernetes-id': 'payments-api' })}
      >
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [[metricsApiRef, api]],
        mountedRoutes: { '/alerts': alertsRouteRef },
      },
    );
    expect(
      await screen.findByText('Error: Thanos Query is unavailable'),
    ).toBeInTheDocument();
    expect(api.goldenSignals).toHaveBeenCalledWith(
      'component:default/payments-api',
      expect.objectContaining({ start: expect.any(Number) }),
    );
  });
});
