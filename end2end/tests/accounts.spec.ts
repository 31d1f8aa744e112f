import { test, expect, allowWasm, blockWasm, hydrated, watchForErrors } from './fixtures';
import { PASSWORD, addTask, createAccount, holdRequests, openSignIn, screenshot, signIn, signInElsewhere, signInViaForm, storedToken, uniqueEmail, withTimeLeftInWindow } from './helpers';

test('US1: signing up validates in the browser and lands on sign-in with the email filled in', async ({ page, errors }) => {
  await page.goto('/signup');
  await hydrated(page);
  await screenshot(page, 'signup');
  // The password's rules are told before it is typed, and read out with the field.
  await expect(page.getByLabel('Password', { exact: true })).toHaveAccessibleDescription(
    'At least 8 characters, and not a commonly used password.',
  );

  const email = uniqueEmail('Ada');
  await page.getByLabel('Name').fill('Ada Lovelace');
  await page.getByLabel('Email').fill('ada-at-example');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('Confirm password').fill('different');
  await page.getByRole('button', { name: 'Create account' }).click();

  // The app's own messages, next to their fields; nothing was sent.
  await expect(page.getByText('Enter a valid email address.')).toBeVisible();
  await expect(page.getByText('Use at least 8 characters.')).toBeVisible();
  await expect(page.getByText('Passwords do not match.')).toBeVisible();
  await expect(page.getByLabel('Password', { exact: true })).toHaveAccessibleDescription(
    'At least 8 characters, and not a commonly used password. Use at least 8 characters.',
  );
  await expect(page).toHaveURL(/\/signup$/);
  // The keyboard is taken to the first field that needs fixing.
  await expect(page.getByLabel('Email')).toBeFocused();
  await screenshot(page, 'signup-errors');

  // Messages follow the corrections as they are typed.
  await page.getByLabel('Email').fill(email);
  await expect(page.getByText('Enter a valid email address.')).toHaveCount(0);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await expect(page.getByText('Use at least 8 characters.')).toHaveCount(0);
  await page.getByLabel('Confirm password').fill(PASSWORD);
  await expect(page.getByText('Passwords do not match.')).toHaveCount(0);

  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/signin\?/);
  await expect(page.getByText('Account created — sign in to continue.')).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await screenshot(page, 'signin-after-signup');
  expect(errors).toEqual([]);
});

test('US1: the server\'s refusals show next to the field (email taken, common password)', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Taken');
  await page.goto('/signup');
  await hydrated(page);
  await page.getByLabel('Name').fill('Someone');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('password123');
  await page.getByLabel('Confirm password').fill('password123');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText(/too common/)).toBeVisible();
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('An account with this email already exists.')).toBeVisible();
  await expect(page.getByLabel('Email')).toBeFocused();
  expect(errors).toEqual([]);
});

test('US2: signing in shows the dashboard; a wrong password shows the generic error', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Grace Hopper');
  await openSignIn(page);
  await screenshot(page, 'signin');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Enter your password.')).toBeVisible();
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
  await signInViaForm(page, email, 'not the password');
  await expect(page.getByText('Invalid email or password.')).toBeVisible();
  await screenshot(page, 'signin-error');

  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('profile-name')).toHaveText('Grace Hopper');
  await expect(page.getByTestId('profile-email')).toHaveText(email);
  await expect(page.getByTestId('user-name')).toHaveText('Grace Hopper');
  expect(errors).toEqual([]);
});

