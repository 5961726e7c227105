import { defineConfig } from '@playwright/test';

/**
 * Browser tests for Kubemate Portal, run by `./kubemate test` against a running portal (the test
 * runner builds the app and starts the backend, which serves it on :7007). Chromium comes from
 * Debian (/usr/bin/chromium); Playwright never downloads a browser here.
 */
export default defineConfig({
  testDir: './e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e/artifacts/report' }],
  ],
  outputDir: 'e2e/artifacts/results',
  use: {
    baseURL: process.env.KUBEMATE_PORTAL_URL ?? 'http://localhost:7007',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.KUBEMATE_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
