import { test, expect, expectUnchangedByHydration, hydrated, watchForErrors } from './fixtures';
import { createAccount, signIn } from './helpers';

test('the landing page explains the product and hydrates', async ({ page, errors }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accounts that just work.');
  await expect(page.getByRole('link', { name: 'Gatehouse' })).toBeVisible();
  await hydrated(page);

  // The theme switch only responds once the WASM runs: it proves hydration.
  const toggle = page.getByTestId('theme-toggle');
  await expect(toggle).toHaveText('Theme: system');
  await toggle.click();
  await expect(toggle).toHaveText('Theme: dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

  // The choice survives a reload.
  await page.reload();
  await hydrated(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(errors).toEqual([]);
});

test('an unknown page shows the not-found page', async ({ page }) => {
  const errors = watchForErrors(page);
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await hydrated(page);
  // The browser reports the page's own 404 status; nothing else may appear.
  expect(errors.filter((error) => !error.includes('status of 404'))).toEqual([]);
});

test('every public page looks the same before its WASM has loaded as once hydrated', async ({ page }) => {
  const pages = ['/', '/signup', '/signin?expired=1&next=%2Fsettings', '/signin?created=1&email=ada%40example.com', '/no/such/page'];
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    for (const path of pages) {
      await expectUnchangedByHydration(page, path, `${path} at ${viewport.width} px`);
    }
  }
});

test('a chosen theme is on the page before its WASM has loaded', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  for (const path of ['/', '/signin']) {
    await expectUnchangedByHydration(page, path, path, async () => {
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
      await expect(page.getByTestId('theme-toggle')).toHaveText('Theme: dark');
    });
  }
});

test('a scheme chosen in one tab shows in the browser\'s other tabs at once', async ({ page, errors }) => {
  await page.goto('/');
  await hydrated(page);
  const other = await page.context().newPage();
  const otherErrors = watchForErrors(other);
  await other.goto('/signin');
  await hydrated(other);

  await page.getByTestId('theme-toggle').click();
  await expect(other.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(other.getByTestId('theme-toggle')).toHaveText('Theme: dark');
  // From there the other tab's switch goes on to the next scheme, not back to dark.
  await other.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(other.locator('html')).toHaveAttribute('data-theme', 'light');
  expect([...errors, ...otherErrors]).toEqual([]);
});

test('after moving to another page, the keyboard starts in its content', async ({ page, errors }) => {
  await page.goto('/');
  await hydrated(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign up' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/signup$/);
  await expect(page.locator('main')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Name')).toBeFocused();
  expect(errors).toEqual([]);
});

test('on a desktop and on a phone, the header is gone through by keyboard in the order it reads', async ({ page, request, errors }) => {
  /** The header's controls as Tab reaches them from the top of the page, with where each is drawn (left edge, vertical middle). */
  async function headerInTabOrder() {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const reached: { name: string; x: number; y: number }[] = [];
    for (;;) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const element = document.activeElement;
        if (!element || !element.closest('header')) return null;
        const box = element.getBoundingClientRect();
        return { name: element.textContent?.trim() ?? '', x: box.left, y: box.top + box.height / 2 };
      });
      if (!focused) return reached;
      reached.push(focused);
    }
  }
  const { email } = await createAccount(request, 'Reading Order');
  for (const signedIn of [false, true]) {
    if (signedIn) await signIn(page, email);
    for (const size of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
      await page.setViewportSize(size);
      await page.goto('/');
      await hydrated(page);
      const controls = await headerInTabOrder();
      expect(controls.length, `signed in: ${signedIn}, ${size.width} px`).toBe(signedIn ? 5 : 4);
      // Each control is below the one before it or on the same row to its right.
      for (const [previous, next] of controls.slice(1).map((next, i) => [controls[i], next])) {
        const sameRow = Math.abs(next.y - previous.y) < 8;
        expect(sameRow ? next.x > previous.x : next.y > previous.y,
          `"${next.name}" after "${previous.name}" (signed in: ${signedIn}, ${size.width} px)`).toBe(true);
      }
    }
  }
  expect(errors).toEqual([]);
});
