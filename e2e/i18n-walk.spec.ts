import { resolve } from 'node:path';
import { Browser, expect, Page, test } from '@playwright/test';
import { catalogTexts, expectNoEnglish } from './i18nText';

/*
 * The portal in Simplified Chinese, page by page, against the real backend and the local stack:
 * the catalog, every entity tab of payments-api and the ML component's Fine-tuning tab, each
 * plugin's page, the RBAC admin pages, the Create page and a template's form, and one action
 * dialog per plugin (opened, checked and cancelled: nothing is changed). On each, no English is
 * left in the UI text (i18nText.ts says what is not UI text). Logs and traces have no dialog:
 * their tabs are the query and its results. Screenshots:
 * e2e/artifacts/zh/<step>.png. The walk of sign-in, sidebar and the switch back to English is
 * i18n.spec.ts.
 */

const DATA = catalogTexts(resolve(__dirname, '..'));
const ENTITY = '/catalog/default/component/payments-api';

test.describe.configure({ timeout: 900_000 });

async function signedInZh(browser: Browser, user: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN' });
  await context.addInitScript(() =>
    window.localStorage.setItem('language', 'zh-Hans'),
  );
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('button', { name: `以 ${user} 身份登录` }).click();
  await expect(
    page.getByRole('heading', { name: 'Kubemate 服务目录' }),
  ).toBeVisible();
  return page;
}

/**
 * What the other specs wrote as users (a GPU request's reason, an approval's note, a run's
 * message): user data, not UI text. Each spec puts "e2e" in the text it types.
 */
const E2E_DATA = /\be2e\b/i;

async function check(page: Page, step: string, ignore: RegExp[] = []) {
  await page.screenshot({ path: `e2e/artifacts/zh/${step}.png` });
  await expectNoEnglish(page, step, DATA, [E2E_DATA, ...ignore]);
}

/**
 * Kubernetes' own words, which the upstream Kubernetes tab shows as sent: the condition messages
 * of its error report, and the kubelet's waiting messages of a container (kwok's stages write the
 * kubelet's: deploy/dev/seed/kwok/stages.yaml), shown once the pod has been retried.
 */
const KUBERNETES_MESSAGES = [
  /^(?:Deployment|ReplicaSet|StatefulSet|DaemonSet|Pod|Job)\b.*\.$/,
  /^(?:[Bb]ack-off (?:\d+\w+ )?(?:pulling image|restarting failed container)|Failed to pull image|Error: \w+)\b/,
];

async function visit(page: Page, path: string, heading: RegExp | string) {
  await page.goto(path);
  await expect(page.getByText(heading).first()).toBeVisible();
}

async function dialog(page: Page, step: string, open: () => Promise<void>) {
  await open();
  const d = page.getByRole('dialog');
  await expect(d).toBeVisible();
  await check(page, step);
  await page.keyboard.press('Escape');
  await expect(d).toHaveCount(0);
}

