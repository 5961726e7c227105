import { expect, test } from '@playwright/test';
import { BatchV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { readStack } from '@kubemate/dev-stack';
import { signIn } from './signIn';

/*
 * GPU quota end to end, on the real backend, the real local dev-cluster and the real Kueue (dev
 * stack part `gpu`): a Job in payments-dev asks for more GPUs than team-payments' ClusterQueue may
 * ever give (nominal + borrowing limit + 1): Kueue keeps it suspended and alice sees it pending on
 * the GPUs page's Queue with Kueue's reason. Alice requests the missing GPUs (above the
 * self-service limit, so it waits for approval), the admin approves it in the Approvals inbox —
 * the portal raises the ClusterQueue's nominal quota as the admin — and alice sees Kueue admit her
 * Job without a reload.
 *
 * Setup and clean-up (as the cluster admin, through the dev stack's admin kubeconfig): the spec
 * creates its Job (label kubemate.io/e2e=gpu; leftovers of an earlier run are deleted first) and
 * deletes it at the end. The quota goes back the way the portal gives it back: the request asks
 * for 0.03 hours (108 s; the e2e overlay runs the expiry task every 10 s), and afterAll waits until the expiry task has returned the
 * ClusterQueue's nominal quota to what it was. Kueue alone writes the states this test waits on.
 * Test ids: plugins/gpu/README.md.
 */

const CLUSTER = 'dev-cluster';
const NS = 'payments-dev';
const CLUSTER_QUEUE = 'team-payments';
const FLAVOR = 'nvidia-a100-sxm4-40gb';
const GPU = 'nvidia.com/gpu';
const STAMP = Date.now().toString(36);
const JOB = `e2e-train-${STAMP}`;
const REASON = `e2e ${STAMP}: fine-tuning run that needs more A100s than our queue has`;
/** How long the grant lasts (the e2e overlay's expiry task returns it within 10 s after). */
const HOURS = '0.03';
const CQ = {
  group: 'kueue.x-k8s.io',
  version: 'v1beta2',
  plural: 'clusterqueues',
  name: CLUSTER_QUEUE,
};

let batch: BatchV1Api;
let custom: CustomObjectsApi;
/** The flavor's nominal GPUs before the test, and its borrowing limit. */
let nominal = 0;
let borrowingLimit = 0;
/** GPUs of the flavor the queue's other workloads use. */
let usedByOthers = 0;
/** GPUs the Job asks for, and the GPUs alice requests. */
let jobGpus = 0;
let requestGpus = 0;
let approved = false;

/** The flavor's `nvidia.com/gpu` quota in the ClusterQueue's spec. */
function gpuQuota(cq: any): {
  nominalQuota?: unknown;
  borrowingLimit?: unknown;
} {
  for (const group of cq.spec.resourceGroups ?? []) {
    for (const flavor of group.flavors ?? []) {
      if (flavor.name !== FLAVOR) continue;
      const r = (flavor.resources ?? []).find((x: any) => x.name === GPU);
      if (r) return r;
    }
  }
  throw new Error(`${CLUSTER_QUEUE} has no ${GPU} quota in flavor ${FLAVOR}`);
}

async function clusterQueue(): Promise<any> {
  return custom.getClusterCustomObject(CQ);
}

async function deleteOurJobs() {
  const jobs = await batch.listNamespacedJob({
    namespace: NS,
    labelSelector: 'kubemate.io/e2e=gpu',
  });
  for (const job of jobs.items) {
    await batch
      .deleteNamespacedJob({
        name: job.metadata!.name!,
        namespace: NS,
        propagationPolicy: 'Background',
      })
      .catch(() => undefined);
  }
}

test.beforeAll(async () => {
  const kc = readStack().kubeConfigFor(CLUSTER, 'admin');
  batch = kc.makeApiClient(BatchV1Api);
  custom = kc.makeApiClient(CustomObjectsApi);
  await deleteOurJobs();

  const cq = await clusterQueue();
  const quota = gpuQuota(cq);
  nominal = Number(quota.nominalQuota ?? 0);
  borrowingLimit = Number(quota.borrowingLimit ?? 0);
  const usage = (cq.status?.flavorsUsage ?? [])
    .find((f: any) => f.name === FLAVOR)
    ?.resources?.find((r: any) => r.name === GPU);
  usedByOthers = Number(usage?.total ?? 0);
  // more than the queue can ever admit (nominal + borrowing limit), so Kueue keeps it pending
  jobGpus = nominal + borrowingLimit + 1;
  // enough nominal quota for the Job next to what already runs, without borrowing
  requestGpus = jobGpus + usedByOthers - nominal;

  await batch.createNamespacedJob({
    namespace: NS,
    body: {
      metadata: {
        name: JOB,
        labels: {
          'kubemate.io/e2e': 'gpu',
          'kueue.x-k8s.io/queue-name': 'gpu',
          'kueue.x-k8s.io/priority-class': 'gpu-normal',
          'backstage.io/kubernetes-id': 'payments-api',
        },
      },
      spec: {
        // one GPU per pod, so the pods fit the 4-GPU nodes once admitted
        parallelism: jobGpus,
        completions: jobGpus,
        backoffLimit: 0,
        template: {
          metadata: {
            labels: { 'kubemate.io/e2e': 'gpu' },
            annotations: { 'kwok.kubemate.io/run-duration': '30m' },
          },
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'train',
                image: 'kubemate/e2e-train:0.1.0',
                resources: {
                  requests: { cpu: '100m', memory: '128Mi', [GPU]: '1' },
                  limits: { cpu: '100m', memory: '128Mi', [GPU]: '1' },
                },
              },
            ],
          },
        },
      },
    },
  });
});

