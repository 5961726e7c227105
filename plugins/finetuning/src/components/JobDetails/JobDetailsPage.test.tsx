import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  details,
  fakeApi,
  job,
  QUEUE_MESSAGE,
} from '../../__testUtils__/fixtures';
import { deny, renderPage } from '../../__testUtils__/render';

const PATH = '/finetuning/jobs/job-1';

describe('JobDetailsPage', () => {
  it("shows Kueue's reason verbatim, the position, the live curves, and cancels after confirming", async () => {
    const api = fakeApi();
    await renderPage(PATH, { api });
    expect(await screen.findByTestId('ft-job-queue-reason')).toHaveTextContent(
      `Pending: ${QUEUE_MESSAGE}`,
    );
    expect(screen.getByTestId('ft-job-queue')).toHaveTextContent('#2');
    expect(
      await screen.findByRole('img', { name: 'Loss: 2 series, 2 steps' }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('ft-metrics-demo-chip')).toBeInTheDocument();
    expect(screen.getByTestId('ft-latest-eval_loss')).toHaveTextContent(
      'eval_loss: 1.9',
    );
    // no adapter yet: Serve says why
    expect(screen.getByTestId('ft-serve')).toBeDisabled();

    await waitFor(() => expect(screen.getByTestId('ft-cancel')).toBeEnabled());
    await userEvent.click(screen.getByTestId('ft-cancel'));
    await userEvent.click(await screen.findByTestId('ft-cancel-confirm'));
    await waitFor(() => expect(api.cancelJob).toHaveBeenCalledWith('job-1'));
  });

  it('disables Cancel with the reason without finetuning.job.cancel', async () => {
    await renderPage(PATH, {
      api: fakeApi(),
      authorize: deny('finetuning.job.cancel'),
    });
    const cancel = await screen.findByTestId('ft-cancel');
    await waitFor(() => expect(cancel).toBeDisabled());
    expect(cancel.parentElement).toHaveAttribute(
      'title',
      'You do not have the permission finetuning.job.cancel on payments-dev in dev-cluster',
    );
  });

  it("serves a finished job's adapter and says where the model appears", async () => {
    const done = job({
      state: 'Succeeded',
      queue: undefined,
      adapter: {
        uri: 's3://kubemate-finetuning/adapters/dev-cluster/payments-dev/lora-smollm2-a-job1/',
        available: true,
        untrained: true,
      },
    });
    const api = fakeApi({
      job: jest.fn(async () => details({ job: done })),
      serve: jest.fn(async () => ({
        name: 'ft-payments-dev-lora-smollm2-a',
        jobId: 'job-1',
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        baseModel: 'smollm2-135m-instruct',
        ollamaBase: 'smollm2-135m',
        adapterUri: done.adapter!.uri,
        untrained: true,
        createdBy: 'user:default/alice',
        createdAt: '2026-12-01T11:00:00Z',
      })),
    });
    await renderPage(PATH, { api });
    expect(await screen.findByTestId('ft-untrained-chip')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('ft-serve')).toBeEnabled());
    await userEvent.click(screen.getByTestId('ft-serve'));
    expect(screen.getByTestId('ft-serve-name')).toHaveValue(
      'ft-payments-dev-lora-smollm2-a',
    );
    await userEvent.click(screen.getByTestId('ft-serve-submit'));
    const notice = await screen.findByTestId('ft-serve-notice');
    expect(notice).toHaveTextContent(
      "Ollama model ft-payments-dev-lora-smollm2-a created from smollm2-135m and the adapter (untrained). It appears in the knowledge assistant's model picker.",
    );
    expect(api.serve).toHaveBeenCalledWith('job-1', {
      modelName: 'ft-payments-dev-lora-smollm2-a',
    });
  });

  it('reads the logs of the chosen pod', async () => {
    const running = job({ state: 'Running' });
    const api = fakeApi({
      job: jest.fn(async () =>
        details({
          job: running,
          pods: [
            {
              name: 'lora-master-0',
              replicaType: 'Master',
              index: 0,
              phase: 'Running',
              gpus: 1,
            },
            {
              name: 'lora-worker-0',
              replicaType: 'Worker',
              index: 0,
              phase: 'Running',
              gpus: 1,
            },
          ],
        }),
      ),
      logs: jest.fn(async (_id: string, pod: string) => ({
        pod,
        container: 'pytorch',
        lines: [`step 10 loss 1.7 on ${pod}`],
        truncated: false,
      })),
    });
    await renderPage(PATH, { api });
    expect(await screen.findByTestId('ft-logs')).toHaveTextContent(
      'step 10 loss 1.7 on lora-master-0',
    );
    await userEvent.selectOptions(
      screen.getByTestId('ft-logs-pod'),
      'lora-worker-0',
    );
    await waitFor(() =>
      expect(screen.getByTestId('ft-logs')).toHaveTextContent(
        'step 10 loss 1.7 on lora-worker-0',
      ),
    );
    expect(api.logs).toHaveBeenCalledWith('job-1', 'lora-worker-0', 500);
    expect(
      within(screen.getByTestId('ft-job-details')).getByTestId('ft-job-state'),
    ).toHaveAttribute('data-state', 'Running');
  });

  it('shows a 503 naming the cluster instead of a blank page', async () => {
    const api = fakeApi({
      job: jest.fn(async () => {
        throw new Error(
          'the Kubernetes API of dev-cluster did not answer within 10 s',
        );
      }),
    });
    await renderPage(PATH, { api });
    expect(
      await screen.findByText(
        'the Kubernetes API of dev-cluster did not answer within 10 s',
      ),
    ).toBeInTheDocument();
  });
});