test('after five wrong passwords the account is locked, and the form says how long to wait in words', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Locked Out');
  const signInAnswer = () => page.waitForResponse((response) => response.url().endsWith('/api/auth/sign-in/email'));
  await withTimeLeftInWindow(15 * 60);
  await openSignIn(page);
  for (let attempt = 0; attempt < 5; attempt++) {
    const answered = signInAnswer();
    await signInViaForm(page, email, `wrong password ${attempt}`);
    expect((await answered).status()).toBe(401);
    await expect(page.getByText('Invalid email or password.')).toBeVisible();
  }
  // Even the right password is refused now, with the wait in seconds or whole minutes.
  const answered = signInAnswer();
  await signInViaForm(page, email);
  expect((await answered).status()).toBe(429);
  await expect(page.getByRole('alert').filter({ hasText: 'Too many attempts' })).toHaveText(
    // The window is the clock's, so the wait is anything from 1 second to 15 minutes.
    /^Too many attempts — try again in (1 second|[2-9] seconds|[1-8]\d seconds|([2-9]|1[0-5]) minutes)\.$/,
  );
  await expect(page).toHaveURL(/\/signin$/);
  expect(errors).toEqual([]);
});

test('US2: a password can be shown while it is typed, and is hidden again before the form is sent', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Shown');
  await openSignIn(page);
  const password = page.getByLabel('Password', { exact: true });
  const show = page.getByLabel('Show password');
  await expect(password).toHaveAttribute('type', 'password');
  await expect(show).not.toBeChecked();

  await page.getByLabel('Email').fill(email);
  await password.fill('not the password');
  await show.check();
  await expect(password).toHaveAttribute('type', 'text');
  await expect(password).toHaveValue('not the password');

  // What the field is when the request leaves: a password manager watching the submit must see a
  // password field.
  let typeWhenSent: string | null = null;
  await page.route('**/api/auth/sign-in/email', async (route) => {
    typeWhenSent = await password.getAttribute('type');
    await route.continue();
  });
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Invalid email or password.')).toBeVisible();
  expect(typeWhenSent).toBe('password');
  await expect(password).toHaveAttribute('type', 'password');
  await expect(show).not.toBeChecked();
  await expect(password).toHaveValue('not the password');

  // Where a form asks for a password twice, the box shows both.
  await page.goto('/signup');
  await hydrated(page);
  await page.getByLabel('Show passwords').check();
  await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('type', 'text');
  await expect(page.getByLabel('Confirm password')).toHaveAttribute('type', 'text');
  await expect(page.getByLabel('Email')).toHaveAttribute('type', 'email');
  expect(errors).toEqual([]);
});

test('before the page has hydrated, the sign-in and sign-up forms send nothing', async ({ page }) => {
  // Without its WASM the page stays the server's HTML. A form the browser submitted itself would
  // be a GET with every field, the password too, in the URL.
  await blockWasm(page);
  for (const path of ['/signin', '/signup']) {
    await page.goto(path);
    const submit = page.locator('form button[type="submit"]');
    await expect(submit).toBeDisabled();
    const submitted = page
      .waitForRequest((request) => request.isNavigationRequest(), { timeout: 2_000 })
      .then((request) => request.url(), () => null);
    await page.getByLabel('Email').fill('someone@example.com');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Password', { exact: true }).press('Enter');
    expect(await submitted, `${path}: Enter in the password field submitted the form`).toBeNull();
  }

  await allowWasm(page);
  await openSignIn(page);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
});

test('the server renders the sign-in form as it will be once hydrated', async ({ page }) => {
  const email = uniqueEmail('Ada');
  await blockWasm(page);
  await page.goto(`/signin?created=1&email=${encodeURIComponent(email)}`);
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await expect(page.getByLabel('Remember me')).toBeChecked();

  // Watched from here on: the aborted WASM logged errors of its own.
  const errors = watchForErrors(page);
  await allowWasm(page);
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await expect(page.getByLabel('Remember me')).toBeChecked();
  expect(errors).toEqual([]);
});

