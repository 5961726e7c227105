import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import { fakeApi, PENDING_REASON } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';

describe('QueueTab', () => {
  it("shows a pending workload's position and Kueue's reason word for word, one statement per line", async () => {
    const api = fakeApi();
    await renderPage('/gpus/queue', { api });
    const row = await screen.findByTestId(
      'gpu-workload-dev-cluster-payments-dev-job-train-big-1a2b3',
    );
    expect(row).toHaveAttribute('data-state', 'pending');
    expect(row).toHaveAttribute('data-position', '2');
    expect(screen.getByText('#2 in team-payments')).toBeInTheDocument();
    const reason = screen.getByTestId(
      'gpu-workload-dev-cluster-payments-dev-job-train-big-1a2b3-reason',
    );
    expect(reason).toHaveAttribute('data-reason', PENDING_REASON);
    expect(
      within(reason).getByText("couldn't assign flavors to pod set main:"),
    ).toBeInTheDocument();
    expect(
      within(reason)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'insufficient quota for nvidia.com/gpu in flavor a100-40gb, previously considered podsets requests (0) + current podset request (6) > maximum capacity (4)',
      'insufficient unused quota for cpu in flavor default, 3 more needed',
    ]);
    // the admitted one: flavor and wait instead of a reason
    expect(
      screen.getByTestId(
        'gpu-workload-dev-cluster-payments-dev-job-train-small-9z8y7',
      ),
    ).toHaveAttribute('data-state', 'admitted');
    expect(screen.getByText(/flavor a100-40gb · admitted/)).toBeInTheDocument();
    expect(screen.getByText('Workloads (2, 1 pending)')).toBeInTheDocument();
  });

  it('filters on the backend by namespace and state, and says when nothing is pending', async () => {
    const api = fakeApi();
    await renderPage('/gpus/queue', { api });
    await screen.findByText('Workloads (2, 1 pending)');
    api.workloads.mockResolvedValue({ workloads: [], errors: [] });
    await userEvent.selectOptions(
      screen.getByTestId('gpu-filter-namespace'),
      'payments-dev',
    );
    await userEvent.selectOptions(
      screen.getByTestId('gpu-filter-state'),
      'pending',
    );
    await waitFor(() =>
      expect(api.workloads).toHaveBeenLastCalledWith({
        cluster: undefined,
        namespace: 'payments-dev',
        state: 'pending',
        queue: undefined,
      }),
    );
    expect(
      await screen.findByText('No pending workloads.'),
    ).toBeInTheDocument();
  });

  it('names the upstream of a 503 and shows the clusters that could not be read', async () => {
    const api = fakeApi();
    api.workloads.mockResolvedValue({
      workloads: [],
      errors: [
        {
          cluster: 'prod-cluster',
          message: 'Kubernetes API of prod-cluster: connect ECONNREFUSED',
        },
      ],
    });
    await renderPage('/gpus/queue', { api });
    expect(
      await screen.findByText(/Cluster prod-cluster could not be read/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No pending workloads: no GPU workload in the queues/),
    ).toBeInTheDocument();

    const failing = fakeApi();
    const error = new Error(
      'Kubernetes API of dev-cluster did not answer within 5000 ms',
    ) as ResponseError;
    failing.workloads.mockRejectedValue(error);
    await renderPage('/gpus/queue', { api: failing });
    expect(
      (
        await screen.findAllByText(
          /Kubernetes API of dev-cluster did not answer within 5000 ms/,
        )
      ).length,
    ).toBeGreaterThan(0);
  });
});
