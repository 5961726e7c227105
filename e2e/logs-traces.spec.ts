import { expect, test } from '@playwright/test';
import { signIn } from './signIn';

/*
 * Logs and traces end to end, on the real backend, Loki and Jaeger of the dev stack fed by the demo
 * telemetry generator: alice opens payments-api → Logs, filters to errors, opens a line that
 * carries a trace id, jumps to that trace's waterfall, and back to the logs of that trace.
 */

test('alice goes from an error log line to its trace and back to its logs', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signIn(page, 'alice');
  await page.goto('/catalog/default/component/payments-api');
  await page.getByRole('link', { name: 'Logs', exact: true }).click();
  const list = page.getByRole('list', { name: /^Log lines \(\d+\)$/ });
  await expect(list).toBeVisible({ timeout: 60_000 });

  // errors only
  await page.locator('#logs-level').click();
  await page.getByRole('option', { name: 'error' }).click();
  await expect(
    page.getByText('{app="payments-api", level="error"}'),
  ).toBeVisible();
  const traced = list
    .getByRole('listitem')
    .filter({ hasText: '⧉ trace' })
    .first();
  await expect(async () => {
    await page.getByRole('button', { name: 'Run query' }).click();
    await expect(traced).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 120_000 });
  for (const item of await list.getByRole('listitem').all()) {
    await expect(item).toHaveAttribute('data-level', 'error');
  }

  await traced.click();
  const details = page.getByRole('dialog', { name: 'Log line' });
  await expect(details.getByText('Context (same stream)')).toBeVisible();
  const view = details.getByRole('link', { name: /^View trace / });
  const href = await view.getAttribute('href');
  const traceId = new URL(href!, 'http://x').searchParams.get('traceId')!;
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  await page.screenshot({
    path: 'e2e/artifacts/logs-payments-api.png',
    fullPage: true,
  });
  await view.click();

  // the trace's waterfall: payments-api's root span first, an error marked
  const waterfall = page.getByRole('table', { name: 'Trace waterfall' });
  await expect(waterfall).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(traceId)).toBeVisible();
  await expect(waterfall.getByRole('row').first()).toContainText(
    'payments-api',
  );
  await expect(waterfall.locator('[data-error="true"]').first()).toBeVisible();
  await page.screenshot({
    path: 'e2e/artifacts/traces-waterfall.png',
    fullPage: true,
  });

  // back to the logs of this trace
  await page.getByRole('link', { name: 'Logs for this trace' }).click();
  await expect(
    page.getByText(`{app="payments-api"} |= "${traceId}"`),
  ).toBeVisible();
  const lines = page
    .getByRole('list', { name: /^Log lines/ })
    .getByRole('listitem');
  await expect(lines.first()).toBeVisible({ timeout: 30_000 });
  for (const item of await lines.all())
    await expect(item).toContainText(traceId);
});