test('US3: dashboard requests carry the bearer; tasks survive a reload and stay private', async ({ page, browser, request, errors }) => {
  const ada = await createAccount(request, 'Ada');
  const apiRequests: { url: string; authorization?: string }[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname === '/api/me' || url.pathname.startsWith('/api/tasks')) {
      apiRequests.push({ url: url.pathname, authorization: req.headers()['authorization'] });
    }
  });
  const tasks = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/tasks');
  await signIn(page, ada.email);
  expect((await tasks).status()).toBe(200);
  await expect(page.getByText('No tasks yet. Add your first one above.')).toBeVisible();
  await screenshot(page, 'dashboard-empty');

  await page.getByLabel('New task').fill('Write the report');
  await page.getByRole('button', { name: 'Add' }).click();
  await page.getByLabel('New task').fill('Post the letter');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByTestId('task')).toHaveCount(2);

  // Complete one, rename the other, delete nothing yet.
  await page.getByRole('checkbox', { name: 'Complete “Write the report”' }).check();
  await expect(page.getByTestId('task').first()).toHaveClass(/done/);
  await page.getByRole('button', { name: 'Edit “Post the letter”' }).click();
  await page.getByLabel('Task title').fill('Post the parcel');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Post the parcel')).toBeVisible();
  await screenshot(page, 'dashboard-tasks');

  expect(apiRequests.length).toBeGreaterThan(3);
  for (const sent of apiRequests) {
    expect(sent.authorization, sent.url).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  }

  await page.reload();
  await expect(page.getByTestId('task')).toHaveCount(2);
  await expect(page.getByRole('checkbox', { name: 'Complete “Write the report”' })).toBeChecked();
  await expect(page.getByText('Post the parcel')).toBeVisible();

  await page.getByRole('button', { name: 'Delete “Post the parcel”' }).click();
  await expect(page.getByTestId('task')).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId('task')).toHaveCount(1);

  // Another person, in another browser, sees none of them.
  const bob = await createAccount(request, 'Bob');
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, bob.email);
  await expect(otherPage.getByText('No tasks yet. Add your first one above.')).toBeVisible();
  await other.close();
  expect(errors).toEqual([]);
});

test('a task typed while the one before it is saving is kept, and added next', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Quick');
  await signIn(page, email);
  await expect(page.getByText('No tasks yet. Add your first one above.')).toBeVisible();

  // The first task's save is held until the second is typed.
  const save = await holdRequests(page, '/api/tasks', 'POST');
  await page.getByLabel('New task').fill('Write the report');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByRole('button', { name: 'Add' })).toBeDisabled();
  await page.getByLabel('New task').fill('Post the letter');
  save.release();
  expect((await save.answered).status()).toBe(201);

  await expect(page.getByTestId('task')).toHaveCount(1);
  await expect(page.getByLabel('New task')).toHaveValue('Post the letter');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByTestId('task')).toHaveCount(2);
  await expect(page.getByTestId('task').nth(1)).toContainText('Post the letter');
  await expect(page.getByLabel('New task')).toHaveValue('');
  expect(errors).toEqual([]);
});

test('a title being edited stays open with what was typed while its task is ticked, and Edit starts again from the saved title', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Editor');
  await signIn(page, email);
  await addTask(page, 'Post the letter');
  const task = page.getByTestId('task');
  await expect(task).toHaveCount(1);

  await page.getByRole('button', { name: 'Edit “Post the letter”' }).click();
  await page.getByLabel('Task title').fill('Post the parcel');
  const ticked = page.waitForResponse((response) => response.request().method() === 'PATCH');
  await page.getByRole('checkbox', { name: 'Complete “Post the letter”' }).check();
  expect((await ticked).status()).toBe(200);
  await expect(task).toHaveClass(/done/);
  await expect(page.getByLabel('Task title')).toHaveValue('Post the parcel');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(task.locator('.task-title')).toHaveText('Post the parcel');
  await expect(page.getByRole('checkbox', { name: 'Complete “Post the parcel”' })).toBeChecked();

  await page.getByRole('button', { name: 'Edit “Post the parcel”' }).click();
  await page.getByLabel('Task title').fill('Something else');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(task.locator('.task-title')).toHaveText('Post the parcel');
  await page.getByRole('button', { name: 'Edit “Post the parcel”' }).click();
  await expect(page.getByLabel('Task title')).toHaveValue('Post the parcel');
  expect(errors).toEqual([]);
});

