import { expect, Page, test } from '@playwright/test';

/*
 * Cluster Ops tab against the real local clusters (deploy/dev): alice (team-payments owns
 * payments-api) scales its Deployment in dev-cluster and sees the new replica count; bob
 * (team-risk) sees the scale button disabled. The test restores the replica count it found.
 */

async function openClusterOps(page: Page, user: string) {
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${user}` }).click();
  await expect(
    page.getByRole('heading', { name: 'Kubemate Catalog' }),
  ).toBeVisible();
  await page.goto('/catalog/default/component/payments-api/cluster-ops');
  await expect(
    page.getByText('Workloads in dev-cluster / payments-dev'),
  ).toBeVisible();
}

const devSection = (page: Page) =>
  page.locator('[class*="MuiCard-root"]', {
    hasText: 'dev-cluster · payments-dev',
  });

async function scaleTo(page: Page, replicas: number): Promise<number> {
  const section = devSection(page);
  await section
    .getByRole('button', { name: 'Scale payments-api', exact: true })
    .click();
  const dialog = page.getByRole('dialog');
  const description = await dialog
    .getByText(/currently \d+ replica/)
    .textContent();
  const before = Number(/currently (\d+)/.exec(description ?? '')![1]);
  await dialog.getByLabel('Replicas').fill(String(replicas));
  await dialog.getByRole('button', { name: 'Scale', exact: true }).click();
  await expect(dialog).toBeHidden();
  // kwok makes the new pods Running within seconds; refresh until the table shows it.
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(
      section
        .getByRole('row', { name: /payments-api Deployment/ })
        .getByText(`${replicas}/${replicas}`),
    ).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 60_000 });
  return before;
}

test('alice scales payments-api in dev-cluster and sees the new replica count', async ({
  page,
}) => {
  await openClusterOps(page, 'alice');
  await expect(
    devSection(page)
      .getByText(/payments-api-[a-z0-9]+-[a-z0-9]+/)
      .first(),
  ).toBeVisible();
  const before = await scaleTo(page, 3);
  await page.screenshot({
    path: 'e2e/artifacts/cluster-ops-scaled.png',
  });
  if (before !== 3) await scaleTo(page, before);
});

test('alice dry-runs the YAML of payments-api and sees no change', async ({
  page,
}) => {
  await openClusterOps(page, 'alice');
  await devSection(page)
    .getByRole('button', { name: 'YAML of payments-api', exact: true })
    .click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel(/Manifest \(edit/)).toContainText(
    'kind: Deployment',
  );
  await dialog.getByRole('button', { name: 'Dry run' }).click();
  await expect(dialog.getByText(/would be unchanged/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});

test('bob sees the scale button of payments-api disabled and its YAML read-only', async ({
  page,
}) => {
  await openClusterOps(page, 'bob');
  const button = devSection(page).getByRole('button', {
    name: 'Scale payments-api',
    exact: true,
  });
  await expect(button).toBeDisabled();
  await devSection(page)
    .getByRole('button', { name: 'YAML of payments-api', exact: true })
    .click();
  await expect(
    page.getByRole('dialog').getByLabel(/Manifest \(read only\)/),
  ).toBeVisible();
  await expect(
    page.getByRole('dialog').getByRole('button', { name: 'Apply' }),
  ).toHaveCount(0);
  await page.screenshot({
    path: 'e2e/artifacts/cluster-ops-bob.png',
  });
});

test('the Clusters page in the sidebar shows both clusters with their nodes', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in as admin' }).click();
  await page.getByRole('link', { name: 'Clusters' }).click();
  for (const cluster of ['dev-cluster', 'prod-cluster']) {
    await expect(page.getByText(cluster, { exact: true })).toBeVisible();
  }
  await expect(page.getByText('dev-gpu-a1')).toBeVisible();
});
