import { expect, test } from '@playwright/test';

test('alice signs in, sees the demo components and opens payments-api', async ({
  page,
}) => {
  await page.goto('/');

  await expect(page.getByText('Choose a demo user')).toBeVisible();
  await page.getByRole('button', { name: 'Sign in as alice' }).click();

  // The catalog is the landing page; the demo system's three components are listed.
  const table = page.getByRole('table');
  for (const name of ['payments-api', 'risk-engine', 'docs-assistant']) {
    await expect(table.getByRole('link', { name, exact: true })).toBeVisible();
  }

  await table.getByRole('link', { name: 'payments-api', exact: true }).click();
  await expect(page).toHaveURL(/\/catalog\/default\/component\/payments-api/);
  await expect(
    page.getByRole('heading', { name: /payments-api|Payments API/ }).first(),
  ).toBeVisible();
  await expect(page.getByText('team-payments').first()).toBeVisible();

  await page.screenshot({
    path: 'e2e/artifacts/payments-api.png',
    fullPage: true,
  });
});

test('the sign-in page refuses nobody silently: a user switch shows the picker again', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in as bob' }).click();
  await expect(page.getByRole('table')).toBeVisible();
  await page.goto('/settings');
  await expect(page.getByText('bob').first()).toBeVisible();
  await page.getByTestId('user-settings-menu').click();
  await page.getByRole('menuitem', { name: 'Sign Out' }).click();
  await expect(page.getByText('Choose a demo user')).toBeVisible();
});