test.afterAll(async () => {
  test.setTimeout(600_000);
  if (!batch) return;
  await deleteOurJobs();
  if (!approved) return;
  // the portal's expiry task gives the GPUs back when the request's period ends
  await expect
    .poll(async () => Number(gpuQuota(await clusterQueue()).nominalQuota), {
      timeout: 480_000,
      intervals: [5000],
      message: `the expiry returns ${CLUSTER_QUEUE}'s nominal ${GPU} of ${FLAVOR} to ${nominal}`,
    })
    .toBe(nominal);
});

test('alice requests GPUs for her pending job, the admin approves them in the inbox, Kueue admits the job', async ({
  page,
  browser,
}) => {
  test.setTimeout(600_000);
  // the Job's Workload row on the Queue tab (its name is Kueue's: job-<job>-<hash>)
  const workloadRow = (p: typeof page) =>
    p.getByTestId(
      new RegExp(`^gpu-workload-${CLUSTER}-${NS}-job-${JOB}-[a-z0-9]+$`),
    );

  await signIn(page, 'alice');

  // pending, with Kueue's reason
  await page.goto('/gpus/queue');
  const row = workloadRow(page);
  await expect(row).toHaveAttribute('data-state', 'pending', {
    timeout: 60_000,
  });
  await expect(
    page.getByTestId(
      new RegExp(`^gpu-workload-${CLUSTER}-${NS}-job-${JOB}-[a-z0-9]+-reason$`),
    ),
  ).toHaveAttribute(
    'data-reason',
    new RegExp(`insufficient quota for ${GPU} in flavor ${FLAVOR}`),
  );
  await page.screenshot({
    path: 'e2e/artifacts/gpu-pending.png',
    fullPage: true,
  });

  // the quota bars: her team's queue, no other team's
  await page.goto('/gpus');
  await expect(
    page.getByTestId(`gpu-queue-${CLUSTER}-${CLUSTER_QUEUE}`),
  ).toBeVisible();
  await expect(page.getByTestId(`gpu-queue-${CLUSTER}-team-risk`)).toHaveCount(
    0,
  );
  await expect(
    page
      .getByTestId(`gpu-quota-${CLUSTER}-${CLUSTER_QUEUE}-${FLAVOR}`)
      .getByRole('meter'),
  ).toHaveAttribute(
    'aria-valuetext',
    new RegExp(`of ${nominal} nominal GPUs used`),
  );
  await page.screenshot({
    path: 'e2e/artifacts/gpu-quotas.png',
    fullPage: true,
  });

  // the request: above the self-service limit, so it waits for approval
  await page.goto('/gpus/requests');
  const form = page.getByTestId('gpu-request-form');
  await expect(form).toBeVisible();
  await page.getByTestId('gpu-request-cluster').selectOption(CLUSTER);
  await page.getByTestId('gpu-request-namespace').selectOption(NS);
  await page.getByTestId('gpu-request-flavor').selectOption(FLAVOR);
  await page.getByTestId('gpu-request-gpus').fill(String(requestGpus));
  await expect(form).toContainText(
    'Above the self-service limit: waits for approval',
  );
  await page.getByTestId('gpu-request-durationHours').fill(HOURS);
  await page.getByTestId('gpu-request-reason').fill(REASON);
  const submit = page.getByTestId('gpu-request-submit');
  await expect(submit).toBeEnabled();
  await submit.click();
  await expect(page.getByTestId('gpu-request-notice')).toContainText(
    "waits for a platform admin's approval",
  );
  const requestRow = page.getByRole('row').filter({ hasText: REASON });
  const status = requestRow.getByTestId(/^gpu-quota-request-/);
  await expect(status).toHaveAttribute('data-status', 'pending');
  const id = (await status.getAttribute('data-testid'))!.replace(
    'gpu-quota-request-',
    '',
  );
  await page.screenshot({
    path: 'e2e/artifacts/gpu-request.png',
    fullPage: true,
  });

  // the admin approves it in the inbox, seeing what it changes
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, 'admin');
  await admin.goto('/gpus/approvals');
  await expect(admin.getByTestId(`gpu-change-${id}`)).toContainText(
    `${CLUSTER_QUEUE} / ${FLAVOR} (${CLUSTER}): ${nominal} → ${
      nominal + requestGpus
    } GPUs`,
    { timeout: 60_000 },
  );
  const approve = admin.getByTestId(`gpu-approve-${id}`);
  await expect(approve).toBeEnabled();
  await approve.click();
  const dialog = admin.getByRole('dialog');
  await dialog
    .getByTestId('gpu-decision-comment')
    .fill('approved for the e2e run');
  await dialog.getByTestId('gpu-decision-submit').click();
  await expect(admin.getByTestId('gpu-approval-notice')).toContainText(
    'now active',
  );
  approved = true;
  await admin.screenshot({
    path: 'e2e/artifacts/gpu-approved.png',
    fullPage: true,
  });
  await adminContext.close();

  // the portal applied it to the ClusterQueue, as the admin
  expect(Number(gpuQuota(await clusterQueue()).nominalQuota)).toBe(
    nominal + requestGpus,
  );

  // alice: her request is active, and Kueue admits the job (the page re-reads on its own)
  await expect(status).toHaveAttribute('data-status', 'active', {
    timeout: 60_000,
  });
  await page.goto('/gpus/queue');
  await expect(workloadRow(page)).toHaveAttribute('data-state', 'admitted', {
    timeout: 120_000,
  });
  await expect(workloadRow(page)).toContainText(`Job ${JOB}`);
  await page.screenshot({
    path: 'e2e/artifacts/gpu-admitted.png',
    fullPage: true,
  });
});
