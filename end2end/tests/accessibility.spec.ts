import AxeBuilder from '@axe-core/playwright';
import { test, expect, hydrated } from './fixtures';
import { createAccount, signIn } from './helpers';
import type { Page } from '@playwright/test';

/** The WCAG 2.1 A and AA rules axe can check: contrast, names, labels, landmarks, structure. */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id} (${violation.help}): ${node.target.join(' ')}`),
  );
}

async function chooseTheme(page: Page, theme: 'light' | 'dark') {
  await page.context().addCookies([{ name: 'gatehouse_theme', value: theme, url: page.url() }]);
}

test('every page meets WCAG 2.1 AA as axe checks it, in both colour schemes, signed out and in', async ({ page, request }) => {
  const { email } = await createAccount(request, 'Reader');
  await page.goto('/');
  for (const theme of ['light', 'dark'] as const) {
    await chooseTheme(page, theme);
    for (const path of ['/', '/signup', '/signin?expired=1&next=%2Fsettings', '/signin?created=1&email=reader%40example.com', '/no/such/page']) {
      await page.goto(path);
      await hydrated(page);
      expect(await violations(page), `${path}, ${theme}`).toEqual([]);
    }
    // With every field's message showing.
    await page.goto('/signup');
    await hydrated(page);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.locator('.field-error').first()).toBeVisible();
    expect(await violations(page), `/signup with its errors, ${theme}`).toEqual([]);
  }

  await signIn(page, email);
  await page.getByLabel('New task').fill('Water the plants');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByText('Water the plants')).toBeVisible();
  for (const theme of ['light', 'dark'] as const) {
    await chooseTheme(page, theme);
    await page.goto('/dashboard');
    await expect(page.getByText('Water the plants')).toBeVisible();
    expect(await violations(page), `/dashboard, ${theme}`).toEqual([]);
    await page.goto('/settings');
    await expect(page.getByText('This device')).toBeVisible();
    expect(await violations(page), `/settings, ${theme}`).toEqual([]);
  }
});
