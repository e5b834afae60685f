import { expect, test } from '@playwright/test';
import { type Account, loginViaApi, type Streamer, snap, streamingTeam } from './helpers.ts';

let streamer: Streamer | null = null;
test.afterAll(() => streamer?.stop());

test('a coach sets the team alert defaults: an alert fires at the team threshold, the athlete sees it', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const coachCtx = await browser.newContext({ viewport: { width: 820, height: 1180 } });
  const world = await streamingTeam(coachCtx.request, request, {
    coach: 'Tess Threshold',
    team: 'Default Dolphins',
    athletes: [{ name: 'Kai Cautious', seed: 7 }],
  });
  streamer = world.streamer;
  const { team } = world;
  const [kai] = world.athletes as [Account];

  const page = await coachCtx.newPage();
  await page.goto(`/teams/${team.id}/manage`);
  const card = page.getByRole('region', { name: 'Alert defaults' });
  // The server's value (175 bpm in the e2e server) is what an empty field falls back to.
  await expect(card.getByLabel('High HR (bpm)')).toHaveAttribute('placeholder', '175');
  await card.getByLabel('High HR (bpm)').fill('600');
  await card.getByRole('button', { name: 'Save alert defaults' }).click();
  await expect(card.getByText('must be between 40 and 260, got 600')).toBeVisible();
  await card.getByLabel('High HR (bpm)').fill('165');
  await card.getByRole('button', { name: 'Save alert defaults' }).click();
  await expect(card.getByText('Team alert defaults saved.')).toBeVisible();
  await expect(card.getByText(/Last changed .* by Tess Threshold/)).toBeVisible();
  await snap(page, 'team-alert-defaults-820');

  // 170 bpm is under the server's 175 but over the team's 165: the alert fires at 165.
  streamer.setHr(kai.id, 170);
  await page.goto(`/teams/${team.id}/alerts`);
  const high = page
    .getByTestId('alert-history-row')
    .filter({ hasText: 'Kai Cautious' })
    .filter({ hasText: 'High heart rate' })
    .first();
  await expect(high).toBeVisible({ timeout: 20_000 });
  await expect(high.locator('[data-label="Threshold"]')).toContainText('165');
  streamer.setHr(kai.id, null);

  // The athlete's own settings show the team default as what an empty field uses.
  const athleteCtx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await loginViaApi(athleteCtx.request, kai.email);
  const athletePage = await athleteCtx.newPage();
  await athletePage.goto('/settings/alerts');
  await expect(athletePage.getByLabel('High HR (bpm)')).toHaveAttribute('placeholder', '165');
  await snap(athletePage, 'athlete-alerts-team-default-390');
  await athleteCtx.close();
  await coachCtx.close();
});
