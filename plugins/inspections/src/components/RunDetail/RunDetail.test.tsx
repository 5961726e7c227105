import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  details,
  exemption,
  fakeApi,
  finding,
  summary,
} from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';
import { endOfDay, exemptionProblems } from '../ExemptionRequestDialog';
import { englishT } from '../../__testUtils__/i18n';

describe('RunDetail', () => {
  it('shows the header, scores, findings by category with evidence and remediation, and errored checks', async () => {
    const api = fakeApi();
    renderPage('/inspections/runs/r2', { api });
    expect(
      await screen.findByTestId('inspection-run-status'),
    ).toHaveTextContent('succeeded');
    expect(api.run).toHaveBeenCalledWith('r2');
    expect(
      screen.getByText(
        /Coverage: 60 of 60 check executions, 1 errored, 2 skipped/,
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('inspections-score-Cluster')).getByText('65.0'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('inspections-score-dev-cluster')).getByText(
        '61.0',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Application (1)')).toBeInTheDocument();

    const row = screen.getByTestId('inspections-finding-fp-limits');
    expect(
      within(row).getByText(
        'dev-cluster/payments-dev/Deployment/payments-api (app)',
      ),
    ).toBeInTheDocument();
    expect(
      within(row).getByRole('link', { name: 'payments-api' }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-api');
    await userEvent.click(
      within(row).getByRole('button', {
        name: 'Show evidence of dev-cluster/payments-dev/Deployment/payments-api (app)',
      }),
    );
    const evidence = await screen.findByTestId(
      'inspections-evidence-fp-limits',
    );
    expect(evidence).toHaveTextContent(
      'Measured: no limits · Expected: limits.cpu and limits.memory set',
    );
    expect(
      within(evidence).getByText(
        'GET /apis/apps/v1/namespaces/payments-dev/deployments/payments-api',
      ),
    ).toBeInTheDocument();
    // the remediation of the check, from the catalogue, as markdown
    expect(within(evidence).getByText('resources.limits').tagName).toBe('CODE');

    const problems = screen.getByTestId('inspections-check-problems');
    expect(
      within(problems).getByText(
        'etcd http://127.0.0.1:2479 is unavailable: connect ECONNREFUSED',
      ),
    ).toBeInTheDocument();
    expect(within(problems).getByText('prod-cluster')).toBeInTheDocument();
    expect(
      screen.queryByTestId('inspections-hidden-findings'),
    ).not.toBeInTheDocument();
  });

  it('says how many findings are outside the user namespaces, and greys exempted findings with their exemption', async () => {
    const api = fakeApi({
      run: jest.fn(async () =>
        details({
          hiddenFindings: 7,
          findings: [
            finding(),
            finding({
              fingerprint: 'fp-root',
              status: 'exempted',
              exemptionId: 'e9',
              category: 'security',
              severity: 'high',
              message: 'Container runs as root',
            }),
          ],
        }),
      ),
      exemptions: jest.fn(async () => ({
        exemptions: [
          exemption({
            id: 'e9',
            status: 'active',
            decidedBy: 'user:default/admin2',
            ticket: 'RISK-9',
          }),
        ],
      })),
    });
    renderPage('/inspections/runs/r2', { api });
    expect(
      await screen.findByTestId('inspections-hidden-findings'),
    ).toHaveTextContent('7 findings are outside your namespaces');
    const row = screen.getByTestId('inspections-finding-fp-root');
    expect(row).toHaveAttribute('data-status', 'exempted');
    expect(row).toHaveStyle({ opacity: '0.55' });
    expect(
      within(row).queryByTestId('inspections-request-exemption'),
    ).not.toBeInTheDocument();
    await waitFor(() => expect(api.exemptions).toHaveBeenCalledWith('active'));
    await userEvent.click(
      within(row).getByRole('button', { name: /Show evidence/ }),
    );
    expect(
      await screen.findByTestId('inspections-evidence-fp-root'),
    ).toHaveTextContent(/RISK-9.*approved by admin2/);
  });

  it('validates an exemption request and sends it for the finding', async () => {
    const api = fakeApi();
    renderPage('/inspections/runs/r2', { api });
    const button = await screen.findByRole('button', {
      name: 'Request exemption for dev-cluster/payments-dev/Deployment/payments-api (app)',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    const expires = within(dialog).getByLabelText(
      /Expires on/,
    ) as HTMLInputElement;
    // mandatory expiry, by default in 30 days
    const in30 = Date.parse(endOfDay(expires.value)!) - Date.now();
    expect(in30).toBeGreaterThan(29 * 86_400_000);
    expect(in30).toBeLessThan(31 * 86_400_000);

    await userEvent.click(
      within(dialog).getByTestId('inspections-exemption-submit'),
    );
    expect(
      within(dialog).getByText(
        'Say why this finding is accepted (at least 10 characters)',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'A change or risk ticket is required (e.g. CHG-1234)',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByTestId('inspections-exemption-submit'),
    ).toBeDisabled();
    expect(api.requestExemption).not.toHaveBeenCalled();

    await userEvent.type(
      within(dialog).getByLabelText(/Reason/),
      'Load test pending before sizing',
    );
    await userEvent.type(within(dialog).getByLabelText(/Ticket/), 'CHG-1234');
    await userEvent.clear(expires);
    expect(
      within(dialog).getByText('An expiry date is required'),
    ).toBeInTheDocument();
    await userEvent.type(expires, '2099-06-30');
    await userEvent.click(
      within(dialog).getByTestId('inspections-exemption-submit'),
    );
    await waitFor(() =>
      expect(api.requestExemption).toHaveBeenCalledWith({
        runId: 'r2',
        fingerprint: 'fp-limits',
        reason: 'Load test pending before sizing',
        ticket: 'CHG-1234',
        expiresAt: endOfDay('2099-06-30'),
      }),
    );
    expect(
      await screen.findByText(/Exemption requested for dev-cluster/),
    ).toBeInTheDocument();
  });

  it('shows the backend refusing an exemption in the dialog', async () => {
    const api = fakeApi({
      requestExemption: jest.fn(async () => {
        throw new Error('expiresAt: at most 90 days ahead');
      }),
    });
    renderPage('/inspections/runs/r2', { api });
    const button = await screen.findByTestId('inspections-request-exemption');
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText(/Reason/),
      'Load test pending before sizing',
    );
    await userEvent.type(within(dialog).getByLabelText(/Ticket/), 'CHG-1234');
    await userEvent.click(
      within(dialog).getByTestId('inspections-exemption-submit'),
    );
    expect(
      await within(dialog).findByText('expiresAt: at most 90 days ahead'),
    ).toBeInTheDocument();
  });

  it('checks inspections.exemption.create on the finding object', async () => {
    const asked: string[] = [];
    renderPage('/inspections/runs/r2', {
      api: fakeApi(),
      authorize: r => {
        if (r.permission.name === 'inspections.exemption.create') {
          asked.push((r as { resourceRef?: string }).resourceRef ?? '');
          return AuthorizeResult.DENY;
        }
        return AuthorizeResult.ALLOW;
      },
    });
    const button = await screen.findByTestId('inspections-request-exemption');
    await waitFor(() => expect(button).toBeDisabled());
    expect(asked).toContain(
      'dev-cluster/payments-dev/deployments/payments-api',
    );
  });

  it('re-reads a running run every 3 s until it has finished, then offers Compare with previous', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    try {
      let reads = 0;
      const api = fakeApi({
        run: jest.fn(async () => {
          reads++;
          return reads < 2
            ? details({
                status: 'running',
                finishedAt: undefined,
                scores: undefined,
                coverage: { planned: 60, executed: 20, errors: 0, skipped: 0 },
              })
            : details();
        }),
      });
      renderPage('/inspections/runs/r2', { api });
      const status = await screen.findByTestId('inspection-run-status');
      expect(status).toHaveTextContent('running…');
      expect(
        screen.getByRole('progressbar', { name: 'Run progress' }),
      ).toHaveAttribute('aria-valuenow', '33');
      expect(screen.getByTestId('inspections-compare-previous')).toBeDisabled();
      await act(async () => {
        jest.advanceTimersByTime(3000);
      });
      await waitFor(() =>
        expect(screen.getByTestId('inspection-run-status')).toHaveTextContent(
          'succeeded',
        ),
      );
      expect(api.run).toHaveBeenCalledTimes(2);
      const compare = screen.getByTestId('inspections-compare-previous');
      await waitFor(() => expect(compare).toBeEnabled());
      await userEvent.click(compare);
      await waitFor(() => expect(api.diff).toHaveBeenCalledWith('r1', 'r2'));
      // finished: no more reads
      await act(async () => {
        jest.advanceTimersByTime(10_000);
      });
      expect(api.run).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('explains why there is nothing to compare with', async () => {
    const api = fakeApi({
      runs: jest.fn(async () => ({ runs: [summary()], total: 1 })),
    });
    renderPage('/inspections/runs/r2', { api });
    const compare = await screen.findByTestId('inspections-compare-previous');
    await waitFor(() =>
      expect(compare.parentElement).toHaveAttribute(
        'title',
        'There is no earlier finished run',
      ),
    );
    expect(compare).toBeDisabled();
  });
});

describe('exemptionProblems', () => {
  it('requires a reason, a ticket without spaces and a future expiry', () => {
    const now = new Date('2026-12-01T12:00:00');
    const { t } = englishT;
    expect(
      exemptionProblems(
        t,
        { reason: 'short', ticket: 'CHG 1', expires: '2026-11-30' },
        now,
      ),
    ).toEqual({
      reason: 'Say why this finding is accepted (at least 10 characters)',
      ticket: 'A ticket id has no spaces',
      expires: 'The expiry must be in the future',
    });
    expect(
      exemptionProblems(
        t,
        {
          reason: 'Accepted until the migration',
          ticket: 'CHG-1',
          expires: '2026-12-01',
        },
        now,
      ),
    ).toEqual({ reason: '', ticket: '', expires: '' });
  });
});
