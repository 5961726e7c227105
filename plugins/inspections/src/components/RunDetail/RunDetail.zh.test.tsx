import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { details, fakeApi, finding } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';

describe('RunDetail in Chinese', () => {
  it('shows the report in Chinese, backend texts as sent', async () => {
    const api = fakeApi({
      run: jest.fn(async () =>
        details({ hiddenFindings: 3, findings: [finding()] }),
      ),
    });
    renderPage('/inspections/runs/r2', { api, language: 'zh-Hans' });
    expect(
      await screen.findByTestId('inspection-run-status'),
    ).toHaveTextContent('成功');
    expect(
      screen.getByText(
        /覆盖率：已执行 60 \/ 60 次检查，1 次出错，2 次跳过 · 耗时/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/^由 admin 发起 · /)).toBeInTheDocument();
    expect(screen.getByText('按类别评分')).toBeInTheDocument();
    expect(screen.getByText('按集群评分')).toBeInTheDocument();
    expect(screen.getByTestId('inspections-score-集群')).toBeInTheDocument();
    expect(screen.getByText('应用（1）')).toBeInTheDocument();
    expect(screen.getByTestId('inspections-hidden-findings')).toHaveTextContent(
      '有 3 个问题项不在您的命名空间内，未显示。',
    );
    expect(screen.getByText('出错或被跳过的检查项（1）')).toBeInTheDocument();
    // the check's title and the finding's message come from the backend
    const row = screen.getByTestId('inspections-finding-fp-limits');
    expect(
      within(row).getByText(
        'Container app of payments-api has no memory limit',
      ),
    ).toBeInTheDocument();
    expect(within(row).getByText('中')).toBeInTheDocument();
    await userEvent.click(
      within(row).getByRole('button', {
        name: '显示 dev-cluster/payments-dev/Deployment/payments-api (app) 的证据',
      }),
    );
    const evidence = await screen.findByTestId(
      'inspections-evidence-fp-limits',
    );
    expect(evidence).toHaveTextContent(
      '实测值： no limits · 期望值： limits.cpu and limits.memory set',
    );
    expect(within(evidence).getByText('修复建议')).toBeInTheDocument();
    for (const english of [
      'Scores by category',
      'Application (1)',
      'Evidence',
      'Remediation',
      'Compare with previous',
      'Export',
    ]) {
      expect(screen.queryByText(english)).not.toBeInTheDocument();
    }
    expect(
      screen.getByTestId('inspections-compare-previous'),
    ).toHaveTextContent('与上一次对比');
  });

  it('validates an exemption request in Chinese', async () => {
    const api = fakeApi();
    renderPage('/inspections/runs/r2', { api, language: 'zh-Hans' });
    const button = await screen.findByRole('button', {
      name: '为 dev-cluster/payments-dev/Deployment/payments-api (app) 申请豁免',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByRole('heading', { name: '申请豁免' }),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/过期日期/)).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByTestId('inspections-exemption-submit'),
    );
    expect(
      within(dialog).getByText('请说明为何接受该问题项（至少 10 个字符）'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('必须填写变更或风险工单（例如 CHG-1234）'),
    ).toBeInTheDocument();
    expect(
      within(dialog).queryByText('Request an exemption'),
    ).not.toBeInTheDocument();
    await userEvent.type(
      within(dialog).getByLabelText(/原因/),
      'Load test pending before sizing',
    );
    await userEvent.type(within(dialog).getByLabelText(/工单/), 'CHG-1234');
    await userEvent.click(
      within(dialog).getByTestId('inspections-exemption-submit'),
    );
    expect(
      await screen.findByText(
        '已为 dev-cluster/payments-dev/Deployment/payments-api (app) 申请豁免：需另一位审批人批准后才生效（见“豁免”标签页）。',
      ),
    ).toBeInTheDocument();
  });
});
