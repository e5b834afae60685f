import { expect, test } from '@playwright/test';
import { PASSWORD, registerViaApi, snap } from './helpers.ts';
import { linkIn, mailTo } from './mailbox.ts';

test('forgot password: the link mailed over SMTP sets a new password, once', async ({ browser }) => {
  const setup = await browser.newContext();
  const who = await registerViaApi(setup.request, 'Robin Forgetful', 'athlete');
  await setup.close();

  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto('/login');
  await page.getByTestId('forgot-password-link').click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel('Email').fill('not an address');
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.locator('#email-error')).toHaveText('Enter the email address you sign in with.');
  await page.getByLabel('Email').fill(who.email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByText('Check your email')).toBeVisible();
  await snap(page, 'forgot-password-sent');

  const mail = await mailTo(who.email, 'Reset your Athlete Platform password');
  const link = linkIn(mail, '/reset-password');
  await page.goto(link);
  await page.getByLabel('New password').fill('short');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.locator('#new-password-error')).toBeVisible();
  await page.getByLabel('New password').fill('a brand new e2e password');
  await snap(page, 'reset-password');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByText('Password changed')).toBeVisible();

  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect(page.getByText('Your password was changed. Sign in with the new one.')).toBeVisible();
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Wrong email or password.')).toBeVisible();
  await page.getByLabel('Password').fill('a brand new e2e password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/today$/);

  // The same link a second time says it was used, and where to get another.
  const again = await browser.newContext();
  const second = await again.newPage();
  await second.goto(link);
  await second.getByLabel('New password').fill('yet another e2e password');
  await second.getByRole('button', { name: 'Set new password' }).click();
  await expect(second.getByText('This link has already been used.')).toBeVisible();
  await expect(second.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();
  await snap(second, 'reset-password-used');
  await again.close();
  await ctx.close();
});
