import { expect, Page, test } from '@playwright/test';

const DEMO_COMPONENTS = ['Payments API', 'Risk engine', 'Docs assistant'];

async function signInAs(page: Page, user: string) {
  await page.goto('/');
  await expect(page.getByText('Choose a demo user')).toBeVisible();
  await page.getByRole('button', { name: `Sign in as ${user}` }).click();
  await expect(
    page.getByRole('heading', { name: 'Kubemate Catalog' }),
  ).toBeVisible();
}

test('alice signs in, sees the demo components and opens payments-api', async ({
  page,
}) => {
  await signInAs(page, 'alice');

  // Her own team's component is listed under "Owned" ...
  await expect(page.getByRole('link', { name: 'Payments API' })).toBeVisible();

  // ... and all three demo components under "All".
  await page.goto('/?filters[kind]=component&filters[user]=all');
  for (const title of DEMO_COMPONENTS) {
    await expect(
      page.getByRole('link', { name: title, exact: true }),
    ).toBeVisible();
  }

  await page.getByRole('link', { name: 'Payments API', exact: true }).click();
  await expect(page).toHaveURL(/\/catalog\/default\/component\/payments-api/);
  await expect(
    page.getByRole('heading', { name: 'Payments API' }).first(),
  ).toBeVisible();
  await expect(page.getByText('Team Payments').first()).toBeVisible();

  await page.screenshot({
    path: 'e2e/artifacts/payments-api.png',
    fullPage: true,
  });

  // The upstream Kubernetes tab reads the local real clusters (deploy/dev): payments-api runs in both.
  await page.getByRole('link', { name: 'Kubernetes', exact: true }).click();
  await expect(
    page.getByRole('heading', { name: 'Your Clusters' }),
  ).toBeVisible();
  for (const cluster of ['dev-cluster', 'prod-cluster']) {
    await expect(
      page.getByText(cluster, { exact: true }).first(),
    ).toBeVisible();
  }
  await page.screenshot({
    path: 'e2e/artifacts/payments-api-kubernetes.png',
    fullPage: true,
  });
});

test('signing out shows the user picker again, so another demo user can sign in', async ({
  page,
}) => {
  await signInAs(page, 'bob');
  await page.goto('/settings');
  await expect(page.getByText('bob').first()).toBeVisible();
  await page.getByTestId('user-settings-menu').click();
  await page.getByRole('menuitem', { name: 'Sign Out' }).click();
  await expect(page.getByText('Choose a demo user')).toBeVisible();
});
