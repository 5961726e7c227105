import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { canaryApiRef } from '../../api/CanaryApi';
import { ReleasesPage } from './ReleasesPage';
import { fakeApi, summary } from '../../testing/fixtures';

describe('ReleasesPage', () => {
  it('lists the releases with their waiting gate and links to the entity tab, filtered by phase', async () => {
    const api = fakeApi({
      overview: jest.fn(async () => ({
        items: [
          summary({ phase: 'WaitingPromotion', canaryWeight: 50 }),
          summary({
            cluster: 'prod-cluster',
            namespace: 'orders-prod',
            name: 'orders-api',
            entityRef: 'component:default/orders-api',
            phase: 'Failed',
            canaryWeight: 0,
            gates: [],
          }),
        ],
        errors: [{ cluster: 'edge-cluster', message: 'timeout after 10s' }],
      })),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[canaryApiRef, api]]}>
        <ReleasesPage />
      </TestApiProvider>,
    );
    expect(await screen.findByText('Releases (2 of 2)')).toBeInTheDocument();
    expect(
      screen.getByText('Error: Cluster edge-cluster could not be read'),
    ).toBeInTheDocument();
    const link = screen.getByRole('link', { name: 'payments-api' });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/releases',
    );
    const row = link.closest('tr')!;
    expect(within(row).getByText('confirm-promotion')).toBeInTheDocument();
    expect(within(row).getByText('50% of 50%')).toBeInTheDocument();
    expect(api.overview).toHaveBeenCalledWith(168);

    fireEvent.mouseDown(
      screen.getByRole('button', { name: 'Filter by phase' }),
    );
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('Failed'),
    );
    expect(await screen.findByText('Releases (1 of 2)')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'orders-api' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'payments-api' }),
    ).not.toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            canaryApiRef,
            fakeApi({
              overview: jest.fn(async () => {
                throw new Error('permission backend down');
              }),
            }),
          ],
        ]}
      >
        <ReleasesPage />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('Error: permission backend down'),
    ).toBeInTheDocument();
  });
});
