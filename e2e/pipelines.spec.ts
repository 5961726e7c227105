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
 * which the real Tekton controller takes to Succeeded while she watches (the tab re-reads the run,
 * no reload); she opens a step's log. The test deletes the namespaces and the
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
  test.setTimeout(480_000);
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
  const started = page.getByText(/Run started: payments-e2e-.*-ci-run-/);
  await expect(started).toBeVisible();
  const runName = (await started.textContent())!.replace('Run started: ', '');
  await expect(
    page.getByRole('table', { name: 'Params' }).getByText('v0.1.0'),
  ).toBeVisible();

  // The real Tekton controller runs clone → test → build → scan → deploy (kwok runs the pods);
  // the tab re-reads the run while it is active: no reload from here on.
  const graph = page.getByRole('list', { name: `Task graph of ${runName}` });
  await expect(
    graph.getByRole('listitem', { name: 'deploy: Succeeded' }),
  ).toBeVisible({ timeout: 240_000 });
  // finished: the controller's summary, and Cancel is disabled
  await expect(
    page.getByText(/Tasks Completed: 5 \(Failed: 0, Cancelled 0\)/),
  ).toBeVisible();
  await expect(
    page.getByRole('button', { name: `Cancel ${runName}` }),
  ).toBeDisabled();
  await page.screenshot({
    path: 'e2e/artifacts/pipelines-tab.png',
    fullPage: true,
  });

  // a step's log (kwok serves the simulated container's log)
  const tasks = page.getByRole('table', { name: 'Task runs' });
  await tasks
    .getByRole('button', { name: / · Succeeded$/ })
    .first()
    .click();
  const log = page.getByLabel(/^Log of step /);
  await expect(log).toContainText('kubemate demo container started');
  await expect(page.getByLabel('Follow (step finished)')).toBeDisabled();
  await page.screenshot({ path: 'e2e/artifacts/pipelines-step-log.png' });
});
