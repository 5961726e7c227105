import { expect, test } from '@playwright/test';
import {
  AppsV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { readStack } from '@kubemate/dev-stack';
import { signIn } from './signIn';

/*
 * A canary release end to end, on the real backend, the real local cluster and the real Flagger
 * (dev stack part `canary`): alice opens payments-api → Releases (the seeded demo Canary
 * payments-checkout in payments-dev, a component of payments-api; its traffic and metrics are the
 * demo mesh exporter's simulated Linkerd series), starts a canary with a new image, watches
 * Flagger move the weight without a reload, sees the release on the Releases page while it waits
 * for promotion, approves the promotion and sees it Succeeded.
 *
 * Setup (as the cluster admin, like a team adding a gate to its Canary): the Canary gets a
 * confirm-promotion webhook pointing Flagger at this portal's gate route; the test restores the
 * Canary's webhooks afterwards. Flagger alone writes the status this test waits on.
 */

const PORTAL = process.env.KUBEMATE_PORTAL_URL ?? 'http://localhost:7007';
const TOKEN = process.env.KUBEMATE_CANARY_GATE_TOKEN ?? 'dev-gate-token';
const CLUSTER = 'dev-cluster';
const NS = 'payments-dev';
const CANARY = 'payments-checkout';
const FLAGGER = {
  group: 'flagger.app',
  version: 'v1beta1',
  namespace: NS,
  plural: 'canaries',
  name: CANARY,
};
const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const IMAGE = `kubemate/payments-checkout:1.0.${Date.now().toString(36)}`;

let custom: CustomObjectsApi;
let apps: AppsV1Api;
let originalWebhooks: unknown[] | null = null;

async function canaryObject(): Promise<any> {
  return custom.getNamespacedCustomObject(FLAGGER);
}

test.beforeAll(async () => {
  const stack = readStack();
  const kc = stack.kubeConfigFor(CLUSTER, 'admin');
  custom = kc.makeApiClient(CustomObjectsApi);
  apps = kc.makeApiClient(AppsV1Api);
  // a release left running by an earlier run: wait for Flagger to finish it
  await expect
    .poll(async () => (await canaryObject()).status?.phase, {
      timeout: 300_000,
      intervals: [2000],
      message: `Flagger initializes the demo Canary ${CANARY} (dev stack part canary)`,
    })
    .toMatch(/^(Initialized|Succeeded|Failed)$/);
  const current = await canaryObject();
  originalWebhooks = current.spec.analysis.webhooks ?? null;
  const others = (originalWebhooks ?? []).filter(
    (w: any) => w.type !== 'confirm-promotion',
  );
  await custom.patchNamespacedCustomObject(
    {
      ...FLAGGER,
      body: {
        spec: {
          analysis: {
            webhooks: [
              ...others,
              {
                name: 'portal-approval',
                type: 'confirm-promotion',
                url: `${PORTAL}/api/canary/gates/${CLUSTER}/confirm-promotion`,
                metadata: { token: TOKEN },
              },
            ],
          },
        },
      },
    },
    MERGE_PATCH,
  );
});

test.afterAll(async () => {
  if (!custom) return;
  await custom
    .patchNamespacedCustomObject(
      {
        ...FLAGGER,
        body: { spec: { analysis: { webhooks: originalWebhooks } } },
      },
      MERGE_PATCH,
    )
    .catch(() => undefined);
});

test('alice starts a canary of payments-api, watches the weight advance and approves the promotion', async ({
  page,
  context,
}) => {
  test.setTimeout(600_000);
  await signIn(page, 'alice');
  await page.goto('/catalog/default/component/payments-api/releases');
  await expect(
    page.getByText(`Release ${CANARY}`, { exact: true }),
  ).toBeVisible({
    timeout: 60_000,
  });
  await expect(
    page.getByText('confirm-promotion: closed', { exact: false }),
  ).toBeVisible();

  // start: a new image on the target Deployment, as alice
  const start = page.getByRole('button', { name: 'Start canary' });
  await expect(start).toBeEnabled();
  await start.click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Image' }).fill(IMAGE);
  await dialog.getByRole('button', { name: 'Start canary' }).click();
  await expect(page.getByText(`Canary of ${IMAGE} started`)).toBeVisible();

  // Flagger detects the new revision and shifts weight: the tab follows without a reload
  const meter = page.getByRole('meter', { name: 'Canary weight' });
  await expect
    .poll(async () => Number(await meter.getAttribute('aria-valuenow')), {
      timeout: 240_000,
      intervals: [1000],
      message: 'the canary weight shown in the tab rises above 0',
    })
    .toBeGreaterThan(0);
  await page.screenshot({
    path: 'e2e/artifacts/canary-progressing.png',
    fullPage: true,
  });
  await expect(page.getByText(IMAGE).first()).toBeVisible();

  // at max weight Flagger asks the promotion gate, which stays closed
  await expect(
    page.getByText('confirm-promotion: closed, Flagger is waiting'),
  ).toBeVisible({ timeout: 240_000 });

  // the Releases page lists it, waiting for approval
  const overview = await context.newPage();
  await overview.goto('/canary');
  const row = overview.getByRole('row', { name: new RegExp(CANARY) });
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect(row.getByText('confirm-promotion')).toBeVisible();
  await expect(row.getByRole('link', { name: CANARY })).toHaveAttribute(
    'href',
    '/catalog/default/component/payments-api/releases',
  );
  await overview.screenshot({ path: 'e2e/artifacts/canary-overview.png' });
  await overview.close();

  // alice approves; Flagger promotes and finishes
  const approve = page.getByRole('button', { name: 'Approve promotion' });
  await expect(approve).toBeEnabled();
  await approve.click();
  await expect(
    page.getByText(`Approved the confirm-promotion gate of ${CANARY}`),
  ).toBeVisible();
  await expect(
    page.getByText('Succeeded', { exact: true }).first(),
  ).toBeVisible({
    timeout: 240_000,
  });
  await page.screenshot({
    path: 'e2e/artifacts/canary-succeeded.png',
    fullPage: true,
  });
  // Flagger promoted the new revision: the primary Deployment runs the new image
  const primary = await apps.readNamespacedDeployment({
    name: `${CANARY}-primary`,
    namespace: NS,
  });
  expect(primary.spec?.template.spec?.containers[0].image).toBe(IMAGE);
  expect((await canaryObject()).status.phase).toBe('Succeeded');
});