test('a title edited again while the one before it is saving stays open for the next Save', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Second Thoughts');
  await signIn(page, email);
  const { id } = await addTask(page, 'Post the letter');
  await page.getByRole('button', { name: 'Edit “Post the letter”' }).click();

  // The first save is held until the title has been edited again.
  const task = page.getByTestId('task');
  const save = await holdRequests(page, `/api/tasks/${id}`, 'PATCH');
  await page.getByLabel('Task title').fill('Post the parcel');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByLabel('Task title').fill('Post the parcels');
  save.release();
  expect((await save.answered).status()).toBe(200);
  await expect(page.getByLabel('Task title')).toHaveValue('Post the parcels');

  await page.getByRole('button', { name: 'Save' }).click();
  await expect(task.locator('.task-title')).toHaveText('Post the parcels');
  expect(errors).toEqual([]);
});

test('a task deleted on another device leaves the list when it is ticked or deleted here', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Two Devices');
  await signIn(page, email);
  const added = [await addTask(page, 'Write the report'), await addTask(page, 'Post the letter')];
  await expect(page.getByTestId('task')).toHaveCount(2);

  const headers = { Authorization: `Bearer ${await signInElsewhere(request, email)}` };
  for (const task of added) {
    expect((await request.delete(`/api/tasks/${task.id}`, { headers })).status()).toBe(204);
  }

  await page.getByRole('checkbox', { name: 'Complete “Write the report”' }).check();
  await expect(page.getByRole('alert').filter({ hasText: '“Write the report” was deleted elsewhere.' })).toBeVisible();
  await expect(page.getByTestId('task')).toHaveCount(1);

  await page.getByRole('button', { name: 'Delete “Post the letter”' }).click();
  await expect(page.getByText('No tasks yet. Add your first one above.')).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'deleted elsewhere' })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a full task list says so under the new-task field, and takes a task again once one is deleted', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Keeper');
  await signInElsewhere(request, email);
  for (let batch = 0; batch < 1_000; batch += 50) {
    // A token per batch, from the session cookie: the test servers' tokens live only seconds.
    const { token } = await (await request.post('/api/auth/token')).json();
    const headers = { Authorization: `Bearer ${token}` };
    await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        request.post('/api/tasks', { headers, data: { title: `Task ${batch + n + 1}` } }).then((response) => expect(response.status()).toBe(201)),
      ),
    );
  }
  await signIn(page, email);
  await expect(page.getByTestId('task')).toHaveCount(1_000);

  await page.getByLabel('New task').fill('One too many');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByText('You have 1,000 tasks, as many as an account keeps. Delete one to add another.')).toBeVisible();
  await expect(page.getByLabel('New task')).toHaveValue('One too many');
  await expect(page.getByTestId('task')).toHaveCount(1_000);

  await page.getByRole('button', { name: 'Delete “Task 1”', exact: true }).click();
  await expect(page.getByTestId('task')).toHaveCount(999);
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByTestId('task')).toHaveCount(1_000);
  await expect(page.getByText('One too many')).toBeVisible();
  expect(errors).toEqual([]);
});

test('the app asks who the person is once per page load, and not at all after signing in', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Asked Once');
  const asked: string[] = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname === '/api/me') asked.push(req.method());
  });

  // The sign-in's answer says who it is: the header and the dashboard show it without asking.
  await signIn(page, email);
  await expect(page.getByTestId('user-name')).toHaveText('Asked Once');
  await expect(page.getByText('No tasks yet. Add your first one above.')).toBeVisible();
  expect(asked).toEqual([]);

  // After a reload only the token is known: the header and the dashboard share one request.
  await page.reload();
  await expect(page.getByTestId('profile-name')).toHaveText('Asked Once');
  await expect(page.getByTestId('user-name')).toHaveText('Asked Once');
  await expect(page.getByText('No tasks yet. Add your first one above.')).toBeVisible();
  expect(asked).toEqual(['GET']);

  // Moving between the app's pages asks nothing again.
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByText('This device')).toBeVisible();
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByTestId('profile-name')).toHaveText('Asked Once');
  expect(asked).toEqual(['GET']);
  expect(errors).toEqual([]);
});

