import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, Page, test } from '@playwright/test';
import { stackStateFile } from '@kubemate/dev-stack';
import { signIn } from './signIn';

/*
 * The Local stack page end to end, on the real backend and the real dev stack: the backend reads
 * the progress file deploy/dev/stack.sh wrote while bringing the stack up (the overlay's
 * kubemate.devStack.progressFile). The admin (a bootstrap admin: localstack.server.read) sees
 * every server of the file with its state and sentence — in the e2e run the stack is up; while
 * another stack.sh up works the page follows the file — and
 * opens a server's log; alice, without the permission, sees the "not allowed" panel and no server.
 */

interface ProgressServer {
  id: string;
  title: string;
  state: string;
  log: string | null;
}

const progressFile = join(dirname(stackStateFile()), 'progress.json');

function readProgress(): { running: boolean; servers: ProgressServer[] } {
  return JSON.parse(readFileSync(progressFile, 'utf8'));
}

async function openPage(page: Page) {
  await page.goto('/local-stack');
  // the page's own header (the app's plugin header above it has the same title)
  await expect(
    page
      .getByRole('main')
      .getByRole('heading', { name: 'Local stack', exact: true }),
  ).toBeVisible();
}

test.beforeAll(() => {
  test.skip(
    !existsSync(progressFile),
    `${progressFile} does not exist: the stack was brought up by a stack.sh that writes no progress file`,
  );
});

test('the admin sees the stack servers as the progress file has them, and a log', async ({
  page,
}) => {
  const progress = readProgress();
  expect(progress.servers.length).toBeGreaterThan(0);
  await signIn(page, 'admin');
  await openPage(page);

  // The file changes while a stack.sh up works (the page reads it again every 3 s, else every
  // 15 s): compare the page with the file as it is now until they agree.
  await expect(async () => {
    const now = readProgress();
    const up = now.servers.filter(s => s.state === 'up');
    await expect(page.getByTestId('localstack-summary')).toContainText(
      `${up.length} of ${now.servers.length} servers up`,
      { timeout: 2_000 },
    );
    for (const s of now.servers) {
      const row = page
        .getByRole('row')
        .filter({ has: page.getByText(s.title, { exact: true }) })
        .first();
      await expect(row.getByTestId(`state-${s.state}`)).toBeVisible({
        timeout: 2_000,
      });
      if (s.state === 'up') {
        await expect(
          row.getByText(`${s.title} is up`, { exact: true }),
        ).toBeVisible({ timeout: 2_000 });
      }
    }
  }).toPass({ timeout: 90_000, intervals: [1_000, 3_000] });
  await page.screenshot({
    path: 'e2e/artifacts/local-stack.png',
    fullPage: true,
  });

  // A server whose log exists and has lines: the dialog shows the file's recent lines.
  const withLog = progress.servers.find(
    s =>
      s.log &&
      existsSync(s.log) &&
      readFileSync(s.log, 'utf8').trim().length > 0,
  );
  test.skip(!withLog, 'no server of the progress file has a log with lines');
  const lines = readFileSync(withLog!.log!, 'utf8').trimEnd().split('\n');
  // a line near the end now is still among the last 500 when the dialog reads it
  const recent = lines[Math.max(0, lines.length - 5)].trim();
  await page.getByRole('button', { name: `Log of ${withLog!.title}` }).click();
  const dialog = page.getByRole('dialog', { name: `Log of ${withLog!.title}` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText(withLog!.log!)).toBeVisible();
  await expect(dialog.getByTestId('log-text')).toContainText(recent);
  await dialog.getByRole('button', { name: 'Refresh' }).click();
  await expect(dialog.getByTestId('log-text')).toContainText(recent);
  await page.screenshot({ path: 'e2e/artifacts/local-stack-log.png' });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});

test('alice, without localstack.server.read, is told she may not see the local stack', async ({
  page,
}) => {
  await signIn(page, 'alice');
  await openPage(page);
  await expect(
    page.getByText('You are not allowed to see the local stack'),
  ).toBeVisible();
  await expect(
    page.getByText(/You do not have the permission localstack\.server\.read/),
  ).toBeVisible();
  await expect(page.getByTestId('localstack-summary')).toHaveCount(0);
  // the backend refuses her too (the page's gate only decides what the UI shows)
  const status = await page.evaluate(async () => {
    const res = await fetch('/api/localstack/servers');
    return res.status;
  });
  expect([401, 403]).toContain(status);
});
