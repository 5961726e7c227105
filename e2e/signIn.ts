import { expect, Page } from '@playwright/test';

/** Signs a demo user in through the development sign-in page and waits for the catalog. */
export async function signIn(page: Page, user: string) {
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${user}` }).click();
  await expect(
    page.getByRole('heading', { name: 'Kubemate Catalog' }),
  ).toBeVisible();
}
