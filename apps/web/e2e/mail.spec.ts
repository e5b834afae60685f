import { expect, test } from '@playwright/test';
import { apiCall, email, PASSWORD, registerViaApi, snap } from './helpers.ts';
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

test('email change: the confirmation goes to the new address and the old one is told', async ({
  browser,
}) => {
  const ctx = await browser.newContext();
  const who = await registerViaApi(ctx.request, 'Sam Moving', 'athlete');
  const page = await ctx.newPage();
  await page.goto('/settings/account');
  const newEmail = email('sam.moved');
  await page.getByLabel('New email address').fill(newEmail);
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Send confirmation link' }).click();
  await expect(page.getByText('Check your new inbox')).toBeVisible();
  // Nothing changes until the link is followed.
  await expect(page.getByTestId('current-email')).toHaveText(who.email);

  const link = linkIn(await mailTo(newEmail, 'Confirm your new email address'), '/confirm-email');
  await page.goto(link);
  await page.getByRole('button', { name: 'Confirm new email address' }).click();
  await expect(page.getByText(`You now sign in with ${newEmail}.`)).toBeVisible();
  await snap(page, 'confirm-email');
  await page.goto('/settings/account');
  await expect(page.getByTestId('current-email')).toHaveText(newEmail);
  const notice = await mailTo(who.email, 'Your Athlete Platform email address was changed');
  expect(notice.text).toContain(newEmail);
  await ctx.close();
});

test('invite by email: the athlete follows the mailed link and joins', async ({ browser }) => {
  const coachCtx = await browser.newContext();
  const coach = await registerViaApi(coachCtx.request, 'Jo Mailcoach', 'coach');
  const { team } = await apiCall<{ team: { id: string } }>(
    coachCtx.request,
    coach.token,
    'post',
    '/api/v1/teams',
    {
      name: 'Mail Harriers',
    },
  );
  const coachPage = await coachCtx.newPage();
  await coachPage.goto(`/teams/${team.id}/manage`);
  const athleteEmail = email('kit.mailed');
  await coachPage.getByLabel("Athlete's email").fill(athleteEmail);
  await expect(coachPage.getByTestId('invite-send-email')).toBeChecked();
  await coachPage.getByRole('button', { name: 'Create invite' }).click();
  await expect(coachPage.getByText(`We emailed the link to ${athleteEmail}.`)).toBeVisible();

  const mail = await mailTo(athleteEmail, 'Jo Mailcoach invited you to Mail Harriers');
  const athleteCtx = await browser.newContext();
  await athleteCtx.request.post('/api/v1/auth/register', {
    data: { name: 'Kit Mailed', email: athleteEmail, password: PASSWORD, role: 'athlete' },
  });
  const athletePage = await athleteCtx.newPage();
  await athletePage.goto(linkIn(mail, '/invite/'));
  await expect(athletePage.getByRole('heading', { name: 'Join a team' })).toBeVisible();
  await athletePage.getByRole('button', { name: 'Accept invite' }).click();
  await expect(athletePage).toHaveURL(/\/today$/);
  await coachPage.reload();
  await expect(coachPage.getByTestId('member-row').filter({ hasText: 'Kit Mailed' })).toBeVisible();
  await athleteCtx.close();
  await coachCtx.close();
});
