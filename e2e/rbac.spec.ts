import { Browser, expect, Page, test } from '@playwright/test';

/*
 * RBAC administration end to end, on the real backend and the real local clusters: the admin
 * creates a role in the UI that lets bob scale workloads in payments-* namespaces; bob's Scale
 * button on payments-api turns enabled and the scale goes through (the apiserver accepts it
 * because the RBAC plugin synced a RoleBinding for bob); the admin deletes the role and bob's
 * button is disabled again. bob never sees the RBAC page in the sidebar.
 */

const ROLE = `e2e-bob-scales-payments-${Date.now().toString(36)}`;

async function signedIn(browser: Browser, user: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${user}` }).click();
  await expect(
    page.getByRole('heading', { name: 'Kubemate Catalog' }),
  ).toBeVisible();
  return page;
}

const devSection = (page: Page) =>
  page.locator('[class*="MuiCard-root"]', {
    hasText: 'dev-cluster · payments-dev',
  });

const scaleButton = (page: Page) =>
  devSection(page).getByRole('button', {
    name: 'Scale payments-api',
    exact: true,
  });

async function openClusterOps(page: Page) {
  await page.goto('/catalog/default/component/payments-api/cluster-ops');
  await expect(
    page.getByText('Workloads in dev-cluster / payments-dev'),
  ).toBeVisible();
}

test('an admin grants bob scaling in payments-* through a role; the portal and Kubernetes follow', async ({
  browser,
}) => {
  const bob = await signedIn(browser, 'bob');
  // no RBAC entry in bob's sidebar; the Clusters entry is there
  await expect(bob.getByRole('link', { name: 'Clusters' })).toBeVisible();
  await expect(bob.getByRole('link', { name: 'RBAC' })).toHaveCount(0);
  await openClusterOps(bob);
  await expect(scaleButton(bob)).toBeDisabled();

  // the admin creates the role
  const admin = await signedIn(browser, 'admin');
  await admin.getByRole('link', { name: 'RBAC' }).click();
  await expect(
    admin.getByRole('row', { name: /payments-developer/ }),
  ).toContainText('role file');
  await expect(
    admin.getByRole('button', { name: 'Edit payments-developer' }),
  ).toBeDisabled();
  const create = admin.getByRole('button', { name: 'Create role' });
  await expect(create).toBeEnabled();
  await create.click();
  const dialog = admin.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(ROLE);
  await dialog.getByRole('radio', { name: 'Selected namespaces' }).check();
  const namespace = dialog.getByRole('textbox', {
    name: 'Namespace or pattern',
  });
  await namespace.fill('payments-*');
  await namespace.press('Enter');
  await dialog
    .getByRole('checkbox', { name: 'clusters.workload.scale', exact: true })
    .check();
  const members = dialog.getByRole('textbox', { name: 'Members' });
  await members.fill('user:bob');
  await members.press('Enter');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const row = admin.getByRole('row', { name: new RegExp(ROLE) });
  await expect(row).toContainText('payments-*');
  await expect(row).toContainText('bob');
  // the sync ran after the change: the role is in sync on both clusters
  await expect(async () => {
    await admin.reload();
    await expect(
      admin.getByRole('row', { name: new RegExp(ROLE) }),
    ).toContainText('dev-cluster: in-sync', { timeout: 3000 });
  }).toPass({ timeout: 60_000 });
  await admin.screenshot({ path: 'e2e/artifacts/rbac-roles.png' });

  // bob can scale now: the portal allows it, and so does the apiserver (same replica count)
  await openClusterOps(bob);
  await expect(scaleButton(bob)).toBeEnabled();
  await scaleButton(bob).click();
  const scale = bob.getByRole('dialog');
  const description = await scale
    .getByText(/currently \d+ replica/)
    .textContent();
  const current = /currently (\d+)/.exec(description ?? '')![1];
  await scale.getByLabel('Replicas').fill(current);
  await scale.getByRole('button', { name: 'Scale', exact: true }).click();
  await expect(scale).toBeHidden();

  // the admin deletes the role; bob loses the permission again
  await admin.getByRole('button', { name: `Delete ${ROLE}` }).click();
  await admin
    .getByRole('dialog')
    .getByRole('button', { name: 'Delete', exact: true })
    .click();
  await expect(admin.getByRole('row', { name: new RegExp(ROLE) })).toHaveCount(
    0,
  );
  await openClusterOps(bob);
  await expect(scaleButton(bob)).toBeDisabled();

  // the audit log has both changes, by the admin
  await admin.getByRole('tab', { name: 'Audit log' }).click();
  await expect(
    admin.getByRole('row', { name: new RegExp(`role.create.*${ROLE}`) }),
  ).toContainText('user:default/admin');
  await expect(
    admin.getByRole('row', { name: new RegExp(`role.delete.*${ROLE}`) }),
  ).toBeVisible();
});
