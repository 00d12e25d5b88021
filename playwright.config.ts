import { defineConfig, devices } from '@playwright/test';
import { findChromium } from './scripts/chromium-path.mjs';

const PORT = Number(process.env.E2E_PORT || 5199);
export const BASE_URL = `http://127.0.0.1:${PORT}`;
/** The one spec that changes the simulator's settings (shared by every test of a run). */
const SETTINGS_SPEC = /simulator-settings\.e2e\.ts$/;
const DRILLS_SPEC = /drills\.e2e\.ts$/;
/** Floods the shared capture: alone, after everything else. */
const OVERFLOW_SPEC = /traffic-overflow\.e2e\.ts$/;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.e2e.ts',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  timeout: 30_000,
  use: {
    baseURL: BASE_URL,
    ...devices['Desktop Chrome'],
    launchOptions: {
      executablePath: findChromium() ?? undefined,
      args: [
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    permissions: ['clipboard-read', 'clipboard-write'],
    trace: 'off',
  },
  projects: [
    // Everything that relies on the simulator's default settings, two workers in parallel.
    { name: 'main', testIgnore: [SETTINGS_SPEC, DRILLS_SPEC, OVERFLOW_SPEC] },
    // Tests that change the shared simulator's settings: alone, one at a time, after the rest.
    {
      name: 'simulator-settings',
      testMatch: SETTINGS_SPEC,
      dependencies: ['main'],
      fullyParallel: false,
    },
    // The failure drills move the same simulator: after the settings tests, never beside them.
    {
      name: 'drills',
      testMatch: DRILLS_SPEC,
      dependencies: ['simulator-settings'],
      fullyParallel: false,
    },
    // More calls than a Traffic view lists: other tests' rows would be pushed out of their views.
    {
      name: 'capture-overflow',
      testMatch: OVERFLOW_SPEC,
      dependencies: ['drills'],
      fullyParallel: false,
    },
  ],
  webServer: {
    command: 'node --import tsx src/server/main.ts',
    url: `${BASE_URL}/api/config`,
    reuseExistingServer: false,
    env: {
      PORT: String(PORT),
      LOG_FILE: 'e2e-logs/server.log',
      LOG_REQUESTS: '0',
      // Short enough for simulator-settings.e2e.ts to drill a timeout in seconds.
      UPSTREAM_TIMEOUT_MS: '5000',
    },
    stdout: 'ignore',
    stderr: 'pipe',
    timeout: 60_000,
  },
});
