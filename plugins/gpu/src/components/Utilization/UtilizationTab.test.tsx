import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import { fakeApi, utilization } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';

describe('UtilizationTab', () => {
  it('charts utilization by the chosen group and range, marked as demo data', async () => {
    const api = fakeApi();
    await renderPage('/gpus/utilization', { api });
    expect(
      await screen.findByRole('img', {
        name: 'GPU utilization by team: 1 series, 2 points',
      }),
    ).toBeInTheDocument();
    expect(screen.getAllByTestId('gpu-demo-chip').length).toBeGreaterThan(0);
    expect(api.utilization).toHaveBeenLastCalledWith('team', 60);

    api.utilization.mockResolvedValue(
      utilization({ groupBy: 'model', demo: false, series: [] }),
    );
    await userEvent.selectOptions(
      screen.getByTestId('gpu-utilization-group'),
      'model',
    );
    await userEvent.selectOptions(
      screen.getByTestId('gpu-utilization-range'),
      '1440',
    );
    await waitFor(() =>
      expect(api.utilization).toHaveBeenLastCalledWith('model', 1440),
    );
    expect(
      await screen.findByRole('img', {
        name: 'GPU utilization by model: no data',
      }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/No idle GPUs: every allocated GPU you may see/),
    ).toBeInTheDocument();
  });

  it('names Prometheus when it is down (503)', async () => {
    const api = fakeApi();
    api.utilization.mockRejectedValue(
      new Error('Prometheus did not answer within 10000 ms') as ResponseError,
    );
    await renderPage('/gpus/utilization', { api });
    expect(
      (await screen.findAllByText(/Prometheus did not answer within 10000 ms/))
        .length,
    ).toBeGreaterThan(0);
  });
});
