import { chromium } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { baseURL, chromiumLaunch } from '../playwright.config';
import { test, expect, hydrated, watchForErrors } from './fixtures';
import { ACCESS_TOKEN_TTL_MS, PAST_EXPIRY_MS, PASSWORD, createAccount, openSignIn, profileStatus, signIn, signInElsewhere, signInViaForm, storedToken } from './helpers';

/** Starts Chromium on a profile kept on disk, as a person opens their browser; its first tab. */
async function openBrowser(profile: string) {
  const browser = await chromium.launchPersistentContext(profile, { ...chromiumLaunch, baseURL });
  const page = browser.pages()[0] ?? (await browser.newPage());
  return { browser, page, errors: watchForErrors(page) };
}

test('US4: closing and reopening the browser keeps the person signed in', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'gatehouse-profile-'));
  const { browser: first, page, errors } = await openBrowser(profile);
  const { email } = await createAccount(first.request, 'Persistent');
  await signIn(page, email);
  await first.close();

  const { browser: again, page: reopened, errors: errorsAgain } = await openBrowser(profile);
  await reopened.goto('/dashboard');
  await expect(reopened).toHaveURL(/\/dashboard$/);
  await expect(reopened.getByTestId('profile-email')).toHaveText(email);
  await again.close();
  expect([...errors, ...errorsAgain]).toEqual([]);
});

test('without "Remember me", closing the browser signs the person out, while its other tabs stay signed in', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'gatehouse-profile-'));
  const { browser: first, page, errors } = await openBrowser(profile);
  const { email } = await createAccount(first.request, 'Passerby');
  await openSignIn(page);
  await page.getByLabel('Remember me').uncheck();
  await signInViaForm(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  expect(await storedToken(page)).toBeNull();

  const tab = await first.newPage();
  const tabErrors = watchForErrors(tab);
  await tab.goto('/dashboard');
  await expect(tab.getByTestId('profile-email')).toHaveText(email);
  await first.close();

  // Reopened at once, well within the access token's lifetime.
  const { browser: again, page: reopened, errors: errorsAgain } = await openBrowser(profile);
  await reopened.goto('/dashboard');
  await expect(reopened).toHaveURL(/\/signin\?next=%2Fdashboard$/);
  await expect(reopened.getByText('Your session has expired.')).toHaveCount(0);
  expect(await storedToken(reopened)).toBeNull();
  await again.close();
  expect([...errors, ...tabErrors, ...errorsAgain]).toEqual([]);
});

test('signing out in one tab signs out the browser\'s other tabs at once', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Tabs');
  await signIn(page, email);
  const other = await page.context().newPage();
  const otherErrors = watchForErrors(other);
  await other.goto('/settings');
  await expect(other.getByText('This device')).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  // Without a click or a request of its own, the other tab asks for sign-in to come back.
  await expect(other).toHaveURL(/\/signin\?next=%2Fsettings$/);
  await expect(other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect([...errors, ...otherErrors]).toEqual([]);
});

test('signing in in one tab signs in the browser\'s other tabs at once, each going where it was going', async ({ page, request, errors }) => {
  const { name, email } = await createAccount(request, 'Arrival');
  await page.goto('/');
  await hydrated(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).click();
  const other = await page.context().newPage();
  const otherErrors = watchForErrors(other);
  await openSignIn(other, '?expired=1&next=%2Fsettings');

  // Without "Remember me" the token stays in the tab that signed in: the other takes the session from the cookie.
  await page.getByLabel('Remember me').uncheck();
  await signInViaForm(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(other).toHaveURL(/\/settings$/);
  await expect(other.getByText('This device')).toBeVisible();
  await expect(other.getByTestId('user-name')).toHaveText(name);

  // Back from where sign-in led skips the filled-in form.
  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  expect([...errors, ...otherErrors]).toEqual([]);
});

test('a tab showing one account, when another tab signs in to a different one, starts over as that one', async ({ page, request, errors }) => {
  const former = await createAccount(request, 'Former');
  const latter = await createAccount(request, 'Latter');
  await signIn(page, former.email);
  await page.getByLabel('New task').fill('Former\'s errand');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByText('Former\'s errand')).toBeVisible();
  const other = await page.context().newPage();
  const otherErrors = watchForErrors(other);
  // The browser's cookies and storage are cleared while the first tab stays open on the dashboard.
  await other.goto('/');
  await page.context().clearCookies();
  await other.evaluate(() => localStorage.clear());
  await openSignIn(other);

  await signInViaForm(other, latter.email);
  await expect(other).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('profile-email')).toHaveText(latter.email);
  await expect(page.getByTestId('user-name')).toHaveText(latter.name);
  await expect(page.getByText('Former\'s errand')).toHaveCount(0);
  expect([...errors, ...otherErrors]).toEqual([]);
});

