import { screen, waitFor } from '@testing-library/react';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { gpuApiRef } from './api';
import { gpuPlugin } from './plugin';
import { fakeApi } from './__testUtils__/fixtures';

/*
 * The plugin as the app installs it (new frontend system): the GPU entity tab with the route,
 * title and entity filter the catalog uses, rendering the entity's workloads; the GPUs page.
 */

const entity = (annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
});

describe('gpuPlugin', () => {
  const content = gpuPlugin.getExtension('entity-content:gpu/gpu');
  const page = gpuPlugin.getExtension('page:gpu');

  it('contributes the GPU entity tab at /gpu, shown on entities with a Kubernetes id', () => {
    const tester = createExtensionTester(content);
    expect(tester.get(coreExtensionData.routePath)).toBe('/gpu');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('GPU');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(
      filter?.(entity({ 'backstage.io/kubernetes-id': 'payments-api' })),
    ).toBe(true);
    expect(filter?.(entity({}))).toBe(false);
  });

  it("renders the tab: the entity's workloads with Kueue's reason, read through the plugin's API", async () => {
    const api = fakeApi();
    const tester = createExtensionTester(content);
    renderInTestApp(
      <EntityProvider
        entity={entity({ 'backstage.io/kubernetes-id': 'payments-api' })}
      >
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[gpuApiRef, api], mockApis.permission()] },
    );
    await waitFor(() =>
      expect(
        screen.getByText('GPU workloads (1; 0 GPUs allocated)'),
      ).toBeInTheDocument(),
    );
    expect(
      screen.getByText("couldn't assign flavors to pod set main:"),
    ).toBeInTheDocument();
    expect(screen.getByTestId('gpu-demo-chip')).toBeInTheDocument();
    expect(api.entity).toHaveBeenCalledWith(
      'component:default/payments-api',
      60,
    );
  });

  it('shows an empty state on an entity without GPU workloads', async () => {
    const api = fakeApi({
      entity: jest.fn(async () => ({ workloads: [], queues: [], errors: [] })),
    });
    const tester = createExtensionTester(content);
    renderInTestApp(
      <EntityProvider
        entity={entity({ 'backstage.io/kubernetes-id': 'payments-api' })}
      >
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[gpuApiRef, api], mockApis.permission()] },
    );
    expect(await screen.findByText('No GPU workloads')).toBeInTheDocument();
  });

  it('contributes the GPUs page at /gpus with the team quotas and capacity', async () => {
    const tester = createExtensionTester(page);
    expect(tester.get(coreExtensionData.routePath)).toBe('/gpus');
    const api = fakeApi();
    renderInTestApp(tester.reactElement(), {
      apis: [[gpuApiRef, api], mockApis.permission()],
    });
    expect(
      await screen.findByTestId('gpu-queue-dev-cluster-team-payments'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('meter', { name: 'GPU quota of a10g' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByTestId(
        'gpu-capacity-dev-cluster-NVIDIA-A100-SXM4-40GB',
      ),
    ).toHaveTextContent('1 free of 4');
  });
});
