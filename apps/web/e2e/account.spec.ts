import { expect, test } from '@playwright/test';
import { PASSWORD, registerViaApi } from './helpers.ts';

test('settings: change the display name and the password', async ({ browser }) => {
  const ctx = await browser.newContext();
  const who = await registerViaApi(ctx.request, 'Dana Rename', 'coach');
  const page = await ctx.newPage();
  await page.goto('/settings/account');

  await page.getByLabel('Display name').fill('Dana Fieldside');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByText('Name saved.')).toBeVisible();
  await expect(page.getByTestId('user-name')).toHaveText('Dana Fieldside');
  await page.getByLabel('Display name').fill('');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.locator('#display-name-error')).toHaveText('Display name is required.');

  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel('New password').fill('a brand new password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#current-password-error')).toHaveText('That is not your current password.');
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed. Your other devices have been signed out.')).toBeVisible();
  await expect(page.getByLabel('Current password')).toHaveValue('');

  // The new password signs in; the old one no longer does.
  const fresh = await browser.newContext();
  const old = await fresh.request.post('/api/v1/auth/login', {
    data: { email: who.email, password: PASSWORD },
  });
  expect(old.status()).toBe(401);
  const now = await fresh.request.post('/api/v1/auth/login', {
    data: { email: who.email, password: 'a brand new password' },
  });
  expect(now.status()).toBe(200);
  await fresh.close();
  await ctx.close();
});
