import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { check, fakeApi } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';
import { formatThresholds } from './ChecksTab';

const catalogue = () =>
  fakeApi({
    checks: jest.fn(async () => ({
      rulesetHash: 'abcdef0123456789',
      checks: [
        check(),
        check({
          id: 'host.disk-usage',
          title: 'Host disk usage',
          category: 'host',
          severity: 'high',
          dataSource: 'prometheus',
          scope: 'global',
          thresholds: { percent: 90 },
          description: 'Filesystems above the threshold fill up soon.',
          remediation: 'Free space or grow the volume.',
          references: [
            {
              source: 'KubeEye',
              id: 'NodeDiskUsage',
              url: 'https://example.org/kubeeye',
            },
          ],
        }),
      ],
    })),
  });

describe('ChecksTab', () => {
  it('lists the catalogue with category, severity, data source and thresholds; a row expands to its docs', async () => {
    renderPage('/inspections/checks', { api: catalogue() });
    expect(await screen.findByText('Checks (2 of 2)')).toBeInTheDocument();
    const row = screen.getByText('Host disk usage').closest('tr')!;
    expect(within(row).getByText('prometheus')).toBeInTheDocument();
    expect(within(row).getByText('percent = 90')).toBeInTheDocument();
    expect(within(row).getByText('high')).toBeInTheDocument();
    await userEvent.click(within(row).getByText('Host disk usage'));
    const docs = await screen.findByTestId(
      'inspections-check-docs-host.disk-usage',
    );
    expect(
      within(docs).getByText('Free space or grow the volume.'),
    ).toBeInTheDocument();
    expect(
      within(docs).getByRole('link', { name: /KubeEye NodeDiskUsage/ }),
    ).toHaveAttribute('href', 'https://example.org/kubeeye');
    expect(docs).toHaveTextContent('runs once per run');
  });

  it('filters by category', async () => {
    renderPage('/inspections/checks', { api: catalogue() });
    await screen.findByText('Checks (2 of 2)');
    await userEvent.click(
      screen.getByRole('button', { name: 'Filter by category' }),
    );
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('host'),
    );
    await waitFor(() =>
      expect(screen.getByText('Checks (1 of 2)')).toBeInTheDocument(),
    );
    expect(
      screen.queryByText('Containers without resource limits'),
    ).not.toBeInTheDocument();
  });

  it('formats thresholds', () => {
    expect(formatThresholds({})).toBe('—');
    expect(formatThresholds({ warnDays: 30, criticalDays: 7 })).toBe(
      'warnDays = 30, criticalDays = 7',
    );
  });
});
