import { screen, waitFor } from '@testing-library/react';
import { fakeApi } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';

/* The page's tabs in Simplified Chinese: headings, columns, states, empty states. */
describe('FinetuningPage in zh-Hans', () => {
  it('shows the jobs tab in Chinese', async () => {
    await renderPage('/finetuning', { api: fakeApi(), language: 'zh-Hans' });
    expect(await screen.findByText('训练任务（1）')).toBeInTheDocument();
    expect(screen.getByText('微调')).toBeInTheDocument();
    expect(screen.getByText('超参数搜索')).toBeInTheDocument();
    expect(
      screen.getByText('勾选 2 到 10 个运行，对比它们的监控指标和参数。'),
    ).toBeInTheDocument();
    expect(
      screen.getByTestId('ft-job-payments-dev-lora-smollm2-a-state'),
    ).toHaveTextContent('排队中');
    expect(
      screen.getByTestId('ft-job-payments-dev-lora-smollm2-a-position'),
    ).toHaveTextContent('在 team-payments 中排第 2 位');
    expect(
      screen.getByTestId('ft-job-payments-dev-lora-smollm2-a-demo'),
    ).toHaveTextContent('演示数据 — 模拟训练');
    expect(screen.getByText('基础模型')).toBeInTheDocument();
    expect(screen.getByText('2 个 GPU')).toBeInTheDocument();
    expect(screen.queryByText('Base model')).not.toBeInTheDocument();
    expect(screen.queryByText(/Tick 2 to 10 runs/)).not.toBeInTheDocument();
    expect(screen.queryByText('Queued')).not.toBeInTheDocument();
  });

  it('shows an empty jobs tab in Chinese', async () => {
    const api = fakeApi({ jobs: jest.fn(async () => ({ items: [] })) });
    await renderPage('/finetuning', { api, language: 'zh-Hans' });
    expect(await screen.findByText('没有微调训练任务')).toBeInTheDocument();
    expect(screen.getByText('启动训练任务')).toBeInTheDocument();
    expect(screen.queryByText('No fine-tuning jobs')).not.toBeInTheDocument();
  });

  it('shows the datasets tab and the upload form in Chinese', async () => {
    await renderPage('/finetuning/datasets', {
      api: fakeApi(),
      language: 'zh-Hans',
    });
    expect(await screen.findByText('数据集（1）')).toBeInTheDocument();
    expect(await screen.findByText('上传数据集')).toBeInTheDocument();
    expect(screen.getByText('选择文件')).toBeInTheDocument();
    expect(screen.getByText('预览')).toBeInTheDocument();
    expect(screen.getByText('行数')).toBeInTheDocument();
    expect(screen.queryByText('Upload a dataset')).not.toBeInTheDocument();
    expect(screen.queryByText('Preview')).not.toBeInTheDocument();
  });

  it('shows the sweeps tab and a sweep in Chinese', async () => {
    await renderPage('/finetuning/sweeps', {
      api: fakeApi(),
      language: 'zh-Hans',
    });
    expect(await screen.findByText('超参数搜索（1）')).toBeInTheDocument();
    expect(screen.getByText('策略')).toBeInTheDocument();
    expect(screen.queryByText('Strategy')).not.toBeInTheDocument();
  });

  it('shows a sweep with its best trial in Chinese', async () => {
    await renderPage('/finetuning/sweeps/sweep-1', {
      api: fakeApi(),
      language: 'zh-Hans',
    });
    expect(await screen.findByText('对比试验')).toBeInTheDocument();
    expect(screen.getByTestId('ft-best-trial')).toHaveTextContent('最佳');
    expect(screen.queryByText('Compare trials')).not.toBeInTheDocument();
  });

  it('shows the compare and models tabs in Chinese', async () => {
    await renderPage('/finetuning/compare', {
      api: fakeApi(),
      language: 'zh-Hans',
    });
    expect(await screen.findByText('选择要对比的运行')).toBeInTheDocument();
    expect(screen.queryByText('Pick runs to compare')).not.toBeInTheDocument();
  });

  it('shows the comparison of two runs in Chinese', async () => {
    await renderPage('/finetuning/compare?ids=job-1,job-2', {
      api: fakeApi(),
      language: 'zh-Hans',
    });
    expect(await screen.findByText('最终监控指标')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId('ft-param-rank')).toHaveTextContent(
        'rank（不同）',
      ),
    );
    expect(screen.queryByText('Final metrics')).not.toBeInTheDocument();
  });

  it('shows the empty models tab in Chinese', async () => {
    await renderPage('/finetuning/models', {
      api: fakeApi(),
      language: 'zh-Hans',
    });
    expect(await screen.findByText('没有已部署的模型')).toBeInTheDocument();
    expect(screen.queryByText('No served models')).not.toBeInTheDocument();
  });
});
