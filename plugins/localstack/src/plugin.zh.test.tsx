import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  kubemateReactZhHans,
  translationTestApis,
} from '@kubemate/plugin-kubemate-react';
import { fakeApi, renderPage, running } from './__testUtils__/fixtures';
import zhHans from './translations/zh-Hans';

/* The Local stack page and its log dialog in Simplified Chinese. */

const zh = () =>
  translationTestApis('zh-Hans', [zhHans, kubemateReactZhHans]) as any;

describe('Local stack page in Chinese', () => {
  it('lists the servers with Chinese states, sentences and summary', async () => {
    renderPage(
      fakeApi(async () => running),
      AuthorizeResult.ALLOW,
      zh(),
    );
    expect(await screen.findByTestId('localstack-summary')).toHaveTextContent(
      '4 个服务器中 1 个已运行，1 个失败 — 大约还需 14 分钟',
    );
    expect(screen.getByText('本地环境')).toBeInTheDocument();
    expect(
      screen.getByText('Loki 仍在构建 — 大约还需 6 分钟'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Jaeger 构建失败：go build exited 1'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Thanos Query 正在等待（大约还需 14 分钟）'),
    ).toBeInTheDocument();
    expect(screen.getByText('Kubernetes API 已运行')).toBeInTheDocument();
    expect(screen.getByTestId('state-building')).toHaveTextContent('构建中');
    expect(
      screen.getByText('stack.sh 正在运行 — 每 3 秒刷新一次'),
    ).toBeInTheDocument();
    expect(screen.getByText('服务器（4）')).toBeInTheDocument();
    for (const english of [
      'Servers (4)',
      'Server',
      'State',
      'Since',
      'building',
      'Kubernetes API is up',
      'stack.sh is working — refreshing every 3 s',
    ]) {
      expect(screen.queryByText(english)).not.toBeInTheDocument();
    }
  });

  it("opens a server's log in a Chinese dialog", async () => {
    renderPage(
      fakeApi(async () => ({ ...running, running: false })),
      AuthorizeResult.ALLOW,
      zh(),
    );
    expect(
      await screen.findByText('stack.sh 停止时，Loki 处于“构建中”状态'),
    ).toBeInTheDocument();
    expect(screen.getByText('stack.sh 未在运行')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Loki 的日志' }));
    const dialog = await screen.findByRole('dialog', { name: 'Loki 的日志' });
    expect(await within(dialog).findByTestId('log-text')).toHaveTextContent(
      'built loki',
    );
    expect(within(dialog).getByRole('button', { name: '刷新' })).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: '关闭' })).toBeTruthy();
    expect(within(dialog).queryByText('Close')).not.toBeInTheDocument();
  });

  it('says in Chinese when this portal has no local stack', async () => {
    renderPage(
      fakeApi(async () => ({ configured: false })),
      AuthorizeResult.ALLOW,
      zh(),
    );
    expect(await screen.findByText('此门户没有本地环境')).toBeInTheDocument();
  });

  it('says in Chinese when the stack has not been started', async () => {
    renderPage(
      fakeApi(async () => ({ configured: true, running: false, servers: [] })),
      AuthorizeResult.ALLOW,
      zh(),
    );
    expect(await screen.findByText('本地环境尚未启动')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '刷新' })).toBeInTheDocument();
  });
});
