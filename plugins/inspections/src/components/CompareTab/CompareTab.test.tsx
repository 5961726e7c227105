import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { diff, fakeApi, finding } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';

describe('CompareTab', () => {
  it('shows the four sections with their counts, new and resolved open', async () => {
    const api = fakeApi({
      diff: jest.fn(async () =>
        diff({
          unchanged: [
            finding({ fingerprint: 'fp-a' }),
            finding({ fingerprint: 'fp-b' }),
          ],
          notComparable: [
            finding({ fingerprint: 'fp-nc', message: 'etcd snapshot too old' }),
          ],
        }),
      ),
    });
    renderPage('/inspections/compare?base=r1&head=r2', { api });
    expect(await screen.findByText('New (1)')).toBeInTheDocument();
    expect(api.diff).toHaveBeenCalledWith('r1', 'r2');
    expect(screen.getByText('Resolved (1)')).toBeInTheDocument();
    expect(screen.getByText('Unchanged (2)')).toBeInTheDocument();
    expect(screen.getByText('Not comparable (1)')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('inspections-diff-new')).getByText(
        'Pod web-1 is crash looping',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('inspections-diff-resolved')).getByText(
        'Old problem fixed',
      ),
    ).toBeInTheDocument();
    // closed until opened
    const nc = screen.getByTestId('inspections-diff-notComparable');
    expect(
      within(nc).queryByText('etcd snapshot too old'),
    ).not.toBeInTheDocument();
    await userEvent.click(within(nc).getByText('Not comparable (1)'));
    expect(
      await within(nc).findByText('etcd snapshot too old'),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('inspections-not-comparable'),
    ).not.toBeInTheDocument();
  });

  it('warns with the reasons when the runs are not comparable', async () => {
    const api = fakeApi({
      diff: jest.fn(async () =>
        diff({
          comparable: false,
          reasons: [
            'The rulesets differ (abc123 vs def456)',
            'prod-cluster was not inspected by the head run',
          ],
        }),
      ),
    });
    renderPage('/inspections/compare?base=r1&head=r2', { api });
    const banner = await screen.findByTestId('inspections-not-comparable');
    expect(
      within(banner).getByText(/These runs are not fully comparable/),
    ).toBeInTheDocument();
    expect(
      within(banner).getByText('The rulesets differ (abc123 vs def456)'),
    ).toBeInTheDocument();
    expect(
      within(banner).getByText(
        'prod-cluster was not inspected by the head run',
      ),
    ).toBeInTheDocument();
  });

  it('asks for two runs, then compares the picked ones', async () => {
    const api = fakeApi();
    renderPage('/inspections/compare', { api });
    expect(
      await screen.findByText(
        'Pick a base run and a head run to see what changed between them.',
      ),
    ).toBeInTheDocument();
    expect(api.diff).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Base run' }));
    await userEvent.click((await screen.findAllByRole('option'))[1]);
    await userEvent.click(screen.getByRole('button', { name: 'Head run' }));
    await userEvent.click((await screen.findAllByRole('option'))[0]);
    await waitFor(() => expect(api.diff).toHaveBeenCalledWith('r1', 'r2'));
  });

  it('shows the error of a diff the backend refuses', async () => {
    const api = fakeApi({
      diff: jest.fn(async () => {
        throw new Error('Run r9 not found');
      }),
    });
    renderPage('/inspections/compare?base=r9&head=r2', { api });
    expect(
      await screen.findByText('Error: Run r9 not found'),
    ).toBeInTheDocument();
  });
});