test('US5: an expired token renews silently; a revoked session goes to sign-in and back', async ({ page, request, errors }) => {
  test.setTimeout(90_000);
  const { email } = await createAccount(request, 'Traveller');
  await signIn(page, email);

  // Past the access token's lifetime the dashboard keeps working: one silent renewal.
  await page.waitForTimeout(PAST_EXPIRY_MS);
  const renewals: string[] = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname === '/api/auth/token') renewals.push(req.method());
  });
  await page.getByLabel('New task').fill('Still working');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByText('Still working')).toBeVisible();
  expect(renewals).toEqual(['POST']);

  // Several requests failing together cause one renewal, not one each.
  await page.waitForTimeout(PAST_EXPIRY_MS);
  renewals.length = 0;
  await page.reload();
  await expect(page.getByText('Still working')).toBeVisible();
  await expect(page.getByTestId('profile-email')).toHaveText(email);
  expect(renewals).toEqual(['POST']);

  // Another device signs this one out.
  const otherToken = await signInElsewhere(request, email);
  const sessions = await (await request.get('/api/auth/list-sessions', { headers: { Authorization: `Bearer ${otherToken}` } })).json();
  const browserSession = sessions.find((session: { current: boolean }) => !session.current);
  const revoked = await request.post('/api/auth/revoke-session', {
    headers: { Authorization: `Bearer ${otherToken}` },
    data: { id: browserSession.id },
  });
  expect(revoked.status()).toBe(200);

  // The next action lands on sign-in with the message, and signing in returns to the dashboard.
  await page.getByLabel('New task').fill('After revocation');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page).toHaveURL(/\/signin\?expired=1&next=%2Fdashboard$/);
  await expect(page.getByText('Your session has expired. Please sign in again.')).toBeVisible();
  expect(await storedToken(page)).toBeNull();
  await signInViaForm(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText('Still working')).toBeVisible();
  expect(errors).toEqual([]);
});

