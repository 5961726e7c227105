import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { exemption, fakeApi } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';
import { expiresIn } from '../../lib/format';
import { chineseT, englishT } from '../../__testUtils__/i18n';

const register = () =>
  fakeApi({
    exemptions: jest.fn(async () => ({
      exemptions: [
        exemption({ id: 'e-alice', requestedBy: 'user:default/alice' }),
        exemption({
          id: 'e-admin',
          requestedBy: 'user:default/admin',
          ticket: 'CHG-2',
        }),
        exemption({
          id: 'e-active',
          status: 'active',
          decidedBy: 'user:default/admin2',
          decisionComment: 'ok until the load test',
          ticket: 'CHG-3',
        }),
      ],
    })),
  });

describe('ExemptionsTab', () => {
  it('lists the register and never offers Approve on your own request (saying why)', async () => {
    const api = register();
    renderPage('/inspections/exemptions', { api, user: 'user:default/admin' });
    expect(await screen.findByText('Exemptions (3)')).toBeInTheDocument();
    expect(
      await screen.findByTestId('inspections-approve-e-alice'),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('inspections-approve-e-admin'),
    ).not.toBeInTheDocument();
    expect(
      screen.getByTestId('inspections-own-request-e-admin'),
    ).toHaveTextContent('Your own request: someone else must approve it');
    expect(
      screen.getByTestId('inspections-reject-e-admin'),
    ).toBeInTheDocument();
    expect(
      screen.getByTestId('inspections-revoke-e-active'),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('inspections-approve-e-active'),
    ).not.toBeInTheDocument();
    expect(screen.getByText('“ok until the load test”')).toBeInTheDocument();
  });

  it('approves with an optional comment and reloads', async () => {
    const api = register();
    renderPage('/inspections/exemptions', { api, user: 'user:default/admin' });
    const approve = await screen.findByTestId('inspections-approve-e-alice');
    await waitFor(() => expect(approve).toBeEnabled());
    await userEvent.click(approve);
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByTestId('inspections-decision-submit'),
    );
    await waitFor(() =>
      expect(api.decideExemption).toHaveBeenCalledWith(
        'e-alice',
        'approve',
        {},
      ),
    );
    expect(await screen.findByText(/approved\.$/)).toBeInTheDocument();
    expect(api.exemptions).toHaveBeenCalledTimes(2);
  });

  it('requires a comment to revoke, and shows a refusal', async () => {
    const api = register();
    api.decideExemption = jest.fn(async () => {
      throw new Error('user:default/bob may not revoke exemptions');
    });
    renderPage('/inspections/exemptions', { api, user: 'user:default/admin' });
    const revoke = await screen.findByTestId('inspections-revoke-e-active');
    await waitFor(() => expect(revoke).toBeEnabled());
    await userEvent.click(revoke);
    const dialog = await screen.findByRole('dialog');
    const submit = within(dialog).getByTestId('inspections-decision-submit');
    expect(submit).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText(/Comment/),
      'fixed in 1.5.0',
    );
    await userEvent.click(submit);
    expect(api.decideExemption).toHaveBeenCalledWith('e-active', 'revoke', {
      comment: 'fixed in 1.5.0',
    });
    expect(
      await within(dialog).findByText(
        'user:default/bob may not revoke exemptions',
      ),
    ).toBeInTheDocument();
  });

  it('disables the decisions without inspections.exemption.approve', async () => {
    renderPage('/inspections/exemptions', {
      api: register(),
      user: 'user:default/bob',
      authorize: r =>
        r.permission.name === 'inspections.exemption.approve'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    const approve = await screen.findByTestId('inspections-approve-e-alice');
    await waitFor(() => expect(approve).toBeDisabled());
    expect(screen.getByTestId('inspections-revoke-e-active')).toBeDisabled();
  });

  it('filters by status through the backend', async () => {
    const api = register();
    renderPage('/inspections/exemptions', { api });
    await screen.findByText('Exemptions (3)');
    await userEvent.click(
      screen.getByRole('button', { name: 'Filter by status' }),
    );
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('pending'),
    );
    await waitFor(() =>
      expect(api.exemptions).toHaveBeenLastCalledWith('pending'),
    );
  });
});

describe('expiresIn', () => {
  it('counts whole days left', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    const { t } = englishT;
    expect(expiresIn(t, '2026-12-04T13:00:00Z', now)).toBe('expires in 3 days');
    expect(expiresIn(t, '2026-12-02T13:00:00Z', now)).toBe('expires in 1 day');
    expect(expiresIn(t, '2026-12-01T18:00:00Z', now)).toBe('expires today');
    expect(expiresIn(t, '2026-11-29T11:00:00Z', now)).toBe(
      'expired 2 days ago',
    );
  });

  it('says it in Chinese', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    const { t } = chineseT;
    expect(expiresIn(t, '2026-12-04T13:00:00Z', now)).toBe('3 天后过期');
    expect(expiresIn(t, '2026-12-01T18:00:00Z', now)).toBe('今天过期');
    expect(expiresIn(t, '2026-11-29T11:00:00Z', now)).toBe('已过期 2 天');
  });
});