test('a new name given in settings shows at once in the header, on the dashboard and in the browser\'s other tabs', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Old Name');
  await signIn(page, email);
  const other = await page.context().newPage();
  const otherErrors = watchForErrors(other);
  // A page load: the field fills in once the one `GET /api/me` has answered.
  await other.goto('/settings');
  await expect(other.getByLabel('Name', { exact: true })).toHaveValue('Old Name');
  await page.goto('/settings');
  const name = page.getByLabel('Name', { exact: true });
  await expect(name).toHaveValue('Old Name');

  await name.fill('   ');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByText('Enter your name.')).toBeVisible();
  await expect(name).toBeFocused();
  await name.fill('  New Name ');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByText('Name saved.')).toBeVisible();
  await expect(name).toHaveValue('New Name');
  await expect(page.getByTestId('user-name')).toHaveText('New Name');
  await expect(other.getByLabel('Name', { exact: true })).toHaveValue('New Name');
  await expect(other.getByTestId('user-name')).toHaveText('New Name');
  await other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(other.getByTestId('profile-name')).toHaveText('New Name');
  await page.reload();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('New Name');
  expect([...errors, ...otherErrors]).toEqual([]);
});

test('a name edited again while the one before it is saving stays in the field', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Old Name');
  await signIn(page, email);
  await page.goto('/settings');
  const name = page.getByLabel('Name', { exact: true });
  await expect(name).toHaveValue('Old Name');

  // The first save is held until the name has been edited again.
  const save = await holdRequests(page, '/api/me', 'PATCH');
  await name.fill('New Nmae');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByRole('button', { name: 'Saving…' })).toBeDisabled();
  await name.fill('New Name');
  save.release();
  expect((await save.answered).status()).toBe(200);

  await expect(page.getByText('Name saved.')).toBeVisible();
  await expect(page.getByTestId('user-name')).toHaveText('New Nmae');
  await expect(name).toHaveValue('New Name');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByTestId('user-name')).toHaveText('New Name');
  await expect(name).toHaveValue('New Name');
  expect(errors).toEqual([]);
});

test('a protected page without a token goes to sign-in and comes back after it', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Returner');
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/signin\?next=%2Fsettings$/);
  await expect(page.getByRole('heading', { name: 'Settings' })).toHaveCount(0);
  await signInViaForm(page, email);
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByTestId('session')).toHaveCount(1);
  await expect(page.getByText('This device')).toBeVisible();
  await screenshot(page, 'settings');

  // Signed in, the sign-in and sign-up pages lead on: to their `next`, else the dashboard.
  await page.goto('/signin');
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/signup');
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/signin?next=%2Fsettings');
  await expect(page).toHaveURL(/\/settings$/);
  await page.goto('/signup?next=%2Fsettings');
  await expect(page).toHaveURL(/\/settings$/);
  expect(errors).toEqual([]);
});

test('someone sent to sign-in from a protected page who has no account yet signs up and still comes back to it', async ({ page, errors }) => {
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/signin\?next=%2Fsettings$/);
  await hydrated(page);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page).toHaveURL(/\/signup\?next=%2Fsettings$/);

  const email = uniqueEmail('Lin');
  await page.getByLabel('Name').fill('Lin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/signin\?created=1&email=[^&]+&next=%2Fsettings$/);

  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByText('This device')).toBeVisible();
  expect(errors).toEqual([]);
});

