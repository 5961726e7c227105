import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { canaryApiRef } from './api/CanaryApi';
import { canaryPlugin } from './plugin';
import { fakeApi } from './testing/fixtures';

/*
 * The plugin as the app installs it (new frontend system): its entity content extension, with
 * the route, title and entity filter the catalog uses, rendering the Releases tab; and the
 * Releases page.
 */

const entity = (annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
});

describe('canaryPlugin', () => {
  const content = canaryPlugin.getExtension('entity-content:canary/releases');
  const page = canaryPlugin.getExtension('page:canary');

  it('contributes the Releases entity tab at /releases, shown on entities with a Kubernetes id', () => {
    const tester = createExtensionTester(content);
    expect(tester.get(coreExtensionData.routePath)).toBe('/releases');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Releases');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(
      filter?.(entity({ 'backstage.io/kubernetes-id': 'payments-api' })),
    ).toBe(true);
    expect(filter?.(entity({}))).toBe(false);
  });

  it("renders the tab's content, reading the entity's releases through the plugin's API", async () => {
    const api = fakeApi();
    const tester = createExtensionTester(content);
    renderInTestApp(
      <EntityProvider
        entity={entity({ 'backstage.io/kubernetes-id': 'payments-api' })}
      >
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[canaryApiRef, api]] },
    );
    expect(await screen.findByText('Release payments-api')).toBeInTheDocument();
    expect(api.entityReleases).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
  });

  it('contributes the Releases page at /canary', async () => {
    const tester = createExtensionTester(page);
    expect(tester.get(coreExtensionData.routePath)).toBe('/canary');
    const api = fakeApi();
    renderInTestApp(tester.reactElement(), { apis: [[canaryApiRef, api]] });
    expect(await screen.findByText('Releases (1 of 1)')).toBeInTheDocument();
  });
});
