import { expect, request as playwrightRequest, test } from '@playwright/test';
import type { APIRequestContext } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { BatchV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { readStack } from '@kubemate/dev-stack';
import { signIn } from './signIn';

/*
 * Fine-tuning end to end, on the real backend, the real Kubeflow Training Operator, Kueue, MLflow
 * and MinIO of the dev stack (part `finetuning`; the training compute is the demo trainer's
 * simulated curve, labelled demo data): alice uploads a dataset on the Fine-tuning page (a
 * malformed file first: the backend names the bad line), launches a LoRA job in payments-dev from
 * the form, watches it wait in Kueue's queue with Kueue's reason while her team's A100 quota is
 * used up, sees Kueue admit it once the quota is freed and the controller's pods run, with live loss
 * curves from MLflow and the master's log, then compares it with a previous run.
 *
 * The queueing is Kueue's own: setup fills team-payments' A100 quota (nominal + borrowing limit,
 * minus what already runs there) with a Job of 1-GPU pods (label kubemate.io/e2e=finetuning)
 * created through the dev stack's admin kubeconfig, and waits until Kueue admits it; alice's 1-GPU
 * job then cannot fit. Deleting that Job frees the quota and Kueue admits hers.
 *
 * The previous run is launched in setup through the portal's API as alice (dataset upload + POST
 * /jobs) and runs to Succeeded first (the demo run lasts the overlay's kwok run duration, 90 s).
 * Clean-up: alice's jobs and datasets are deleted through the API, the quota Job as the admin;
 * leftovers of an earlier run (names starting e2e-ft-) first. Test ids: plugins/finetuning/README.md.
 */

const CLUSTER = 'dev-cluster';
const NS = 'payments-dev';
const CLUSTER_QUEUE = 'team-payments';
const FLAVOR = 'nvidia-a100-sxm4-40gb';
const GPU = 'nvidia.com/gpu';
const BASE_MODEL = 'smollm2-135m-instruct';
const STAMP = Date.now().toString(36);
const PREFIX = 'e2e-ft-';
const PREV_DATASET = `${PREFIX}prev-${STAMP}`;
const PREV_JOB = `${PREFIX}prev-${STAMP}`;
const DATASET = `${PREFIX}faq-${STAMP}`;
const JOB = `${PREFIX}run-${STAMP}`;
const BLOCKER = `${PREFIX}quota-${STAMP}`;
const CQ = {
  group: 'kueue.x-k8s.io',
  version: 'v1beta2',
  plural: 'clusterqueues',
  name: CLUSTER_QUEUE,
};

const ROWS = [
  ['How do I refund a card payment?', 'Open the payment and choose Refund.'],
  ['Which currencies does checkout accept?', 'EUR, USD, GBP and CHF.'],
  ['How long does a SEPA transfer take?', 'One business day.'],
  ['Where are chargebacks listed?', 'Under Disputes in the payments console.'],
  ['Who approves refunds above 10k?', 'A team-payments lead.'],
  ['How do I rotate the PSP API key?', 'Use the key rotation runbook.'],
];
const jsonl = (rows: string[][]) =>
  `${rows
    .map(([instruction, response]) => JSON.stringify({ instruction, response }))
    .join('\n')}\n`;

let batch: BatchV1Api;
let custom: CustomObjectsApi;
let api: APIRequestContext;
let prevDatasetId: string | undefined;
let prevJobId: string | undefined;
let jobId: string | undefined;

/** alice's token, from the demo sign-in provider the sign-in page uses. */
async function tokenOf(baseURL: string, user: string): Promise<string> {
  const ctx = await playwrightRequest.newContext({ baseURL });
  const res = await ctx.get('/api/auth/demo/refresh', {
    headers: {
      'x-kubemate-demo-user': user,
      'x-requested-with': 'XMLHttpRequest',
    },
  });
  expect(res.ok(), await res.text()).toBeTruthy();
  const token = (await res.json()).backstageIdentity.token as string;
  await ctx.dispose();
  return token;
}

async function ok<T>(res: Awaited<ReturnType<APIRequestContext['get']>>) {
  expect(res.ok(), `${res.url()}: ${res.status()} ${await res.text()}`).toBe(
    true,
  );
  return (res.status() === 204 ? undefined : await res.json()) as T;
}

/** Jobs and datasets of earlier runs of this spec (names starting e2e-ft-), then the quota Jobs. */
async function deleteLeftovers() {
  const jobs = await ok<{ items: Array<{ id: string; name: string }> }>(
    await api.get(`/api/finetuning/jobs?cluster=${CLUSTER}&namespace=${NS}`),
  );
  for (const j of jobs.items.filter(x => x.name.startsWith(PREFIX))) {
    await api.delete(`/api/finetuning/jobs/${j.id}`);
  }
  const datasets = await ok<{ items: Array<{ id: string; name: string }> }>(
    await api.get(
      `/api/finetuning/datasets?cluster=${CLUSTER}&namespace=${NS}`,
    ),
  );
  for (const d of datasets.items.filter(x => x.name.startsWith(PREFIX))) {
    await api.delete(`/api/finetuning/datasets/${d.id}`);
  }
  await deleteQuotaJobs();
}

async function deleteQuotaJobs() {
  const jobs = await batch.listNamespacedJob({
    namespace: NS,
    labelSelector: 'kubemate.io/e2e=finetuning',
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

/** The flavor's GPU quota (nominal + borrowing limit) and what is in use in team-payments. */
async function gpuRoom(): Promise<{ reachable: number; used: number }> {
  const cq: any = await custom.getClusterCustomObject(CQ);
  let reachable = 0;
  for (const group of cq.spec.resourceGroups ?? []) {
    for (const flavor of group.flavors ?? []) {
      if (flavor.name !== FLAVOR) continue;
      const r = (flavor.resources ?? []).find((x: any) => x.name === GPU);
      reachable = Number(r?.nominalQuota ?? 0) + Number(r?.borrowingLimit ?? 0);
    }
  }
  const usage = (cq.status?.flavorsUsage ?? [])
    .find((f: any) => f.name === FLAVOR)
    ?.resources?.find((r: any) => r.name === GPU);
  return { reachable, used: Number(usage?.total ?? 0) };
}

test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(600_000);
  const kc = readStack().kubeConfigFor(CLUSTER, 'admin');
  batch = kc.makeApiClient(BatchV1Api);
  custom = kc.makeApiClient(CustomObjectsApi);
  api = await playwrightRequest.newContext({
    baseURL,
    extraHTTPHeaders: {
      Authorization: `Bearer ${await tokenOf(baseURL!, 'alice')}`,
    },
  });
  await deleteLeftovers();

  // the previous run: a dataset and a job launched as alice through the API, run to Succeeded
  const dataset = await ok<{ id: string }>(
    await api.post('/api/finetuning/datasets', {
      multipart: {
        cluster: CLUSTER,
        namespace: NS,
        name: PREV_DATASET,
        file: {
          name: `${PREV_DATASET}.jsonl`,
          mimeType: 'application/jsonl',
          buffer: Buffer.from(jsonl(ROWS.slice(0, 4))),
        },
      },
    }),
  );
  prevDatasetId = dataset.id;
  const prev = await ok<{ id: string }>(
    await api.post('/api/finetuning/jobs', {
      data: {
        cluster: CLUSTER,
        namespace: NS,
        name: PREV_JOB,
        baseModel: BASE_MODEL,
        datasetId: prevDatasetId,
        hyperparameters: {
          rank: 4,
          alpha: 8,
          learningRate: 0.0005,
          epochs: 1,
          batchSize: 4,
          dropout: 0.05,
        },
        resources: { workers: 1, gpusPerWorker: 1, flavor: FLAVOR },
        queue: 'gpu',
      },
    }),
  );
  prevJobId = prev.id;
  await expect
    .poll(
      async () =>
        (
          await ok<{ job: { state: string } }>(
            await api.get(`/api/finetuning/jobs/${prevJobId}`),
          )
        ).job.state,
      {
        timeout: 360_000,
        intervals: [5000],
        message: `the previous run ${PREV_JOB} reaches Succeeded`,
      },
    )
    .toBe('Succeeded');

  // fill team-payments' A100 quota, so alice's job waits in Kueue's queue
  const { reachable, used } = await gpuRoom();
  const free = reachable - used;
  expect(
    free,
    `${CLUSTER_QUEUE} has ${reachable} reachable ${GPU} of ${FLAVOR}, ${used} in use`,
  ).toBeGreaterThan(0);
  await batch.createNamespacedJob({
    namespace: NS,
    body: {
      metadata: {
        name: BLOCKER,
        labels: {
          'kubemate.io/e2e': 'finetuning',
          'kueue.x-k8s.io/queue-name': 'gpu',
          'kueue.x-k8s.io/priority-class': 'gpu-normal',
        },
      },
      spec: {
        parallelism: free,
        completions: free,
        backoffLimit: 0,
        template: {
          metadata: {
            labels: { 'kubemate.io/e2e': 'finetuning' },
            annotations: { 'kwok.kubemate.io/run-duration': '30m' },
          },
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'hold',
                image: 'kubemate/e2e-hold:0.1.0',
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
  // Kueue admits it (unsuspends the Job): the quota is used up
  await expect
    .poll(
      async () =>
        (
          await batch.readNamespacedJob({ name: BLOCKER, namespace: NS })
        ).spec?.suspend,
      {
        timeout: 120_000,
        intervals: [2000],
        message: `Kueue admits ${BLOCKER} (${free} GPUs)`,
      },
    )
    .toBe(false);
});

test.afterAll(async () => {
  test.setTimeout(180_000);
  if (batch) await deleteQuotaJobs();
  if (!api) return;
  for (const id of [jobId, prevJobId]) {
    if (id) await api.delete(`/api/finetuning/jobs/${id}`);
  }
  const datasets = await api.get(
    `/api/finetuning/datasets?cluster=${CLUSTER}&namespace=${NS}`,
  );
  if (datasets.ok()) {
    for (const d of (await datasets.json()).items as Array<{
      id: string;
      name: string;
    }>) {
      if (d.name === DATASET || d.name === PREV_DATASET) {
        await api.delete(`/api/finetuning/datasets/${d.id}`);
      }
    }
  }
  await api.dispose();
});

test('alice uploads a dataset, launches a LoRA job that waits for GPU quota in Kueue and then runs, and compares it with a previous run', async ({
  page,
}, testInfo) => {
  test.setTimeout(600_000);
  const bad = testInfo.outputPath(`${DATASET}-bad.jsonl`);
  writeFileSync(
    bad,
    `${jsonl(ROWS.slice(0, 2))}{"instruction": "no answer here"}\n`,
  );
  const good = testInfo.outputPath(`${DATASET}.jsonl`);
  writeFileSync(good, jsonl(ROWS));

  await signIn(page, 'alice');

  // a malformed file: the backend names the first bad line (3)
  await page.goto('/finetuning/datasets');
  const form = page.getByTestId('ft-upload-form');
  await expect(form).toBeVisible();
  await page.getByTestId('ft-upload-namespace').selectOption(NS);
  await page.getByTestId('ft-upload-file').setInputFiles(bad);
  await page.getByTestId('ft-upload-name').fill(DATASET);
  await expect(page.getByTestId('ft-upload-submit')).toBeEnabled();
  await page.getByTestId('ft-upload-submit').click();
  const error = page.getByTestId('ft-upload-error');
  await expect(error).toHaveAttribute('data-line', '3');
  await expect(error).toContainText('The file was refused at line 3');
  await page.screenshot({
    path: 'e2e/artifacts/finetuning-upload-error.png',
    fullPage: true,
  });

  // the good file: uploaded, listed, previewed
  await page.getByTestId('ft-upload-file').setInputFiles(good);
  await page.getByTestId('ft-upload-name').fill(DATASET);
  await page.getByTestId('ft-upload-submit').click();
  await expect(page.getByTestId('ft-upload-notice')).toContainText(
    `Uploaded ${DATASET}: ${ROWS.length} rows`,
  );
  await expect(page.getByTestId(`ft-dataset-${NS}-${DATASET}`)).toBeVisible();
  await expect(page.getByTestId('ft-dataset-preview')).toContainText(
    ROWS[0][0],
  );
  await page.screenshot({
    path: 'e2e/artifacts/finetuning-datasets.png',
    fullPage: true,
  });

  // launch from the form, no YAML: 1 replica with 1 A100, which the full quota cannot give
  await page.goto('/finetuning/launch');
  await expect(page.getByTestId('ft-launch-form')).toBeVisible();
  await page.getByTestId('ft-launch-cluster').selectOption(CLUSTER);
  await page.getByTestId('ft-launch-namespace').selectOption(NS);
  await page.getByTestId('ft-launch-name').fill(JOB);
  await page.getByTestId('ft-launch-baseModel').selectOption(BASE_MODEL);
  await page
    .getByTestId('ft-launch-datasetId')
    .selectOption({ label: DATASET });
  await page.getByTestId('ft-launch-flavor').selectOption(FLAVOR);
  await page.getByTestId('ft-launch-queue').selectOption('gpu');
  await page.getByTestId('ft-launch-epochs').fill('1');
  await page.getByTestId('ft-launch-workers').fill('1');
  await page.getByTestId('ft-launch-gpusPerWorker').fill('1');
  await expect(page.getByTestId('ft-estimate-gpu-hours')).toContainText(
    'GPU-h',
  );
  await page.screenshot({
    path: 'e2e/artifacts/finetuning-launch.png',
    fullPage: true,
  });
  await expect(page.getByTestId('ft-launch-submit')).toBeEnabled();
  await page.getByTestId('ft-launch-submit').click();

  // the job's page: queued, with Kueue's reason word for word
  await page.waitForURL(/\/finetuning\/jobs\/[^/]+$/);
  jobId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  const details = page.getByTestId('ft-job-details');
  await expect(details).toHaveAttribute('data-state', 'Queued', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('ft-job-queue-reason')).toContainText(
    /quota|borrow/i,
    { timeout: 60_000 },
  );
  await expect(page.getByTestId('ft-job-queue')).toContainText(CLUSTER_QUEUE);
  await page.screenshot({
    path: 'e2e/artifacts/finetuning-queued.png',
    fullPage: true,
  });

  // the quota is freed: Kueue admits the job, the controller's pods run (no reload)
  await deleteQuotaJobs();
  await expect(details).toHaveAttribute('data-state', 'Running', {
    timeout: 240_000,
  });
  await expect(page.getByTestId(/^ft-pod-/).first()).toHaveAttribute(
    'data-phase',
    'Running',
  );
  // live curves from MLflow (the demo trainer's, labelled as such: train_loss while it runs,
  // eval_loss at the end of each epoch) and the master's log
  await expect(
    page.getByRole('img', { name: /^Loss: [12] series, \d+ steps$/ }),
  ).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('ft-metrics-demo-chip')).toBeVisible();
  await expect(page.getByTestId('ft-logs')).not.toContainText(
    '(no log lines yet)',
    { timeout: 60_000 },
  );
  await page.screenshot({
    path: 'e2e/artifacts/finetuning-running.png',
    fullPage: true,
  });

  // compare with the previous run: curves overlaid, params diff
  await page.goto('/finetuning/compare');
  await page.getByTestId(`ft-compare-pick-${PREV_JOB}`).check();
  await page.getByTestId(`ft-compare-pick-${JOB}`).check();
  const compare = page.getByTestId('ft-compare');
  await expect(compare).toBeVisible();
  await expect(
    compare.getByRole('img', { name: /^train_loss: 2 series, \d+ steps$/ }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('ft-compare-params')).toContainText(
    /Parameters \([1-9]\d* differ\)/,
  );
  await expect(
    page.locator('[data-testid^="ft-param-"][data-differs="true"]').first(),
  ).toBeVisible();
  await page.screenshot({
    path: 'e2e/artifacts/finetuning-compare.png',
    fullPage: true,
  });
});
