import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { hydrated } from './fixtures';

export const PASSWORD = 'violet staple gorilla';
/** The access tokens' lifetime on the test servers, and a wait that outlasts it and the server's 5 s verification leeway. */
export const ACCESS_TOKEN_TTL_MS = Number(process.env.E2E_ACCESS_TOKEN_TTL_SECS ?? '8') * 1000;
export const PAST_EXPIRY_MS = ACCESS_TOKEN_TTL_MS + 6_000;

export function uniqueEmail(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z]/g, '') || 'user'}-${randomUUID().slice(0, 8)}@example.com`;
}

/** Creates an account through the API (for tests about what comes after sign-up). */
export async function createAccount(request: APIRequestContext, name: string, email = uniqueEmail(name)) {
  const response = await request.post('/api/auth/sign-up/email', { data: { name, email, password: PASSWORD } });
  expect(response.status()).toBe(201);
  return { name, email };
}

/** Signs in through the API from a separate client (another device); returns its access token. */
export async function signInElsewhere(request: APIRequestContext, email: string, password = PASSWORD): Promise<string> {
  const response = await request.post('/api/auth/sign-in/email', { data: { email, password } });
  expect(response.status()).toBe(200);
  return (await response.json()).token;
}

/** The status `GET /api/me` answers a device holding `token`: 200 while its session lives, 401 once it is signed out. */
export async function profileStatus(request: APIRequestContext, token: string): Promise<number> {
  const response = await request.get('/api/me', { headers: { Authorization: `Bearer ${token}` } });
  return response.status();
}

/**
 * Limits count in fixed windows aligned to the clock (the account lock-out's is a quarter hour).
 * A test that needs all its requests in one window waits for a fresh one if the current one ends
 * within 30 seconds, so a slow run cannot straddle two and find its count started again.
 */
export async function withTimeLeftInWindow(windowSecs: number) {
  const left = windowSecs - (Math.floor(Date.now() / 1000) % windowSecs);
  if (left <= 30) await new Promise((resolve) => setTimeout(resolve, (left + 1) * 1000));
}

/** Fills and submits the sign-in form the way a person would. */
export async function signInViaForm(page: Page, email: string, password = PASSWORD) {
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function openSignIn(page: Page, query = '') {
  await page.goto(`/signin${query}`);
  await hydrated(page);
}

/** Signs in from the sign-in page and waits for the dashboard. */
export async function signIn(page: Page, email: string) {
  await openSignIn(page);
  await signInViaForm(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('profile-email')).toHaveText(email);
}

/** Adds a task from the dashboard's form and waits until it is saved; the task as the server keeps it. */
export async function addTask(page: Page, title: string): Promise<{ id: string; title: string }> {
  const saved = page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/tasks');
  await page.getByLabel('New task').fill(title);
  await page.getByRole('button', { name: 'Add' }).click();
  expect((await saved).status()).toBe(201);
  return (await saved).json();
}

export async function storedToken(page: Page): Promise<string | null> {
  return page.evaluate(() => localStorage.getItem('gatehouse.token'));
}

export async function screenshot(page: Page, name: string) {
  for (const [label, size] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `screenshots/${name}-${label}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/**
 * Holds the page's `method` requests to `path` until `release()` is called: for what a person does
 * while a request is in flight. `answered` is the first such response, once released.
 */
export async function holdRequests(page: Page, path: string, method: string) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(`**${path}`, async (route) => {
    if (route.request().method() === method) await held;
    await route.continue();
  });
  const answered = page.waitForResponse((response) => new URL(response.url()).pathname === path && response.request().method() === method);
  return { release, answered };
}
