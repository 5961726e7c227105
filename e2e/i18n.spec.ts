import { expect, test } from '@playwright/test';

/*
 * The portal in Simplified Chinese: a user whose stored language is zh-Hans (Settings →
 * Language; the browser's language on a first visit) signs in on the Chinese sign-in page,
 * sees the Chinese sidebar, catalog and entity tabs, and a Kubemate plugin tab (Cluster Ops,
 * against the real local clusters) in Chinese; switching back to English changes the same page.
 */

test('alice uses the portal in Simplified Chinese, then switches back to English', async ({
  page,
}) => {
  await page.addInitScript(() => {
    // only on the first load: the test switches the language itself later
    if (!window.sessionStorage.getItem('kubemate-e2e-language-set')) {
      window.sessionStorage.setItem('kubemate-e2e-language-set', '1');
      window.localStorage.setItem('language', 'zh-Hans');
    }
  });

  await page.goto('/');
  await expect(page.getByText('选择一个演示用户')).toBeVisible();
  await page.getByRole('button', { name: '以 alice 身份登录' }).click();
  await expect(
    page.getByRole('heading', { name: 'Kubemate 服务目录' }),
  ).toBeVisible();
  // the sidebar's links (the page's breadcrumbs name the catalog too)
  const sidebar = page.getByTestId('sidebar-root');
  await expect(
    sidebar.getByRole('link', { name: '服务目录', exact: true }),
  ).toBeVisible();
  await expect(
    sidebar.getByRole('link', { name: '集群', exact: true }),
  ).toBeVisible();

  await page.goto('/catalog/default/component/payments-api/cluster-ops');
  await expect(
    page.getByRole('link', { name: '集群运维', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByText('dev-cluster / payments-dev 中的工作负载'),
  ).toBeVisible();
  await page.screenshot({
    path: 'e2e/artifacts/zh-hans-cluster-ops.png',
    fullPage: true,
  });

  await page.evaluate(() => window.localStorage.setItem('language', 'en'));
  await page.reload();
  await expect(
    page.getByText('Workloads in dev-cluster / payments-dev'),
  ).toBeVisible();
  await expect(
    page
      .getByTestId('sidebar-root')
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
});
