import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { dataset, fakeApi, options } from '../../__testUtils__/fixtures';
import { Decide, deny, renderWith } from '../../__testUtils__/render';
import { LaunchForm } from './LaunchForm';

async function renderForm(api = fakeApi(), authorize?: Decide) {
  await renderWith(<LaunchForm options={options()} datasets={[dataset()]} />, {
    api,
    authorize,
  });
  return api;
}

const submit = () => screen.getByTestId('ft-launch-submit');
const input = (field: string) => screen.getByTestId(`ft-launch-${field}`);
async function retype(field: string, value: string) {
  await userEvent.clear(input(field));
  if (value) await userEvent.type(input(field), value);
}

describe('LaunchForm', () => {
  it('estimates GPU-hours, wall-clock and cost live from the dataset, epochs, GPUs and flavor', async () => {
    await renderForm();
    // 7200 rows × 400 chars × 3 epochs / 4 chars per token = 2.16 M tokens on 2 GPUs at the
    // default 500 tokens/s: 0.6 h + 5 min start-up = 0.683 h wall-clock, 1.37 GPU-h at 1 USD
    expect(screen.getByTestId('ft-estimate-gpu-hours')).toHaveTextContent(
      '1.37 GPU-h',
    );
    expect(screen.getByTestId('ft-estimate-hours')).toHaveTextContent('41 min');
    expect(screen.getByTestId('ft-estimate-cost')).toHaveTextContent(
      '1.37 USD',
    );
    expect(
      screen.getByText(/Assumes 4 characters per token, 500 tokens\/s per GPU/),
    ).toBeInTheDocument();

    // the A100 flavor: 2000 tokens/s per GPU and 4 USD per GPU hour (by its product)
    await userEvent.selectOptions(input('flavor'), 'nvidia-a100-sxm4-40gb');
    expect(screen.getByTestId('ft-estimate-gpu-hours')).toHaveTextContent(
      '0.47 GPU-h',
    );
    expect(screen.getByTestId('ft-estimate-hours')).toHaveTextContent('14 min');
    expect(screen.getByTestId('ft-estimate-cost')).toHaveTextContent(
      '1.87 USD',
    );

    // twice the epochs: twice the tokens
    await retype('epochs', '6');
    expect(screen.getByTestId('ft-estimate-gpu-hours')).toHaveTextContent(
      '0.77 GPU-h',
    );
  });

  it('validates inline with the backend limits and sends nothing while a field is wrong', async () => {
    const api = await renderForm();
    await retype('rank', '0');
    expect(screen.getByText('must be at least 1')).toBeInTheDocument();
    await retype('rank', '300');
    expect(screen.getByText('must be at most 256')).toBeInTheDocument();
    await retype('learningRate', '0');
    expect(screen.getByText('must be greater than 0')).toBeInTheDocument();
    await retype('epochs', '21');
    expect(screen.getByText('must be at most 20')).toBeInTheDocument();
    await retype('workers', '1.5');
    expect(screen.getByText('must be a whole number')).toBeInTheDocument();
    await retype('gpusPerWorker', '5');
    expect(screen.getByText('must be at most 4')).toBeInTheDocument();
    await userEvent.type(input('name'), 'Bad_Name');
    expect(
      screen.getByText(/lowercase letters, digits and dashes, starting/),
    ).toBeInTheDocument();
    // no estimate for impossible resources
    expect(
      screen.queryByTestId('ft-estimate-gpu-hours'),
    ).not.toBeInTheDocument();

    await waitFor(() => expect(submit()).toBeEnabled());
    await userEvent.click(submit());
    expect(screen.getByTestId('ft-launch-invalid')).toHaveTextContent(
      'Fix the marked fields: name, rank, learningRate, epochs, workers, gpusPerWorker',
    );
    expect(api.launchJob).not.toHaveBeenCalled();
  });

  it('launches the job it shows, and shows the server 400 on the field it names', async () => {
    const api = fakeApi();
    api.launchJob.mockRejectedValueOnce(
      new Error('dataset ds-1 is not a dataset of payments-dev'),
    );
    await renderForm(api);
    await userEvent.selectOptions(input('priorityClass'), 'gpu-high');
    await waitFor(() => expect(submit()).toBeEnabled());
    await userEvent.click(submit());
    expect(await screen.findByTestId('ft-launch-error')).toHaveTextContent(
      'dataset ds-1 is not a dataset of payments-dev',
    );
    expect(
      input('datasetId').closest('.MuiFormControl-root'),
    ).toHaveTextContent('dataset ds-1 is not a dataset of payments-dev');
    await userEvent.click(submit());
    await waitFor(() => expect(api.launchJob).toHaveBeenCalledTimes(2));
    expect(api.launchJob).toHaveBeenLastCalledWith({
      cluster: 'dev-cluster',
      namespace: 'payments-dev',
      baseModel: 'smollm2-135m-instruct',
      datasetId: 'ds-1',
      hyperparameters: {
        rank: 8,
        alpha: 16,
        learningRate: 0.0002,
        epochs: 3,
        batchSize: 8,
        dropout: 0.05,
      },
      resources: { workers: 2, gpusPerWorker: 1 },
      queue: 'gpu',
      priorityClass: 'gpu-high',
    });
  });

  it('launches a grid sweep over the chosen values, its estimate counting every trial', async () => {
    const api = await renderForm();
    await userEvent.click(screen.getByTestId('ft-launch-mode-sweep'));
    await userEvent.click(screen.getByTestId('ft-sweep-rank-on'));
    const values = screen.getByTestId('ft-sweep-rank-values');
    await userEvent.clear(values);
    await userEvent.type(values, '4, 8, 300');
    expect(screen.getByText('300 must be at most 256')).toBeInTheDocument();
    await userEvent.clear(values);
    await userEvent.type(values, '4, 8, 16, 32');
    expect(screen.getByTestId('ft-launch-estimate')).toHaveTextContent(
      'Estimate for 4 trials',
    );
    // 4 trials × 1.37 GPU-h
    expect(screen.getByTestId('ft-estimate-gpu-hours')).toHaveTextContent(
      '5.47 GPU-h',
    );
    await waitFor(() => expect(submit()).toBeEnabled());
    await userEvent.click(submit());
    await waitFor(() => expect(api.launchSweep).toHaveBeenCalled());
    expect(api.launchSweep.mock.calls[0][0]).toMatchObject({
      strategy: 'grid',
      space: { rank: { values: [4, 8, 16, 32] } },
      maxTrials: 4,
      objective: { metric: 'eval_loss', goal: 'minimize' },
      base: { namespace: 'payments-dev', datasetId: 'ds-1' },
    });
  });

  it('is disabled with the reason without finetuning.job.create on the namespace', async () => {
    await renderForm(fakeApi(), deny('finetuning.job.create'));
    await waitFor(() => expect(submit()).toBeDisabled());
    await userEvent.hover(submit().parentElement!);
    expect(
      await screen.findByText(
        'You do not have the permission finetuning.job.create on payments-dev in dev-cluster',
      ),
    ).toBeInTheDocument();
  });
});