test('6: next=https://evil.example and next=//evil.example stay on the site', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Careful');
  for (const next of ['https://evil.example', '//evil.example', '/\\evil.example']) {
    await openSignIn(page, `?next=${encodeURIComponent(next)}`);
    await signInViaForm(page, email);
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:3100\/dashboard$/);
    await page.evaluate(() => localStorage.clear());
    await page.context().clearCookies();
  }
  expect(errors).toEqual([]);
});

test('7: a name full of markup renders as text', async ({ page, request, errors }) => {
  let dialogs = 0;
  page.on('dialog', async (dialog) => {
    dialogs += 1;
    await dialog.dismiss();
  });
  const name = '<img src=x onerror=alert(1)>';
  const { email } = await createAccount(request, name, uniqueEmail('markup'));
  await signIn(page, email);
  await expect(page.getByTestId('profile-name')).toHaveText(name);
  await expect(page.getByTestId('user-name')).toHaveText(name);
  await page.reload();
  await expect(page.getByTestId('profile-name')).toHaveText(name);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(dialogs).toBe(0);
  expect(errors).toEqual([]);
});

test('8: signing out forgets the token and closes the dashboard', async ({ page, request, errors }) => {
  const { email } = await createAccount(request, 'Leaver');
  await signIn(page, email);
  expect(await storedToken(page)).not.toBeNull();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  expect(await storedToken(page)).toBeNull();
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/signin\?next=%2Fdashboard$/);
  expect(errors).toEqual([]);
});

test('a signed-in person\'s pages show the signed-in header before their WASM has loaded', async ({ page, request }) => {
  const { email } = await createAccount(request, 'Regular');
  await signIn(page, email);
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const path of ['/', '/settings', '/signin']) {
    await blockWasm(page);
    await page.goto(path);
    await expect(nav.getByRole('button', { name: 'Sign out' }), path).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Sign in' }), path).toHaveCount(0);
    await allowWasm(page);
  }
  // Signed out, the next page is rendered signed out from the start.
  await page.goto('/dashboard');
  await hydrated(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await blockWasm(page);
  await page.goto('/');
  await expect(nav.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(nav.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
});

test('the landing page, signed in or not, looks finished', async ({ page, request, errors }) => {
  await page.goto('/');
  await hydrated(page);
  await screenshot(page, 'landing');
  const { email } = await createAccount(request, 'Viewer');
  await signIn(page, email);
  await page.goto('/');
  await hydrated(page);
  await expect(page.getByTestId('user-name')).toHaveText('Viewer');
  await screenshot(page, 'landing-signed-in');
  expect(errors).toEqual([]);
});

test('a name, an email and a task as long as the rules allow never make a page wider than the screen, nor push the header\'s links apart', async ({ page, request, errors }) => {
  const name = 'W'.repeat(100);
  const email = uniqueEmail('m'.repeat(60)).replace('@example.com', `@${'long-domain-name'.repeat(8)}.example.com`);
  await createAccount(request, name, email);
  await signIn(page, email);
  await page.getByLabel('New task').fill('T'.repeat(500));
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByText('T'.repeat(500))).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const size of [{ width: 1280, height: 800 }, { width: 700, height: 800 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(size);
    for (const path of ['/dashboard', '/settings', '/']) {
      await page.goto(path);
      await hydrated(page);
      await expect(page.getByTestId('user-name')).toHaveText(name);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${path} at ${size.width} px`).toBeLessThanOrEqual(0);
      // The name gives way, not the links: Sign out stays on the row of Dashboard and Settings.
      const dashboard = (await nav.getByRole('link', { name: 'Dashboard' }).boundingBox())!;
      const signOut = (await nav.getByRole('button', { name: 'Sign out' }).boundingBox())!;
      expect(Math.abs(signOut.y + signOut.height / 2 - (dashboard.y + dashboard.height / 2)),
        `Sign out beside Dashboard on ${path} at ${size.width} px`).toBeLessThan(4);
    }
  }
  await page.goto('/dashboard');
  await hydrated(page);
  await screenshot(page, 'dashboard-long-words');
  expect(errors).toEqual([]);
});
