import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { TracesApi, tracesApiRef } from './api/TracesApi';
import { tracesPlugin } from './plugin';

/*
 * The plugin as the app installs it (new frontend system): its entity content extension, with
 * the route, title and entity filter the catalog uses, rendering the Traces tab.
 */

const entity = (annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
});

const api: TracesApi = {
  search: jest.fn(async () => ({ traces: [] } as any)),
  trace: jest.fn(),
  dependencies: jest.fn(async () => ({ edges: [] } as any)),
};

describe('tracesPlugin', () => {
  const content = tracesPlugin.getExtension('entity-content:traces/traces');

  it('contributes the Traces entity tab at /traces, shown on entities with a Kubernetes id', () => {
    const tester = createExtensionTester(content);
    expect(tester.get(coreExtensionData.routePath)).toBe('/traces');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Traces');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(
      filter?.(entity({ 'backstage.io/kubernetes-id': 'payments-api' })),
    ).toBe(true);
    expect(filter?.(entity({}))).toBe(false);
  });

  it("renders the tab's content, searching the entity's traces through the plugin's API", async () => {
    const tester = createExtensionTester(content);
    renderInTestApp(
      <EntityProvider
        entity={entity({ 'backstage.io/kubernetes-id': 'payments-api' })}
      >
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[tracesApiRef, api]] },
    );
    expect(
      await screen.findByText(
        'No traces match in the namespaces you may read.',
      ),
    ).toBeInTheDocument();
    expect(api.search).toHaveBeenCalledWith('component:default/payments-api', {
      lookback: '1h',
      limit: 20,
      errorsOnly: false,
    });
    expect(
      await screen.findByText('No calls recorded in the last hour.'),
    ).toBeInTheDocument();
  });
});
