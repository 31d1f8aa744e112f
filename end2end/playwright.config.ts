import { defineConfig, devices } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

// The release server made by `make build-release` (cargo leptos build --release), serving the
// browser build in GATEHOUSE_E2E_SITE (default: that release build's own, target/site).
const targetDir = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/gatehouse/target');
const root = resolve(__dirname, '..');
const port = 3100;
export const baseURL = `http://127.0.0.1:${port}`;
// A fresh SQLite database for every run.
const dataDir = process.env.GATEHOUSE_E2E_DATA ?? mkdtempSync(join(tmpdir(), 'gatehouse-e2e-'));
process.env.GATEHOUSE_E2E_DATA = dataDir;

/** The release server the tests start, from the repository root (it reads Leptos.toml there), and its settings when it serves `port` from `databaseUrl`. */
export const serverCommand = join(targetDir, 'release/server');
export const serverDirectory = root;
export function serverEnv(port: number, databaseUrl: string): Record<string, string> {
  const origin = `http://127.0.0.1:${port}`;
  return {
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: randomBytes(48).toString('base64'),
    PUBLIC_ORIGIN: origin,
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    LEPTOS_SITE_ROOT: join(root, process.env.GATEHOUSE_E2E_SITE ?? 'target/site'),
    LEPTOS_ENV: 'PROD',
    // The build's file names are in the hash file cargo-leptos wrote beside the server that
    // built them: another build's (the one-bundle run's) is named here.
    ...(process.env.GATEHOUSE_E2E_HASH_FILE ? { LEPTOS_HASH_FILE: process.env.GATEHOUSE_E2E_HASH_FILE } : {}),
    ACCESS_TOKEN_TTL_SECS: process.env.E2E_ACCESS_TOKEN_TTL_SECS ?? '8',
    RATE_LIMIT_SIGN_IN_PER_IP_PER_MINUTE: '10000',
    RATE_LIMIT_SIGN_UP_PER_IP_PER_HOUR: '10000',
    RUST_LOG: 'warn',
  };
}

// Debian's Chromium; Playwright's own browser download cannot work on these machines.
export const chromiumLaunch = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunch,
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunch } }],
  webServer: {
    command: serverCommand,
    cwd: serverDirectory,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: serverEnv(port, `sqlite://${join(dataDir, 'e2e.db')}?mode=rwc`),
  },
});