test('alice walks the entity tabs, the plugin pages and their dialogs in Chinese', async ({
  browser,
}) => {
  const page = await signedInZh(browser, 'alice');
  await check(page, 'catalog');

  // the entity page and each of its tabs
  await visit(page, ENTITY, '简介');
  await check(page, 'entity-overview');
  const tabs: Array<[string, string, RegExp | string]> = [
    ['cluster-ops', '集群运维', 'dev-cluster / payments-dev 中的工作负载'],
    ['metrics', '监控指标', /黄金指标|请求速率/],
    ['logs', '日志', /查询|日志/],
    ['traces', '链路追踪', /链路|追踪/],
    ['pipelines', '流水线', /流水线/],
    ['releases', '发布', /发布/],
    ['gpu', 'GPU', /GPU/],
    ['docs-qa', '文档问答', /提问|问题/],
    ['kubernetes', 'Kubernetes', /集群|Pod/],
  ];
  for (const [path, tab, text] of tabs) {
    await page.goto(`${ENTITY}/${path}`);
    // the current tab (the sidebar may have a link of the same name: GPU)
    await expect(
      page
        .locator('[role="tab"][aria-selected="true"], a[aria-current="page"]')
        .filter({ hasText: new RegExp(`^${tab}$`) }),
    ).toBeVisible();
    await expect(page.getByText(text).first()).toBeVisible();
    await check(
      page,
      `entity-${path}`,
      path === 'kubernetes' ? KUBERNETES_MESSAGES : [],
    );
  }

  // one action dialog per plugin, opened and cancelled
  await page.goto(`${ENTITY}/cluster-ops`);
  await dialog(page, 'dialog-clusters-scale', async () => {
    await page
      .getByRole('button', { name: '扩缩容 payments-api', exact: true })
      .first()
      .click();
  });
  await page.goto(`${ENTITY}/pipelines`);
  await dialog(page, 'dialog-pipelines-start', async () => {
    await page.getByRole('button', { name: '启动运行' }).first().click();
  });

  // metrics: silencing the demo alert (Prometheus → Alertmanager; it may take a moment to fire)
  await page.goto(`${ENTITY}/metrics`);
  const silence = page.getByRole('button', { name: '静默', exact: true });
  await expect(async () => {
    await page.getByRole('button', { name: '立即刷新' }).first().click();
    await expect(silence.first()).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 180_000 });
  await dialog(page, 'dialog-metrics-silence', async () => {
    await silence.first().click();
  });
  // canary: starting a release (Flagger's canary is idle or finished here)
  await page.goto(`${ENTITY}/releases`);
  const start = page.getByRole('button', { name: '启动金丝雀发布' });
  await expect(start.first()).toBeEnabled({ timeout: 60_000 });
  await dialog(page, 'dialog-canary-start', async () => {
    await start.first().click();
  });
  // RAG: a new knowledge base
  await visit(page, '/knowledge/collections', /知识库/);
  await dialog(page, 'dialog-rag-new-collection', async () => {
    await page.getByTestId('rag-new-collection').click();
  });

  // fine-tuning: the ML component's tab, and its launch form (a page, not a dialog)
  await page.goto('/catalog/default/component/fraud-model-lora/finetuning');
  await expect(page.getByText('启动微调训练任务').first()).toBeVisible();
  await check(page, 'entity-finetuning');
  await page.getByTestId('ft-entity-launch').click();
  await expect(page.getByTestId('ft-launch-form')).toBeVisible();
  await expect(page.getByText('启动 LoRA 微调训练任务').first()).toBeVisible();
  await check(page, 'form-finetuning-launch');

  // the plugins' pages
  const pages: Array<[string, RegExp | string]> = [
    ['/clusters', /节点/],
    ['/alerts', /告警/],
    ['/canary', /发布/],
    ['/inspections', /巡检/],
    ['/gpus', /GPU/],
    ['/knowledge', /知识库/],
    ['/finetuning', /微调/],
    ['/create', '模板'],
  ];
  for (const [path, text] of pages) {
    await visit(page, path, text);
    await check(page, `page${path.replace(/\//g, '-')}`);
  }

  // GPUs: the quota request is a form on its own tab, not a dialog
  await page.goto('/gpus');
  await page.getByRole('tab', { name: '申请', exact: true }).click();
  await expect(page.getByRole('button', { name: '申请 GPU' })).toBeVisible();
  await check(page, 'form-gpu-request');

  // a template's form, with its own text in Chinese (templates/*: x-kubemate-i18n)
  await page.goto('/create/templates/default/kubemate-service');
  await expect(page.getByText('服务').first()).toBeVisible();
  await expect(page.getByLabel(/名称/).first()).toBeVisible();
  await check(page, 'template-kubemate-service');
});

test('the admin walks the RBAC pages, the role dialog, an inspection run and the local stack in Chinese', async ({
  browser,
}) => {
  const page = await signedInZh(browser, 'admin');
  await page.getByRole('link', { name: '权限管理', exact: true }).click();
  await expect(page.getByRole('tab', { name: '角色' })).toBeVisible();
  for (const tab of [
    '角色',
    '权限矩阵',
    '访问检查',
    '审计日志',
    'Kubernetes 同步',
  ]) {
    await page.getByRole('tab', { name: tab }).click();
    await expect(page.getByRole('tab', { name: tab })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await check(page, `rbac-${tab}`);
  }
  await page.getByRole('tab', { name: '角色' }).click();
  await dialog(page, 'dialog-rbac-create-role', async () => {
    await page.getByRole('button', { name: '创建角色' }).click();
  });
  // inspections: running one is the admins' (alice may not)
  await page.goto('/inspections');
  await dialog(page, 'dialog-inspections-run', async () => {
    await page.getByRole('button', { name: '立即运行' }).first().click();
  });
  await visit(page, '/local-stack', /本地/);
  await check(page, 'page-local-stack');
  // a server's log (the log's lines are the server's own words, in a <pre>)
  await dialog(page, 'dialog-local-stack-log', async () => {
    await page
      .getByRole('button', { name: /的日志$/, disabled: false })
      .first()
      .click();
  });
});
