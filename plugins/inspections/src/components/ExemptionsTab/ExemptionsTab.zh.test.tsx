import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { exemption, fakeApi } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';

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
          ticket: 'CHG-3',
        }),
      ],
    })),
  });

describe('ExemptionsTab in Chinese', () => {
  it('shows the register and the decision dialog in Chinese', async () => {
    const api = register();
    renderPage('/inspections/exemptions', {
      api,
      user: 'user:default/admin',
      language: 'zh-Hans',
    });
    expect(await screen.findByText('豁免（3）')).toBeInTheDocument();
    expect(screen.getAllByText('待批准').length).toBe(2);
    expect(screen.getByText('生效中')).toBeInTheDocument();
    expect(
      screen.getByTestId('inspections-own-request-e-admin'),
    ).toHaveTextContent('这是您自己的申请：必须由其他人批准');
    expect(screen.getAllByText('过期时间').length).toBeGreaterThan(0);
    expect(
      screen.getByRole('button', { name: '按状态筛选' }),
    ).toBeInTheDocument();
    for (const english of ['Exemptions (3)', 'pending', 'active', 'Expires']) {
      expect(screen.queryByText(english)).not.toBeInTheDocument();
    }

    const revoke = screen.getByTestId('inspections-revoke-e-active');
    expect(revoke).toHaveTextContent('撤销');
    expect(revoke).toHaveAccessibleName(
      '撤销 dev-cluster/payments-dev/Deployment/payments-api (app) 的豁免',
    );
    const approve = screen.getByTestId('inspections-approve-e-alice');
    await waitFor(() => expect(approve).toBeEnabled());
    await userEvent.click(approve);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('批准豁免')).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'application.missing-limits，对象 dev-cluster/payments-dev/Deployment/payments-api (app)（CHG-1234）：Load test pending before we size the limits',
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByTestId('inspections-decision-submit'),
    );
    expect(
      await screen.findByText(
        '已批准 dev-cluster/payments-dev/Deployment/payments-api (app) 的豁免。',
      ),
    ).toBeInTheDocument();
  });
});
