import type { TeamSessionReviewResponse } from '@athlete/contracts';
import { expect, test } from '@playwright/test';
import { type Account, apiCall, type Streamer, snap, streamingTeam } from './helpers.ts';

let streamer: Streamer | null = null;
test.afterAll(() => streamer?.stop());

test('team session: start from the live view, end it, review each athlete against the team', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  // A tablet on the sideline.
  const coachCtx = await browser.newContext({ viewport: { width: 820, height: 1180 } });
  const world = await streamingTeam(coachCtx.request, request, {
    coach: 'Tia Teamsession',
    team: 'Session Striders',
    athletes: [
      { name: 'Rosa Review', seed: 11 },
      { name: 'Omar Overlay', seed: 12 },
    ],
  });
  streamer = world.streamer;
  const { team } = world;
  const [rosa, omar] = world.athletes as [Account, Account];

  const page = await coachCtx.newPage();
  await page.goto(`/teams/${team.id}/live`);
  await expect(page.getByTestId('streaming-count')).toHaveText('2 of 2 athletes streaming', {
    timeout: 20_000,
  });

  // Start: both athletes' running sessions join it at once.
  const control = page.getByTestId('team-session-control');
  await control.getByLabel('Team session').fill('Thursday tempo');
  await control.getByTestId('team-session-start').click();
  await expect(control.getByText('Team session running')).toBeVisible();
  await expect(control.getByTestId('team-session-title')).toHaveText('Thursday tempo');
  await expect(control.getByTestId('team-session-athletes')).toHaveText('2 athletes in it');
  await snap(page, 'team-session-live-running-tablet');

  // A few seconds more of streaming, then end it (two taps) and land on the review.
  await page.waitForTimeout(4_000);
  await control.getByTestId('team-session-end').click();
  await control.getByTestId('team-session-confirm-end').click();
  await expect(page).toHaveURL(/\/team-sessions\/[0-9a-f-]{36}$/);
  streamer.stop();

  await expect(page.getByTestId('team-review-title')).toHaveText('Thursday tempo');
  const rows = page.getByTestId('team-review-row');
  await expect(rows).toHaveCount(2);
  for (const who of [rosa, omar]) {
    const row = rows.filter({ hasText: who.name });
    await expect(row).toBeVisible();
    await expect(row.getByTestId('cell-durationS')).toContainText(/\d+:\d\d/);
    await expect(row.getByTestId('cell-avgHr')).toContainText(/\d+ bpm/);
    await expect(row.getByTestId('cell-maxHr')).toContainText(/\d+ bpm/);
    await expect(row.getByTestId('cell-trimp')).toContainText(/\d/);
    await expect(row.getByTestId('delta-avgHr')).toHaveText(/^[+−±]\d+ bpm$/);
  }
  // The two deltas of avg HR mirror each other around the team average.
  const deltas = await rows.getByTestId('delta-avgHr').allTextContents();
  const value = (s: string) =>
    Number(
      s
        .replace('−', '-')
        .replace('±', '')
        .replace(/[^\d.+-]/g, ''),
    );
  expect(Math.abs(value(deltas[0]!) + value(deltas[1]!))).toBeLessThanOrEqual(1);
  // The figures shown are the API's, rounded as the page says.
  const id = page.url().split('/').pop()!;
  const review = await apiCall<TeamSessionReviewResponse>(
    request,
    world.coach.token,
    'get',
    `/api/v1/team-sessions/${id}`,
  );
  for (const a of review.athletes) {
    const row = rows.filter({ hasText: a.name });
    await expect(row.getByTestId('cell-avgHr')).toContainText(`${Math.round(a.figures!.avgHr!)} bpm`);
    await expect(row.getByTestId('cell-maxHr')).toContainText(`${Math.round(a.figures!.maxHr!)} bpm`);
  }
  await expect(page.getByTestId('team-review-average')).toContainText('Team average');
  await expect(page.getByTestId('team-review-average')).toContainText(
    `${Math.round(review.teamAverage.avgHr!)} bpm`,
  );
  await expect(page.getByTestId('team-review-hr').locator('canvas')).toBeVisible();
  await page.getByRole('button', { name: 'Side by side' }).click();
  await expect(page.getByTestId('team-review-hr').locator('canvas')).toHaveCount(2);
  await page.getByRole('button', { name: 'Overlaid' }).click();
  await page.getByText('How these numbers are worked out').click();
  await expect(page.getByTestId('team-review-how')).toContainText('e^(1.92 × HRr)');
  await expect(page.getByTestId('team-review-how')).toContainText('implausible jumps');

  for (const [w, h, name] of [
    [390, 844, 'team-session-review-phone'],
    [820, 1180, 'team-session-review-tablet'],
    [1440, 900, 'team-session-review-laptop'],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await expect(rows.first()).toBeVisible();
    await snap(page, name);
  }

  // The list of past team sessions opens the review again.
  await page.goto(`/teams/${team.id}/team-sessions`);
  const listed = page.getByTestId('team-session-row').filter({ hasText: 'Thursday tempo' });
  await expect(listed).toContainText('2');
  await listed.getByRole('link', { name: 'Thursday tempo' }).click();
  await expect(page.getByTestId('team-review-title')).toHaveText('Thursday tempo');

  // Back on the live view at phone width: the Start control is offered again.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/teams/${team.id}/live`);
  await expect(page.getByTestId('team-session-start')).toBeVisible();
  await snap(page, 'team-session-live-phone');
  await coachCtx.close();
});
