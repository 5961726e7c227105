import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { LogsApi, logsApiRef } from './api/LogsApi';
import { logsPlugin } from './plugin';

/*
 * The plugin as the app installs it (new frontend system): its entity content extension, with
 * the route, title and entity filter the catalog uses, rendering the Logs tab.
 */

const entity = (annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
});

const api: LogsApi = {
  query: jest.fn(async req => ({
    resultType: 'streams' as const,
    lines: [],
    effectiveQuery: `${req.query} (scoped)`,
    scope: ['payments-dev'],
    limited: false,
  })),
  volume: jest.fn(async () => ({
    resultType: 'matrix' as const,
    series: [],
    effectiveQuery: 'v',
    scope: ['payments-dev'],
    step: 60,
  })),
  context: jest.fn(),
  tail: jest.fn(),
  download: jest.fn(),
};

describe('logsPlugin', () => {
  const content = logsPlugin.getExtension('entity-content:logs/logs');

  it('contributes the Logs entity tab at /logs, shown on entities with a Kubernetes id', () => {
    const tester = createExtensionTester(content);
    expect(tester.get(coreExtensionData.routePath)).toBe('/logs');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Logs');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(
      filter?.(entity({ 'backstage.io/kubernetes-id': 'payments-api' })),
    ).toBe(true);
    expect(filter?.(entity({}))).toBe(false);
  });

  it("renders the tab's content, querying the entity's logs through the plugin's API", async () => {
    const tester = createExtensionTester(content);
    renderInTestApp(
      <EntityProvider
        entity={entity({ 'backstage.io/kubernetes-id': 'payments-api' })}
      >
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[logsApiRef, api]] },
    );
    expect(
      await screen.findByText(/Sent to Loki: .* \(scoped\)/),
    ).toBeInTheDocument();
    expect(api.query).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRef: 'component:default/payments-api',
        limit: 2000,
      }),
    );
  });
});
