import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { details, fakeApi, job } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';

const PATH = '/finetuning/jobs/job-1';

describe('JobDetailsPage in zh-Hans', () => {
  it('shows the job, its queue, curves and the cancel dialog in Chinese', async () => {
    const api = fakeApi();
    await renderPage(PATH, { api, language: 'zh-Hans' });
    expect(await screen.findByText('队列（Kueue）')).toBeInTheDocument();
    expect(screen.getByTestId('ft-job-state')).toHaveTextContent('排队中');
    expect(screen.getByText('Kueue 的信息')).toBeInTheDocument();
    expect(
      await screen.findByRole('img', { name: '损失：2 条曲线，2 个步骤' }),
    ).toBeInTheDocument();
    expect(screen.getByText('训练曲线（MLflow）')).toBeInTheDocument();
    expect(screen.getByText('基础模型')).toBeInTheDocument();
    expect(screen.getByText('事件')).toBeInTheDocument();
    expect(screen.queryByText('Queue (Kueue)')).not.toBeInTheDocument();
    expect(screen.queryByText('Events')).not.toBeInTheDocument();

    await waitFor(() => expect(screen.getByTestId('ft-cancel')).toBeEnabled());
    expect(screen.getByTestId('ft-cancel')).toHaveTextContent('取消');
    await userEvent.click(screen.getByTestId('ft-cancel'));
    expect(
      await screen.findByText('取消 lora-smollm2-a？'),
    ).toBeInTheDocument();
    expect(screen.getByText('保留')).toBeInTheDocument();
    expect(screen.getByTestId('ft-cancel-confirm')).toHaveTextContent(
      '取消训练任务',
    );
    expect(screen.queryByText('Keep')).not.toBeInTheDocument();
  });

  it('serves the adapter through the dialog in Chinese', async () => {
    const done = job({
      state: 'Succeeded',
      queue: undefined,
      adapter: {
        uri: 's3://kubemate-finetuning/adapters/dev-cluster/payments-dev/lora-smollm2-a-job1/',
        available: true,
        untrained: true,
      },
    });
    const api = fakeApi({
      job: jest.fn(async () => details({ job: done })),
      serve: jest.fn(async () => ({
        name: 'ft-payments-dev-lora-smollm2-a',
        baseModel: 'smollm2-135m-instruct',
        ollamaBase: 'smollm2-135m',
        adapterUri: done.adapter!.uri,
        jobId: 'job-1',
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        untrained: true,
        createdBy: 'user:default/alice',
        createdAt: '2026-12-01T12:00:00Z',
      })),
    });
    await renderPage(PATH, { api, language: 'zh-Hans' });
    await waitFor(() => expect(screen.getByTestId('ft-serve')).toBeEnabled());
    await userEvent.click(screen.getByTestId('ft-serve'));
    expect(
      await screen.findByText('部署 lora-smollm2-a 的适配器'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('模型名称')[0]).toBeInTheDocument();
    expect(screen.getByText('关闭')).toBeInTheDocument();
    expect(screen.queryByText('Model name')).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId('ft-serve-submit'));
    expect(await screen.findByTestId('ft-serve-notice')).toHaveTextContent(
      '已用 smollm2-135m 和适配器（未训练）创建 Ollama 模型 ft-payments-dev-lora-smollm2-a。它会出现在知识助手的模型选择器中。',
    );
  });
});
