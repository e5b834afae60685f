import { expect, test } from '@playwright/test';
import { apiCall, registerViaApi, snap } from './helpers.ts';

test('units and time zone: imperial and New York time show on a session page', async ({ browser }) => {
  // The browser runs in Tokyo, so times in New York can only come from the saved preference.
  const ctx = await browser.newContext({ timezoneId: 'Asia/Tokyo', locale: 'en-GB' });
  const who = await registerViaApi(ctx.request, 'Uma Units', 'athlete');
  // 10 km run in 50 min starting 12:30 UTC: 08:30 in New York (EDT), 21:30 in Tokyo.
  const { session } = await apiCall<{ session: { id: string } }>(
    ctx.request,
    who.token,
    'post',
    '/api/v1/sessions/manual',
    {
      sport: 'running',
      startedAt: '2026-06-01T12:30:00Z',
      durationS: 3000,
      distanceM: 10_000,
      name: 'Harbour 10k',
    },
  );
  const page = await ctx.newPage();

  await page.goto(`/sessions/${session.id}`);
  await expect(page.getByTestId('sum-distance')).toContainText('10.00 km');
  await expect(page.locator('.subtitle').first()).toContainText('21:30');

  await page.goto('/settings/display');
  await page.getByLabel('Units', { exact: true }).selectOption('imperial');
  await expect(page.getByLabel('Units', { exact: true })).toHaveValue('imperial');
  await page.getByLabel('Time zone', { exact: true }).selectOption('America/New_York');
  await expect(page.getByLabel('Time zone', { exact: true })).toHaveValue('America/New_York');
  await snap(page, '40-settings-units-time');
  // On a phone the long zone names stay inside the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await snap(page, '40-settings-units-time-390');
  await page.setViewportSize({ width: 1440, height: 900 });

  await page.goto(`/sessions/${session.id}`);
  // 10 000 m ÷ 1609.344 = 6.21 mi.
  await expect(page.getByTestId('sum-distance')).toContainText('6.21 mi');
  // 10 000 m in 3000 s = 3.33 m/s = 7.5 mph; pace 3000 s ÷ 6.2137 mi = 8:03 per mile (a run).
  await expect(page.getByTestId('sum-avg-speed')).toContainText('7.5 mph');
  await expect(page.getByTestId('sum-avg-speed')).toContainText('8:03 /mi');
  await expect(page.locator('.subtitle').first()).toContainText('08:30');
  await expect(page.locator('.subtitle').first()).not.toContainText('21:30');
  await snap(page, '41-session-imperial');

  // Editing reads and writes on the person's clock and in miles: saved unchanged, nothing moves.
  await page.getByRole('button', { name: 'Edit session' }).click();
  const form = page.getByTestId('manual-session-edit');
  await expect(form.getByLabel('Start')).toHaveValue('2026-06-01T08:30');
  await expect(form.getByLabel('Distance (mi)')).toHaveValue('6.214');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form).toHaveCount(0);

  // The preference is the account's: a reload (fresh fetch of /me) keeps it.
  await page.reload();
  await expect(page.getByTestId('sum-distance')).toContainText('6.21 mi');
  await expect(page.locator('.subtitle').first()).toContainText('08:30');
  const stored = await apiCall<{ session: { startedAt: string; distanceM: number } }>(
    ctx.request,
    who.token,
    'get',
    `/api/v1/sessions/${session.id}`,
  );
  expect(stored.session).toMatchObject({ startedAt: '2026-06-01T12:30:00.000Z', distanceM: 10_000 });
  await ctx.close();
});
