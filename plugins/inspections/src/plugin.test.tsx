import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { inspectionsApiRef } from './api';
import { inspectionsPlugin } from './plugin';
import { entity, fakeApi } from './__testUtils__/fixtures';

/*
 * The plugin as the app installs it (new frontend system): the Inspections page at
 * /inspections and the entity card with the filter the catalog uses.
 */
describe('inspectionsPlugin', () => {
  it('contributes the Inspections page at /inspections', async () => {
    const page = inspectionsPlugin.getExtension('page:inspections');
    const tester = createExtensionTester(page);
    expect(tester.get(coreExtensionData.routePath)).toBe('/inspections');
    renderInTestApp(tester.reactElement(), {
      apis: [[inspectionsApiRef, fakeApi()]],
    });
    expect(await screen.findByText('dev-cluster')).toBeInTheDocument();
  });

  it('contributes the Inspection findings card on entities with Kubernetes annotations', async () => {
    const card = inspectionsPlugin.getExtension(
      'entity-card:inspections/findings',
    );
    const tester = createExtensionTester(card);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(entity)).toBe(true);
    expect(
      filter?.({ ...entity, metadata: { name: 'docs', annotations: {} } }),
    ).toBe(false);
    const api = fakeApi();
    renderInTestApp(
      <EntityProvider entity={entity}>{tester.reactElement()}</EntityProvider>,
      {
        apis: [[inspectionsApiRef, api]],
      },
    );
    expect(await screen.findByText('Inspection findings')).toBeInTheDocument();
    expect(api.entityFindings).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
  });
});
