import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { signIn } from './signIn';
import { CoreV1Api } from '@kubernetes/client-node';
import { readStack } from '@kubemate/dev-stack';

/*
 * The golden path end to end, on the real backend, the real local clusters and the local Git
 * host: alice creates a service from the "Kubemate service" template in the UI, opens the new
 * entity, sees its Pipelines tab (the pipeline the template provisioned in dev) and starts a run,
 * which appears in the runs list as a real PipelineRun. The test deletes the namespaces and the
 * repository it created.
 */

const SERVICE = `payments-e2e-${Date.now().toString(36)}`;

test.afterAll(async () => {
  const stack = readStack();
  const kc = stack.kubeConfigFor('dev-cluster', 'admin');
  await kc
    .makeApiClient(CoreV1Api)
    .deleteNamespace({ name: `${SERVICE}-dev` })
    .catch(() => undefined);
  if (stack.git) {
    rmSync(join(stack.git.reposDir, `${SERVICE}.git`), {
      recursive: true,
      force: true,
    });
  }
});

test('alice creates a service from the template, opens its Pipelines tab and starts a run', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signIn(page, 'alice');
  await page.goto('/create');
  await expect(
    page.getByText('Kubemate service', { exact: true }),
  ).toBeVisible();
  await page.goto('/create/templates/default/kubemate-service');

  // page 1: service
  await page.getByLabel('Name').fill(SERVICE);
  await page.getByLabel('Description').fill('Created by the e2e test');
  const owner = page.getByRole('textbox', { name: 'Owner team' });
  await owner.click();
  await owner.fill('Team Payments');
  await page
    .getByRole('option', { name: /Team Payments/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Next' }).click();

  // page 2: environments and resources (defaults: dev, 2 CPU, 4Gi, no GPU)
  await expect(page.getByRole('checkbox', { name: 'dev' })).toBeChecked();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // the task runs every step; the output links to the new entity
  const open = page.getByRole('link', { name: 'Open in catalog' });
  await expect(open).toBeVisible({ timeout: 120_000 });
  await page.screenshot({ path: 'e2e/artifacts/template-run.png' });
  await open.click();

  // the catalog processes the new location within seconds: reload until the entity page is there
  await expect(async () => {
    await page.goto(`/catalog/default/component/${SERVICE}/pipelines`);
    await expect(
      page.getByText(`${SERVICE}-ci — dev-cluster/${SERVICE}-dev`),
    ).toBeVisible({ timeout: 5000 });
  }).toPass({ timeout: 90_000 });
  await expect(page.getByText('Pipeline runs (0 of 0)')).toBeVisible();
  await expect(page.getByText('No runs yet: start one.')).toBeVisible();

  // alice's team role (created by the template) lets her start runs there
  const start = page.getByRole('button', { name: 'Start run' });
  await expect(start).toBeEnabled();
  await start.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel('revision')).toHaveValue('main');
  await dialog.getByLabel('revision').fill('v0.1.0');
  await dialog.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(
    page.getByText(/Run started: payments-e2e-.*-ci-run-/),
  ).toBeVisible();
  await expect(page.getByText('Pipeline runs (1 of 1)')).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'Params' }).getByText('v0.1.0'),
  ).toBeVisible();
  await page.screenshot({
    path: 'e2e/artifacts/pipelines-tab.png',
    fullPage: true,
  });
});
