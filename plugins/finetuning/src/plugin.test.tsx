import { screen, waitFor } from '@testing-library/react';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { finetuningApiRef } from './api';
import { finetuningPlugin } from './plugin';
import { fakeApi, QUEUE_MESSAGE } from './__testUtils__/fixtures';

/*
 * The plugin as the app installs it (new frontend system): the Fine-tuning entity tab with the
 * route, title and entity filter the catalog uses, rendering the entity's jobs; the page.
 */

const entity = (
  type: string,
  annotations: Record<string, string> = {},
  kind = 'Component',
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'fraud-model', namespace: 'default', annotations },
  spec: { type, owner: 'team-payments', lifecycle: 'experimental' },
});

describe('finetuningPlugin', () => {
  const content = finetuningPlugin.getExtension(
    'entity-content:finetuning/finetuning',
  );
  const page = finetuningPlugin.getExtension('page:finetuning');

  it('contributes the Fine-tuning entity tab at /finetuning on ML components and annotated entities', () => {
    const tester = createExtensionTester(content);
    expect(tester.get(coreExtensionData.routePath)).toBe('/finetuning');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Fine-tuning',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(entity('ml-model'))).toBe(true);
    expect(filter?.(entity('ml-service'))).toBe(true);
    expect(filter?.(entity('service'))).toBe(false);
    expect(
      filter?.(entity('service', { 'kubemate.io/finetuning': 'true' })),
    ).toBe(true);
    expect(filter?.(entity('ml-model', {}, 'Resource'))).toBe(false);
  });

  it("renders the tab: the entity's jobs with Kueue's reason and a prefilled Launch link", async () => {
    const api = fakeApi();
    const tester = createExtensionTester(content);
    renderInTestApp(
      <EntityProvider entity={entity('ml-model')}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[finetuningApiRef, api], mockApis.permission()] },
    );
    expect(
      await screen.findByText('Fine-tuning jobs of fraud-model (1)'),
    ).toBeInTheDocument();
    expect(
      screen.getByTestId('ft-job-payments-dev-lora-smollm2-a-reason'),
    ).toHaveTextContent(QUEUE_MESSAGE);
    expect(
      screen.getByTestId('ft-job-payments-dev-lora-smollm2-a-position'),
    ).toHaveTextContent('#2 in team-payments');
    expect(screen.getByTestId('ft-entity-launch')).toHaveAttribute(
      'href',
      '/finetuning/launch?entity=component%3Adefault%2Ffraud-model',
    );
    expect(api.entityJobs).toHaveBeenCalledWith(
      'component:default/fraud-model',
    );
  });

  it('shows an empty state with the Launch link on an entity without jobs', async () => {
    const api = fakeApi({ entityJobs: jest.fn(async () => ({ items: [] })) });
    const tester = createExtensionTester(content);
    renderInTestApp(
      <EntityProvider entity={entity('ml-model')}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[finetuningApiRef, api], mockApis.permission()] },
    );
    expect(await screen.findByText('No fine-tuning jobs')).toBeInTheDocument();
    expect(screen.getByTestId('ft-entity-launch')).toBeInTheDocument();
  });

  it('contributes the Fine-tuning page at /finetuning with the jobs, their state and the demo chip', async () => {
    const tester = createExtensionTester(page);
    expect(tester.get(coreExtensionData.routePath)).toBe('/finetuning');
    const api = fakeApi();
    renderInTestApp(tester.reactElement(), {
      apis: [[finetuningApiRef, api], mockApis.permission()],
    });
    await waitFor(() =>
      expect(
        screen.getByTestId('ft-job-payments-dev-lora-smollm2-a'),
      ).toHaveAttribute('data-state', 'Queued'),
    );
    expect(
      screen.getByTestId('ft-job-payments-dev-lora-smollm2-a-demo'),
    ).toHaveTextContent('demo data — simulated training');
  });
});
