import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { dataset, fakeApi, options } from '../../__testUtils__/fixtures';
import { renderWith } from '../../__testUtils__/render';
import { LaunchForm } from './LaunchForm';

const input = (field: string) => screen.getByTestId(`ft-launch-${field}`);

describe('LaunchForm in zh-Hans', () => {
  it('shows the form, the estimate and the validation messages in Chinese', async () => {
    await renderWith(
      <LaunchForm options={options()} datasets={[dataset()]} />,
      { api: fakeApi(), language: 'zh-Hans' },
    );
    expect(screen.getByText('启动 LoRA 微调训练任务')).toBeInTheDocument();
    expect(screen.getByText('超参数')).toBeInTheDocument();
    expect(screen.getAllByText('LoRA 秩（r）').length).toBeGreaterThan(0);
    expect(screen.getByTestId('ft-estimate-gpu-hours')).toHaveTextContent(
      '1.37 GPU 小时',
    );
    expect(screen.getByTestId('ft-estimate-hours')).toHaveTextContent(
      '41 分钟',
    );
    expect(screen.getByTestId('ft-launch-estimate')).toHaveTextContent(
      /^估算：在 2 个 GPU 上需要 1.37 GPU 小时，实际耗时约 41 分钟，费用 1.37 USD。/,
    );
    expect(screen.getByTestId('ft-launch-submit')).toHaveTextContent(
      '启动训练任务',
    );
    expect(screen.queryByText('Hyperparameters')).not.toBeInTheDocument();
    expect(screen.queryByText(/Estimate/)).not.toBeInTheDocument();

    await userEvent.clear(input('rank'));
    await userEvent.type(input('rank'), '0');
    expect(screen.getByText('必须至少为 1')).toBeInTheDocument();

    await userEvent.click(screen.getByTestId('ft-launch-mode-sweep'));
    expect(
      screen.getByText('超参数（勾选要搜索的超参数）'),
    ).toBeInTheDocument();
    expect(screen.getByText('网格（所有组合）')).toBeInTheDocument();
    expect(screen.getByText('搜索lora 秩（r）')).toBeInTheDocument();
  });
});
