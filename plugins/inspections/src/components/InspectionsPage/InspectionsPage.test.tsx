import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { cluster, fakeApi } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';
import { tabIndexOf } from './InspectionsPage';

describe('InspectionsPage', () => {
  it('maps the sub-routes to their tabs', () => {
    expect(tabIndexOf('')).toBe(0);
    expect(tabIndexOf('/runs')).toBe(1);
    expect(tabIndexOf('/runs/r2')).toBe(1);
    expect(tabIndexOf('/compare')).toBe(2);
    expect(tabIndexOf('/exemptions')).toBe(3);
    expect(tabIndexOf('/checks')).toBe(4);
    expect(tabIndexOf('/runsx')).toBe(0);
  });

  it('shows a card per cluster: grade, score, findings, trend, running, and the never-inspected state', async () => {
    const api = fakeApi({
      clusters: jest.fn(async () => ({
        clusters: [
          cluster({ running: 'r3' }),
          { cluster: 'prod-cluster', trend: [] },
        ],
      })),
    });
    renderPage('/inspections', { api });
    const dev = await screen.findByTestId('inspections-cluster-dev-cluster');
    expect(
      within(dev).getByRole('img', { name: 'Grade D' }),
    ).toBeInTheDocument();
    expect(within(dev).getByText('61.0 / 100')).toBeInTheDocument();
    expect(within(dev).getByText('1 critical')).toBeInTheDocument();
    expect(within(dev).getByText('2 high')).toBeInTheDocument();
    expect(
      within(dev).getByRole('img', {
        name: 'Score trend over 2 runs: 55 to 61',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByTestId('inspections-cluster-running-dev-cluster'),
    ).toHaveAttribute('href', '/inspections/runs/r3');
    expect(screen.getByText('No inspection yet')).toBeInTheDocument();
    expect(
      screen.getByTestId('inspections-run-now-prod-cluster'),
    ).toBeInTheDocument();
  });

  it('says when the backend cannot be read', async () => {
    const api = fakeApi({
      clusters: jest.fn(async () => {
        throw new Error('inspections backend unavailable');
      }),
    });
    renderPage('/inspections', { api });
    expect(
      await screen.findByText('Error: inspections backend unavailable'),
    ).toBeInTheDocument();
  });

  it('starts a run with the scope picked in Run now and opens it', async () => {
    const api = fakeApi({
      clusters: jest.fn(async () => ({
        clusters: [cluster(), cluster({ cluster: 'prod-cluster' })],
      })),
    });
    renderPage('/inspections', { api });
    await screen.findByTestId('inspections-cluster-prod-cluster');
    const runNow = screen.getByTestId('inspections-run-now');
    await waitFor(() => expect(runNow).toBeEnabled());
    await userEvent.click(runNow);
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByLabelText('prod-cluster'));
    await userEvent.type(
      within(dialog).getByLabelText('Namespaces'),
      'payments-*, Bad_ns',
    );
    expect(
      within(dialog).getByText(
        'Bad_ns is not a namespace name or a prefix pattern like payments-*',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getByTestId('inspections-run-start')).toBeDisabled();
    await userEvent.clear(within(dialog).getByLabelText('Namespaces'));
    await userEvent.type(
      within(dialog).getByLabelText('Namespaces'),
      'payments-*, ai-platform',
    );
    await userEvent.click(within(dialog).getByLabelText('Host'));
    await userEvent.click(within(dialog).getByTestId('inspections-run-start'));
    await waitFor(() =>
      expect(api.createRun).toHaveBeenCalledWith({
        clusters: ['dev-cluster'],
        namespaces: ['payments-*', 'ai-platform'],
        categories: ['cluster', 'application', 'database', 'security'],
      }),
    );
    // the new run's report
    expect(
      await screen.findByTestId('inspection-run-status'),
    ).toBeInTheDocument();
    expect(api.run).toHaveBeenCalledWith('r3');
  });

  it('shows a busy cluster (409) inline in the dialog', async () => {
    const api = fakeApi({
      // the client throws the backend's message (InspectionsClient.test.ts)
      createRun: jest.fn(async () => {
        throw new Error('dev-cluster is being inspected by run r3');
      }),
    });
    renderPage('/inspections', { api });
    await screen.findByTestId('inspections-cluster-dev-cluster');
    const runNow = screen.getByTestId('inspections-run-now');
    await waitFor(() => expect(runNow).toBeEnabled());
    await userEvent.click(runNow);
    await userEvent.click(await screen.findByTestId('inspections-run-start'));
    expect(
      await screen.findByTestId('inspections-run-error'),
    ).toHaveTextContent('dev-cluster is being inspected by run r3');
    // the dialog stays open with the scope
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(api.createRun).toHaveBeenCalledWith({});
  });

  it('disables Run now with the reason without inspections.run.create', async () => {
    renderPage('/inspections', {
      api: fakeApi(),
      authorize: r =>
        r.permission.name === 'inspections.run.create'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    await screen.findByTestId('inspections-cluster-dev-cluster');
    await waitFor(() =>
      expect(screen.getByTestId('inspections-run-now')).toBeDisabled(),
    );
  });

  it('lists runs and compares the two selected, older as base', async () => {
    const api = fakeApi();
    renderPage('/inspections/runs', { api });
    expect(await screen.findByText('Runs (2)')).toBeInTheDocument();
    const compare = screen.getByTestId('inspections-compare-selected');
    expect(compare).toBeDisabled();
    // the first checkbox selects all rows; rows re-render on selection
    await userEvent.click(screen.getAllByRole('checkbox')[1]);
    await userEvent.click(screen.getAllByRole('checkbox')[2]);
    await waitFor(() => expect(compare).toBeEnabled());
    await userEvent.click(compare);
    expect(await screen.findByText('New (1)')).toBeInTheDocument();
    expect(api.diff).toHaveBeenCalledWith('r1', 'r2');
  });
});
