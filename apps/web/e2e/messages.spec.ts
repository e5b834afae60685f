import { expect, test } from '@playwright/test';
import { registerViaApi } from './helpers.ts';

/** Forms say what is wrong in a sentence next to the field, and never claim a save that did not happen. */
test('profile: a partial set of zone tops and an out-of-range HR max are refused with the reason', async ({
  browser,
}) => {
  const ctx = await browser.newContext();
  await registerViaApi(ctx.request, 'Rosa Messages', 'athlete');
  const page = await ctx.newPage();
  await page.goto('/settings/profile');
  await page.getByLabel('HR max (bpm)').fill('190');
  await page.getByLabel('Zone 1 top').fill('120');
  await page.getByLabel('Zone 2 top').fill('140');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByTestId('zones-error')).toHaveText(
    'Only 2 of the 5 zone tops are filled in. Fill in all five, or clear them all to derive the zones from HR max.',
  );
  await expect(page.getByText('Profile saved.')).toHaveCount(0);
  await expect(page.getByText('Nothing was saved: check the field marked above.')).toBeVisible();
  // Nothing reached the server: HR max is still unset there.
  const before = await ctx.request.get('/api/v1/me/profile');
  expect((await before.json()).profile.hrMax).toBeNull();

  // The server's refusal, as a sentence next to its field; the field says it is invalid.
  for (const zone of [1, 2]) await page.getByLabel(`Zone ${zone} top`).fill('');
  await page.getByLabel('HR max (bpm)').fill('300');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.locator('#hrMax-error')).toHaveText('HR max must be at most 250.');
  await expect(page.getByLabel('HR max (bpm)')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/body\.hrMax/)).toHaveCount(0);
  await expect(page.getByText('Profile saved.')).toHaveCount(0);

  // Text where a number goes is caught before it could be sent as "clear this field".
  await page.getByLabel('HR max (bpm)').fill('19O');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.locator('#hrMax-error')).toHaveText('HR max must be a whole number.');

  await page.getByLabel('HR max (bpm)').fill('190');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('Profile saved.')).toBeVisible();
  await expect(page.locator('#hrMax-error')).toHaveCount(0);
  await ctx.close();
});

test('register: a server refusal names the field in a sentence, not as body.email', async ({ page }) => {
  const taken = await registerViaApi(page.request, 'Theo Taken', 'athlete');
  await page.context().clearCookies();
  await page.goto('/register');
  await page.getByLabel('Name').fill('Theo Again');
  await page.getByLabel('Email').fill(taken.email);
  await page.getByLabel('Password').fill('correct-horse-battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#email-error')).toHaveText('Email is already registered.');
  await expect(page.getByText(/body\.email/)).toHaveCount(0);
});
