import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { ClustersApi, clustersApiRef } from '../../api/ClustersApi';
import { entity, fakeApi, workloads } from '../../__testUtils__/fixtures';
import { ClusterOpsContent } from './ClusterOpsContent';

async function renderTab(
  api: ClustersApi,
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY
    | ((
        req: EvaluatePermissionRequest,
      ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY),
  name = entity.metadata.name,
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [clustersApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize })],
      ]}
    >
      <EntityProvider
        entity={{ ...entity, metadata: { ...entity.metadata, name } }}
      >
        <ClusterOpsContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('ClusterOpsContent', () => {
  it('shows workloads with their health, warning events and an unreadable cluster', async () => {
    await renderTab(fakeApi(), AuthorizeResult.ALLOW);
    expect(await screen.findByText('payments-worker')).toBeInTheDocument();
    expect(screen.getAllByText('CrashLoopBackOff').length).toBeGreaterThan(0);
    expect(
      screen.getByText('Back-off restarting failed container'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Cluster prod-cluster could not be read/),
    ).toBeInTheDocument();
  });

  it('scales a workload after confirmation', async () => {
    const api = fakeApi();
    await renderTab(api, AuthorizeResult.ALLOW);
    const button = await screen.findByRole('button', {
      name: 'Scale payments-worker',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    const input = within(dialog).getByLabelText('Replicas');
    await userEvent.clear(input);
    await userEvent.type(input, '3');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Scale' }),
    );
    await waitFor(() =>
      expect(api.scale).toHaveBeenCalledWith(
        {
          entityRef: 'component:default/payments-api',
          cluster: 'dev-cluster',
          namespace: 'payments-dev',
          resource: 'deployments',
          name: 'payments-worker',
        },
        3,
      ),
    );
  });

  it('edits YAML: dry run shows the diff, then applies exactly that text', async () => {
    const yaml =
      'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 1\n';
    const api = fakeApi({
      getWorkloadManifest: jest.fn(async () => ({
        cluster: 'dev-cluster',
        yaml,
      })),
      apply: jest.fn(async ({ dryRun }: { dryRun: boolean }) => ({
        dryRun,
        objects: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            namespace: 'payments-dev',
            name: 'payments-worker',
            operation: 'configured' as const,
            after: '',
            diff: '-  replicas: 1\n+  replicas: 2',
          },
        ],
      })),
    });
    await renderTab(api, AuthorizeResult.ALLOW, 'payments-api-yaml');
    const button = await screen.findByRole('button', {
      name: 'YAML of payments-worker',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    const editor = await within(dialog).findByLabelText(/Manifest/);
    expect(editor).toHaveValue(yaml);
    const applyButton = within(dialog).getByRole('button', { name: 'Apply' });
    expect(applyButton).toBeDisabled();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Dry run' }),
    );
    expect(
      await within(dialog).findByText(/\+ +replicas: 2/),
    ).toBeInTheDocument();
    await waitFor(() => expect(applyButton).toBeEnabled());
    await userEvent.click(applyButton);
    await waitFor(() =>
      expect(api.apply).toHaveBeenLastCalledWith({
        entityRef: 'component:default/payments-api-yaml',
        cluster: 'dev-cluster',
        manifest: yaml,
        dryRun: false,
      }),
    );
  });

  it('gates each action by its permission on the object, with the reason', async () => {
    // usePermission caches decisions per permission and object across renders (and tests):
    // this test's workloads live in a cluster of their own.
    const other = {
      ...workloads,
      clusters: [{ ...workloads.clusters[0], cluster: 'other-cluster' }],
    };
    const checked: string[] = [];
    await renderTab(
      fakeApi({ getEntityWorkloads: jest.fn(async () => other) }),
      req => {
        checked.push(
          `${req.permission.name} ${
            'resourceRef' in req ? req.resourceRef : ''
          }`,
        );
        return req.permission.name === 'clusters.pod.logs'
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY;
      },
    );
    const scale = await screen.findByRole('button', {
      name: 'Scale payments-worker',
    });
    await waitFor(() => expect(scale).toBeDisabled());
    expect(scale.parentElement).toHaveAttribute(
      'title',
      'You do not have the permission clusters.workload.scale on payments-worker in other-cluster/payments-dev',
    );
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Delete payments-worker-abc' }),
      ).toBeDisabled(),
    );
    expect(
      screen.getByRole('button', { name: 'Logs of payments-worker-abc' }),
    ).toBeEnabled();
    expect(checked).toEqual(
      expect.arrayContaining([
        'clusters.workload.scale other-cluster/payments-dev/deployments/payments-worker',
        'clusters.pod.delete other-cluster/payments-dev/pods/payments-worker-abc',
      ]),
    );
  });

  it('shows the backend error instead of a blank page', async () => {
    const api = fakeApi({
      getEntityWorkloads: jest.fn(async () => {
        throw new Error('clusters backend said no');
      }),
    });
    await renderTab(api, AuthorizeResult.ALLOW);
    expect(
      (await screen.findAllByText(/clusters backend said no/)).length,
    ).toBeGreaterThan(0);
  });
});
