// End-to-end tests: a real headless Chromium (Debian's, never a downloaded one) against the
// release build in ../../dist, served as static files the way any host would.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT || 8787);

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.mjs/,
  outputDir: './test-results',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    // The app is served from a sub-path, as from any static host.
    baseURL: `http://127.0.0.1:${port}/dist/`,
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic'],
    },
    viewport: { width: 1280, height: 800 },
  },
  webServer: {
    command: `python3 serve.py ${port} ../..`,
    url: `http://127.0.0.1:${port}/dist/index.html`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
