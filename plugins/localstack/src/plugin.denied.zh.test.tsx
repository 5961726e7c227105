import { screen } from '@testing-library/react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  kubemateReactZhHans,
  translationTestApis,
} from '@kubemate/plugin-kubemate-react';
import { fakeApi, renderPage, running } from './__testUtils__/fixtures';
import zhHans from './translations/zh-Hans';

/* The Local stack page for a user without localstack.server.read, in Simplified Chinese. */
describe('Local stack page, not allowed, in Chinese', () => {
  it('tells the user in Chinese and reads nothing', async () => {
    const api = fakeApi(async () => running);
    renderPage(
      api,
      AuthorizeResult.DENY,
      translationTestApis('zh-Hans', [zhHans, kubemateReactZhHans]) as any,
    );
    expect(await screen.findByText(/您无权查看本地环境/)).toBeInTheDocument();
    expect(
      screen.getByText(
        '您没有权限 localstack.server.read。请联系平台管理员开通权限。',
      ),
    ).toBeInTheDocument();
    expect(api.servers).not.toHaveBeenCalled();
  });
});
