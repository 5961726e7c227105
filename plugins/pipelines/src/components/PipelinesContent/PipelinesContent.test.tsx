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
import { ServiceUnavailableError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { SWRConfig } from 'swr';
import { PipelinesApi, pipelinesApiRef } from '../../api/PipelinesApi';
import { entity, fakeApi, run } from '../../__testUtils__/fixtures';
import { PipelinesContent } from './PipelinesContent';
import { taskLevels } from '../TaskGraph';
import { lanesOf } from '../EnvironmentLanes';

/*
 * Component tests with an in-memory PipelinesApi; the backend is tested against the real
 * apiserver (plugins/pipelines-backend) and the whole path in e2e/pipelines.spec.ts.
 */

async function renderTab(
  api: PipelinesApi,
  authorize: (
    r: EvaluatePermissionRequest,
  ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY = () =>
    AuthorizeResult.ALLOW,
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [pipelinesApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize })],
      ]}
    >
      {/* usePermission caches decisions in SWR: a fresh cache per test */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={entity}>
          <PipelinesContent />
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
  );
}

describe('PipelinesContent', () => {
  it('lists runs with lanes and a failed cluster, shows details with task graph, params, results and a step log', async () => {
    const api = fakeApi();
    await renderTab(api);
    expect(
      await screen.findByText('Pipeline runs (2 of 2)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Error: Cluster prod-cluster could not be read'),
    ).toBeInTheDocument();
    const dev = screen.getByLabelText('Environment dev');
    expect(within(dev).getByText('ci-run-1')).toBeInTheDocument(); // deployed
    expect(within(dev).getByText('ci-run-2')).toBeInTheDocument(); // latest, running
    expect(
      within(screen.getByLabelText('Environment prod')).getByText(
        'Nothing deployed by a pipeline yet',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/2 runs · 1 succeeded · average successful run 3m 20s/),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getAllByRole('button', { name: 'ci-run-1' })[0],
    );
    const graph = await screen.findByRole('list', {
      name: 'Task graph of ci-run-1',
    });
    expect(
      within(graph).getByRole('listitem', { name: 'build: Succeeded' }),
    ).toBeInTheDocument();
    expect(
      within(graph).getByRole('listitem', { name: 'deploy: Pending' }),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('table', { name: 'Params' })).getByText('abc123'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('table', { name: 'Results' })).getByText(
        'registry.local/payments-api:abc123',
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'compile · Succeeded' }),
    );
    expect(
      await screen.findByLabelText('Log of step compile'),
    ).toHaveTextContent('compiling... ok');
    expect(api.stepLog).toHaveBeenCalledWith(
      { cluster: 'dev-cluster', namespace: 'payments-dev', name: 'ci-run-1' },
      'ci-run-1-build',
      'compile',
    );
  });

  it('follows a running run without a reload until the controller reports it finished', async () => {
    const running = run({
      name: 'ci-run-5',
      status: 'Running',
      completionTime: undefined,
      taskRuns: [
        {
          name: 'ci-run-5-build',
          pipelineTask: 'build',
          status: 'Running',
          podName: 'ci-run-5-build-pod',
          steps: [
            { name: 'compile', container: 'step-compile', status: 'Running' },
          ],
        },
      ],
    });
    const done = run({
      name: 'ci-run-5',
      taskRuns: [
        {
          name: 'ci-run-5-build',
          pipelineTask: 'build',
          status: 'Succeeded',
          podName: 'ci-run-5-build-pod',
          steps: [
            { name: 'compile', container: 'step-compile', status: 'Succeeded' },
          ],
        },
      ],
    });
    let finished = false;
    const api = fakeApi({
      runs: jest.fn(async () => ({
        runs: [finished ? done : running],
        errors: [],
      })),
    });
    await renderTab(api);
    await userEvent.click(
      (
        await screen.findAllByRole('button', { name: 'ci-run-5' })
      )[0],
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'compile · Running' }),
    );
    expect(await screen.findByLabelText('Follow')).toBeChecked();
    finished = true;
    // the tab re-reads the runs while one is active: no reload, no click
    expect(
      await screen.findByRole(
        'button',
        { name: 'compile · Succeeded' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByLabelText('Follow (step finished)'),
    ).toBeDisabled();
    const reads = (api.stepLog as jest.Mock).mock.calls.length;
    expect(reads).toBeGreaterThanOrEqual(2); // the last read after the step ended
    // it polled while the run was active (how often depends on the machine's speed), and stops
    // once the controller reports it finished: no read during the next poll interval
    const polls = (api.runs as jest.Mock).mock.calls.length;
    expect(polls).toBeGreaterThanOrEqual(2);
    await new Promise(resolve => setTimeout(resolve, 6_000));
    expect(api.runs).toHaveBeenCalledTimes(polls);
  }, 60_000);

  it('names the step that failed the run and opens its log', async () => {
    const failed = run({
      name: 'ci-run-6',
      status: 'Failed',
      reason: 'Failed',
      message: 'Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 2',
      taskRuns: [
        {
          name: 'ci-run-6-build',
          pipelineTask: 'build',
          status: 'Failed',
          reason: 'Failed',
          message: '"step-compile" exited with code 1',
          podName: 'ci-run-6-build-pod',
          steps: [
            {
              name: 'compile',
              container: 'step-compile',
              status: 'Failed',
              exitCode: 1,
            },
          ],
        },
      ],
      failedStep: {
        taskRun: 'ci-run-6-build',
        pipelineTask: 'build',
        step: 'compile',
        exitCode: 1,
        message: '"step-compile" exited with code 1',
      },
    });
    const api = fakeApi({
      runs: jest.fn(async () => ({ runs: [failed], errors: [] })),
    });
    await renderTab(api);
    await userEvent.click(
      (
        await screen.findAllByRole('button', { name: 'ci-run-6' })
      )[0],
    );
    expect(await screen.findByText(/Failed at step/)).toHaveTextContent(
      'Failed at step compile of task build (exit code 1): "step-compile" exited with code 1',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Show its log' }));
    expect(
      await screen.findByLabelText('Log of step compile'),
    ).toBeInTheDocument();
    expect(api.stepLog).toHaveBeenCalledWith(
      { cluster: 'dev-cluster', namespace: 'payments-dev', name: 'ci-run-6' },
      'ci-run-6-build',
      'compile',
    );
  });

  it('filters by status', async () => {
    await renderTab(fakeApi());
    await screen.findByText('Pipeline runs (2 of 2)');
    await userEvent.click(screen.getByLabelText('Status'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Running' }),
    );
    expect(
      await screen.findByText('Pipeline runs (1 of 2)'),
    ).toBeInTheDocument();
  });

  it('starts a run with params; the required param must be filled; the backend error is shown', async () => {
    const api = fakeApi({
      start: jest
        .fn()
        .mockRejectedValueOnce(
          new Error('Pipeline payments-api-ci has no param x'),
        )
        .mockResolvedValueOnce(run({ name: 'ci-run-3', status: 'Pending' })),
    });
    await renderTab(api);
    const start = await screen.findByRole('button', { name: 'Start run' });
    await waitFor(() => expect(start).toBeEnabled());
    await userEvent.click(start);
    const dialog = await screen.findByRole('dialog');
    const submit = within(dialog).getByRole('button', { name: 'Start' });
    expect(submit).toBeDisabled(); // revision is required
    await userEvent.type(within(dialog).getByLabelText(/revision/), 'deadbeef');
    expect(submit).toBeEnabled();
    await userEvent.click(submit);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'has no param x',
    );
    await userEvent.click(submit);
    expect(
      await screen.findByText('Run started: ci-run-3'),
    ).toBeInTheDocument();
    expect(api.start).toHaveBeenLastCalledWith(
      'component:default/payments-api',
      {
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        pipeline: 'payments-api-ci',
        params: { revision: 'deadbeef', 'image-tag': 'latest' },
        environment: 'dev',
      },
    );
  });

  it('disables start, re-run and cancel with the reason when the permissions are denied', async () => {
    await renderTab(fakeApi(), () => AuthorizeResult.DENY);
    await screen.findByText('Pipeline runs (2 of 2)');
    const start = screen.getByRole('button', { name: 'Start run' });
    await waitFor(() =>
      expect(start.parentElement).toHaveAttribute(
        'title',
        "You do not have the permission pipelines.run.start in the namespaces of this entity's Pipelines",
      ),
    );
    expect(start).toBeDisabled();
    const rerun = screen.getByRole('button', { name: 'Re-run ci-run-2' });
    await waitFor(() =>
      expect(rerun.parentElement).toHaveAttribute(
        'title',
        'You do not have the permission pipelines.run.rerun on ci-run-2',
      ),
    );
    expect(rerun).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Cancel ci-run-2' }),
    ).toBeDisabled();
  });

  it('cancels a running run after confirmation; a finished run cannot be cancelled', async () => {
    const api = fakeApi();
    await renderTab(api);
    const cancel = await screen.findByRole('button', {
      name: 'Cancel ci-run-2',
    });
    await waitFor(() => expect(cancel).toBeEnabled());
    expect(
      screen.getByRole('button', { name: 'Cancel ci-run-1' }),
    ).toBeDisabled();
    await userEvent.click(cancel);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Cancel run' }),
    );
    expect(await screen.findByText('Cancelled: ci-run-2')).toBeInTheDocument();
    expect(api.cancel).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'ci-run-2' }),
    );
  });

  it('shows the error when the backend is down', async () => {
    await renderTab(
      fakeApi({
        runs: jest
          .fn()
          .mockRejectedValue(
            new ServiceUnavailableError('Kubernetes is unreachable'),
          ),
      }),
    );
    expect(
      (await screen.findAllByText(/Kubernetes is unreachable/)).length,
    ).toBeGreaterThan(0);
  });

  it('shows an empty state when the entity has no pipelines', async () => {
    await renderTab(
      fakeApi({
        runs: jest.fn(async () => ({ runs: [], errors: [] })),
        pipelines: jest.fn(async () => ({ pipelines: [], errors: [] })),
      }),
    );
    expect(
      await screen.findByText('No Tekton pipelines for this entity'),
    ).toBeInTheDocument();
  });
});

describe('graph and lanes', () => {
  it('puts a task one column after its deepest predecessor', () => {
    expect(
      Object.fromEntries(
        taskLevels([
          { name: 'deploy', runAfter: ['test', 'build'] },
          { name: 'build', runAfter: [] },
          { name: 'test', runAfter: ['build'] },
          { name: 'lint', runAfter: ['missing'] },
        ]),
      ),
    ).toEqual({ build: 0, test: 1, deploy: 2, lint: 0 });
  });

  it('shows the newest succeeded run as deployed and a later failed one as latest', () => {
    const lanes = lanesOf([
      run({
        name: 'a',
        environment: 'prod',
        startTime: '2026-11-01T00:00:00Z',
      }),
      run({
        name: 'b',
        environment: 'prod',
        status: 'Failed',
        startTime: '2026-11-02T00:00:00Z',
      }),
    ]);
    const prod = lanes.find(l => l.env === 'prod')!;
    expect([prod.deployed?.name, prod.latest?.name]).toEqual(['a', 'b']);
  });
});
