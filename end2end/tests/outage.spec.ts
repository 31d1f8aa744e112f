import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { serverCommand, serverDirectory, serverEnv } from '../playwright.config';
import { test, expect, watchForErrors } from './fixtures';
import { PAST_EXPIRY_MS, addTask, createAccount, openSignIn, signIn, signInViaForm, storedToken } from './helpers';

// A server of its own on PostgreSQL, whose database these tests can take away and give back
// for real, as an outage or a restart does. The shared server stays on SQLite.
const POSTGRES = (process.env.GATEHOUSE_E2E_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/$/, '');
const PORT = 3101;
const ORIGIN = `http://127.0.0.1:${PORT}`;
// Named like the server tests' databases, so `make test-postgres` drops any left behind.
const DATABASE = `gatehouse_test_e2e_${randomUUID().replaceAll('-', '')}`;

/** Runs `statement` on the PostgreSQL server; its output, if it has one. */
function sql(statement: string): string {
  return execFileSync('psql', [`${POSTGRES}/postgres`, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', statement]).toString().trim();
}

/** Refuses new connections to the database and ends those open, until `restoreDatabase`. */
async function takeDatabaseAway() {
  sql(`ALTER DATABASE ${DATABASE} WITH ALLOW_CONNECTIONS false`);
  sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${DATABASE}'`);
  await expect.poll(() => sql(`SELECT count(*) FROM pg_stat_activity WHERE datname = '${DATABASE}'`)).toBe('0');
}

/** Lets the database take connections again, and waits until the server reaches it. */
async function restoreDatabase() {
  sql(`ALTER DATABASE ${DATABASE} WITH ALLOW_CONNECTIONS true`);
  await expect.poll(serverHealth).toBe(200);
}

async function serverHealth(): Promise<number | undefined> {
  return (await fetch(`${ORIGIN}/api/health`).catch(() => null))?.status;
}

/** The browser logs every 503 answer as an error: those are the outage; nothing else may be. */
function beyondTheOutage(errors: string[]): string[] {
  return errors.filter((error) => !/status of 503/.test(error));
}

/** What the app says wherever an answer was awaited during the outage. */
const UNAVAILABLE = 'The service is unavailable for a moment. Please try again shortly.';

let server: ChildProcess;

test.use({ baseURL: ORIGIN });

test.beforeAll(async () => {
  sql(`CREATE DATABASE ${DATABASE}`);
  server = spawn(serverCommand, { cwd: serverDirectory, env: { ...process.env, ...serverEnv(PORT, `${POSTGRES}/${DATABASE}`) }, stdio: 'ignore' });
  await expect.poll(serverHealth, { timeout: 30_000 }).toBe(200);
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  sql(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
});

test('an outage shows on the dashboard in words and signs nobody out, even once the access token has expired', async ({ page, request }) => {
  const errors = watchForErrors(page);
  const { email } = await createAccount(request, 'Outage');
  await signIn(page, email);
  const token = await storedToken(page);

  await takeDatabaseAway();
  await page.reload();
  await expect(page.locator('.profile > .alert')).toHaveText(UNAVAILABLE);
  await expect(page.locator('.tasks > .alert')).toHaveText(UNAVAILABLE);

  // With the token expired, the app asks for a new one, which the outage refuses too: that is
  // not the end of the session, so the person stays, token kept, on the page they were on.
  await page.waitForTimeout(PAST_EXPIRY_MS);
  await page.reload();
  await expect(page.locator('.profile > .alert')).toHaveText(UNAVAILABLE);
  await expect(page).toHaveURL(/\/dashboard$/);
  expect(await storedToken(page)).toBe(token);

  await restoreDatabase();
  await page.reload();
  await expect(page.getByTestId('profile-email')).toHaveText(email);
  await expect(page.getByText('No tasks yet.')).toBeVisible();
  expect(await storedToken(page)).not.toBe(token);
  expect(beyondTheOutage(errors)).toEqual([]);
});

test('a task ticked during an outage shows unticked again, with the reason', async ({ page, request }) => {
  const errors = watchForErrors(page);
  const { email } = await createAccount(request, 'Ticker');
  await signIn(page, email);
  await addTask(page, 'Water the plants');
  const box = page.getByRole('checkbox', { name: 'Complete “Water the plants”' });
  await expect(box).not.toBeChecked();

  await takeDatabaseAway();
  await box.click();
  await expect(page.locator('.tasks > .alert')).toHaveText(UNAVAILABLE);
  await expect(box).not.toBeChecked();
  await expect(page.getByTestId('task')).not.toHaveClass(/done/);

  await restoreDatabase();
  await box.click();
  await expect(page.getByTestId('task')).toHaveClass(/done/);
  await expect(page.locator('.tasks > .alert')).toHaveCount(0);
  await page.reload();
  await expect(box).toBeChecked();
  expect(beyondTheOutage(errors)).toEqual([]);
});

test('signing out during an outage still signs this browser out', async ({ page, request }) => {
  const errors = watchForErrors(page);
  const { email } = await createAccount(request, 'Leaving');
  await signIn(page, email);

  await takeDatabaseAway();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);

  // Once the database is back, the session the server could not revoke does not sign this
  // browser in again: its cookie is gone.
  await restoreDatabase();
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/signin\?next=%2Fdashboard$/);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign up' })).toBeVisible();
  expect(beyondTheOutage(errors)).toEqual([]);
});

test('a new tab during an outage says so, instead of asking a signed-in person to sign in', async ({ page, request }) => {
  const errors = watchForErrors(page);
  const { email } = await createAccount(request, 'Newtab');
  await openSignIn(page);
  await page.getByLabel('Remember me').uncheck();
  await signInViaForm(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);

  // Without "Remember me" the token stays in the tab that signed in: a new tab has only the
  // browser's cookie, and the server cannot say whether its session lives.
  await takeDatabaseAway();
  const tab = await page.context().newPage();
  const tabErrors = watchForErrors(tab);
  await tab.goto('/dashboard');
  await expect(tab.getByRole('alert')).toHaveText(UNAVAILABLE);
  await expect(tab).toHaveURL(/\/dashboard$/);
  await expect(tab.getByRole('button', { name: 'Sign out' })).toBeVisible();

  // Asking again while the database is still away gets the same answer, not a sign-in page.
  await Promise.all([
    tab.waitForResponse((response) => response.url().endsWith('/api/auth/token')),
    tab.getByRole('button', { name: 'Try again' }).click(),
  ]);
  await expect(tab.getByRole('alert')).toHaveText(UNAVAILABLE);
  await expect(tab).toHaveURL(/\/dashboard$/);

  await restoreDatabase();
  await tab.getByRole('button', { name: 'Try again' }).click();
  await expect(tab.getByTestId('profile-email')).toHaveText(email);
  expect(beyondTheOutage([...errors, ...tabErrors])).toEqual([]);
});