test('the session list signs out other devices, and offers it only while there are any', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Manager');
  const otherToken = await signInElsewhere(request, email);
  await signIn(page, email);
  await page.goto('/settings');
  await expect(page.getByTestId('session')).toHaveCount(2);
  await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await expect(page.getByTestId('session')).toHaveCount(1);
  expect(await profileStatus(request, otherToken)).toBe(401);
  // With nowhere else signed in, there is nothing to offer.
  await expect(page.getByRole('button', { name: 'Sign out everywhere else' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByText('This device')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out everywhere else' })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a device already signed out elsewhere just leaves the list when it is signed out here', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Elsewhere');
  const otherToken = await signInElsewhere(request, email);
  await signIn(page, email);
  await page.goto('/settings');
  await expect(page.getByTestId('session')).toHaveCount(2);

  // The other device signs itself out while this list still shows it.
  const signedOut = await request.post('/api/auth/sign-out', { headers: { Authorization: `Bearer ${otherToken}` } });
  expect(signedOut.status()).toBe(200);
  const revoked = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/auth/revoke-session');
  await page.getByTestId('session').filter({ hasNotText: 'This device' }).getByRole('button', { name: 'Sign out' }).click();
  expect((await revoked).status()).toBe(404);
  await expect(page.getByTestId('session')).toHaveCount(1);
  await expect(page.getByText('This device')).toBeVisible();
  await expect(page.getByRole('region', { name: "Where you're signed in" }).getByRole('alert')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('changing the password in settings signs the other devices out, unless the person unticks it', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Changer');
  const otherDevice = await signInElsewhere(request, email);
  await signIn(page, email);
  await page.goto('/settings');
  await expect(page.getByTestId('session')).toHaveCount(2);
  await expect(page.getByLabel('Sign out my other devices')).toBeChecked();

  // The same password again is no change: the form says so before sending anything.
  let changeRequests = 0;
  page.on('request', (sent) => {
    if (sent.url().endsWith('/api/auth/change-password')) changeRequests += 1;
  });
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm new password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Choose a password other than your current one.')).toBeVisible();
  await expect(page.getByLabel('New password', { exact: true })).toBeFocused();
  expect(changeRequests).toBe(0);

  // The form's box shows its own three fields, not the delete form's.
  await page.getByLabel('Show passwords').check();
  await expect(page.getByLabel('Current password')).toHaveAttribute('type', 'text');
  await expect(page.getByLabel('New password', { exact: true })).toHaveAttribute('type', 'text');
  await expect(page.getByLabel('Confirm new password')).toHaveAttribute('type', 'text');
  await expect(page.getByLabel('Your password')).toHaveAttribute('type', 'password');

  await page.getByLabel('Current password').fill('wrong password');
  await page.getByLabel('New password', { exact: true }).fill('a brand new secret');
  await page.getByLabel('Confirm new password').fill('a brand new secret');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('The current password is incorrect.')).toBeVisible();
  await expect(page.getByLabel('Current password')).toBeFocused();
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed. Your other devices are signed out.')).toBeVisible();
  // The list follows at once, and the other device's token no longer opens anything.
  await expect(page.getByTestId('session')).toHaveCount(1);
  await expect(page.getByText('This device')).toBeVisible();
  expect(await profileStatus(request, otherDevice)).toBe(401);
  const withNewPassword = await request.post('/api/auth/sign-in/email', { data: { email, password: 'a brand new secret' } });
  expect(withNewPassword.status()).toBe(200);

  // Unticked, the other devices stay signed in.
  const stillSignedIn = await signInElsewhere(request, email, 'a brand new secret');
  await page.reload();
  await expect(page.getByTestId('session')).toHaveCount(3);
  await page.getByLabel('Sign out my other devices').uncheck();
  await page.getByLabel('Current password').fill('a brand new secret');
  await page.getByLabel('New password', { exact: true }).fill('another fresh secret');
  await page.getByLabel('Confirm new password').fill('another fresh secret');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed.', { exact: true })).toBeVisible();
  await expect(page.getByTestId('session')).toHaveCount(3);
  expect(await profileStatus(request, stillSignedIn)).toBe(200);
  expect(errors).toEqual([]);
});

test('deleting the account asks for the password, then signs out every tab and device', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Departing');
  const otherDevice = await signInElsewhere(request, email);
  await signIn(page, email);
  const otherTab = await page.context().newPage();
  const otherTabErrors = watchForErrors(otherTab);
  await otherTab.goto('/dashboard');
  await expect(otherTab.getByTestId('profile-email')).toHaveText(email);
  await page.goto('/settings');

  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page.getByText('Enter your password to confirm.')).toBeVisible();
  await page.getByLabel('Your password').fill('not my password');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page.getByText('The password is incorrect.')).toBeVisible();
  await expect(page.getByLabel('Your password')).toBeFocused();
  expect(await profileStatus(request, otherDevice)).toBe(200);

  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page).toHaveURL(/\/\?deleted=1$/);
  await expect(page.getByText('Your account and its tasks are deleted.')).toBeVisible();
  expect(await storedToken(page)).toBeNull();
  await expect(otherTab).toHaveURL(/\/signin\?next=%2Fdashboard$/);
  expect(await profileStatus(request, otherDevice)).toBe(401);
  // The account is gone, not just signed out: its password opens nothing.
  await signInViaForm(otherTab, email);
  await expect(otherTab.getByText('Invalid email or password.')).toBeVisible();
  expect([...errors, ...otherTabErrors]).toEqual([]);
});

test('the access token verifies with an independent JWT library against the JWKS', async ({ request }) => {
  const { email } = await createAccount(request, 'Verifier');
  const token = await signInElsewhere(request, email);
  const jwks = await (await request.get('/.well-known/jwks.json')).json();
  const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), {
    issuer: baseURL,
    audience: 'gatehouse',
    algorithms: ['EdDSA'],
  });
  expect(protectedHeader.alg).toBe('EdDSA');
  expect(typeof payload.sub).toBe('string');
  expect(typeof payload.sid).toBe('string');
  expect(payload.exp! - payload.iat!).toBe(ACCESS_TOKEN_TTL_MS / 1000);
});

test.describe('in Paris, with British English', () => {
  test.use({ locale: 'en-GB', timezoneId: 'Europe/Paris' });

  test('the session list gives its times on the person\'s own clock, as their language writes them', async ({ page, request, errors }) => {
    const { email } = await createAccount(request, 'Parisienne');
    await signIn(page, email);
    await page.goto('/settings');
    const token = await storedToken(page);
    const [session] = await (await request.get('/api/auth/list-sessions', { headers: { Authorization: `Bearer ${token}` } })).json();
    const parisTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' });
    // For example "Signed in 28 Nov 2026, 07:50".
    await expect(page.getByTestId('session')).toContainText(`Signed in ${parisTime.format(new Date(session.createdAt))} · last seen`);
    await expect(page.getByTestId('session')).not.toContainText('UTC');
    expect(errors).toEqual([]);
  });
});
