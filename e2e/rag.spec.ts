import { expect, test } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { signIn } from './signIn';

/*
 * The knowledge assistant end to end, on the real backend with the real Ollama, Milvus, MinIO and
 * Redis of the dev stack, and the demo knowledge bases bootstrapped from deploy/dev/seed/rag:
 * alice (team-payments) uploads a small runbook into payments-runbooks, watches its progress bar
 * through ingestion to ready, asks a question only that runbook answers, sees the answer stream
 * (data-state streaming → done) with a citation of it, and the citation opens the passage with the
 * runbook's text. team-risk's knowledge base is nowhere in her picker or list.
 *
 * Re-runnable against a portal whose database outlives the run: the runbook's file name carries the
 * run's time, and alice deletes it at the end. Test ids: plugins/rag/README.md.
 */

const COLLECTION = 'payments-runbooks';
const OTHER_TEAMS_COLLECTION = 'risk-runbooks';
const STAMP = Date.now().toString(36);
const FILENAME = `e2e-payments-fx-rates-${STAMP}.md`;
/** A fact no seeded runbook states: only the uploaded document answers the question. */
const FACT =
  'The payments-fx exchange rate cache is refreshed every 17 minutes by the CronJob fx-rate-refresh.';
const RUNBOOK = `# payments-fx: exchange rate cache

Owner: team-payments · Service: payments-fx in payments-dev and payments-prod

## Refresh schedule

${FACT} A refresh downloads the rates of the European Central Bank reference feed and keeps the
previous rates when the feed is unreachable.

## Forcing a refresh

When a currency shows a stale rate, start a refresh by hand:
\`kubectl -n payments-prod create job --from=cronjob/fx-rate-refresh fx-manual-${STAMP}\`.
`;
const QUESTION = 'How often does payments-fx refresh its exchange rate cache?';

test('alice uploads a runbook, watches it ingest, asks it a question and opens the cited passage; she never sees team-risk’s knowledge base', async ({
  page,
}, testInfo) => {
  test.setTimeout(600_000);
  const file = testInfo.outputPath(FILENAME);
  writeFileSync(file, RUNBOOK);

  await signIn(page, 'alice');

  // her knowledge bases: payments', never risk's
  await page.goto('/knowledge/collections');
  await expect(page.getByTestId(`rag-collection-${COLLECTION}`)).toBeVisible();
  await expect(
    page.getByTestId(`rag-collection-${OTHER_TEAMS_COLLECTION}`),
  ).toHaveCount(0);

  // upload into the bootstrapped payments-runbooks; one progress bar follows it to ready
  await page.goto(`/knowledge/collections/${COLLECTION}`);
  const uploaded = page.waitForResponse(
    r =>
      r.request().method() === 'POST' &&
      new URL(r.url()).pathname ===
        `/api/rag/collections/${COLLECTION}/documents`,
  );
  await page.getByTestId('rag-upload-input').setInputFiles(file);
  const response = await uploaded;
  expect(response.status()).toBe(202);

  const progress = page.getByTestId(`rag-upload-progress-${FILENAME}`);
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute('data-state', 'ready', {
    timeout: 300_000,
  });
  await expect(progress).toContainText(/Ready · \d+ chunks?/);
  // its row (the upload's response body is not kept by Chromium once the page re-renders)
  const row = page
    .getByTestId(/^rag-document-[a-f0-9]+$/)
    .filter({ hasText: FILENAME });
  await expect(row).toHaveAttribute('data-status', 'ready');
  const documentId = (await row.getAttribute('data-testid'))!.replace(
    'rag-document-',
    '',
  );

  // ask: the picker offers payments-runbooks and not risk-runbooks
  await page.goto('/knowledge');
  await expect(page.getByTestId('rag-collection-picker')).toBeVisible();
  await expect(
    page.getByTestId(`rag-collection-option-${COLLECTION}`),
  ).toBeChecked();
  await expect(
    page.getByTestId(`rag-collection-option-${OTHER_TEAMS_COLLECTION}`),
  ).toHaveCount(0);
  await expect(page.getByTestId('rag-collection-picker')).not.toContainText(
    'Risk runbooks',
  );

  await page.getByTestId('rag-question').fill(QUESTION);
  const asked = page.waitForResponse(
    r =>
      r.request().method() === 'POST' &&
      new URL(r.url()).pathname === '/api/rag/query',
  );
  await page.getByTestId('rag-ask').click();
  const query = await asked;
  expect(query.status()).toBe(200);
  expect(query.headers()['content-type']).toContain('text/event-stream');

  // the answer streams in, then completes (the collection changed with the upload: not cached)
  const answer = page.getByTestId('rag-answer');
  await expect(answer).toHaveAttribute('data-state', 'streaming');
  await expect(answer).toHaveAttribute('data-state', 'done', {
    timeout: 180_000,
  });
  await expect(page.getByTestId('rag-answer-text')).not.toBeEmpty();
  await expect(page.getByTestId('rag-cached')).toHaveCount(0);
  await expect(page).toHaveURL(/[?&]answer=/);

  // a citation of the uploaded runbook opens its passage
  const citation = page
    .getByTestId(/^rag-citation-\d+$/)
    .filter({ hasText: FILENAME })
    .first();
  await expect(citation).toBeVisible();
  await citation.click();
  const passage = page.getByTestId('rag-passage');
  await expect(passage).toBeVisible();
  await expect(passage).toContainText(FILENAME);
  await expect(page.getByTestId('rag-passage-text')).toContainText(
    'refreshed every 17 minutes',
  );
  await page.getByTestId('rag-passage-close').click();
  await expect(passage).toBeHidden();

  // clean up: the runbook leaves the knowledge base again
  await page.goto(`/knowledge/collections/${COLLECTION}`);
  await page.getByTestId(`rag-document-delete-${documentId}`).click();
  await page.getByTestId('rag-confirm').click();
  await expect(page.getByTestId(`rag-document-${documentId}`)).toHaveCount(0);
});
