import { expect, test } from '@playwright/test';
import { apiCall, joinTeam, registerViaApi, snap } from './helpers.ts';

const DAY = 86_400_000;

/** 200 RR intervals (~3 min) around `meanMs`, alternating by ±`swingMs` (RMSSD ≈ 2 × swing). */
const rr = (meanMs: number, swingMs: number) =>
  Array.from({ length: 200 }, (_, i) => meanMs + (i % 2 ? swingMs : -swingMs));

test('low readiness → the coach sees the lower HR-high suggestion with its formula and confirms it in one tap', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const coachCtx = await browser.newContext();
  const athleteCtx = await browser.newContext();
  const coach = await registerViaApi(coachCtx.request, 'Rita Ready', 'coach');
  const athlete = await registerViaApi(athleteCtx.request, 'Tom Tired', 'athlete');
  const { team } = await apiCall<{ team: { id: string } }>(
    coachCtx.request,
    coach.token,
    'post',
    '/api/v1/teams',
    {
      name: 'Morning Harriers',
    },
  );
  await joinTeam(coachCtx.request, coach, team.id, athlete);
  await apiCall(athleteCtx.request, athlete.token, 'put', '/api/v1/me/profile', { hrMax: 190, hrRest: 50 });

  // Three weeks of morning checks around 60 bpm with a healthy HRV, then this morning's: fast
  // heart, flat HRV. Two readings outside the athlete's normal → "rest".
  for (let d = 21; d >= 1; d--)
    await apiCall(
      athleteCtx.request,
      athlete.token,
      'post',
      `/api/v1/athletes/${athlete.id}/readiness/checks`,
      {
        rr: rr(1000 + (d % 3) * 10, 20 + (d % 4) * 2),
        measuredAt: new Date(Date.now() - d * DAY).toISOString(),
      },
    );
  await apiCall(
    athleteCtx.request,
    athlete.token,
    'post',
    `/api/v1/athletes/${athlete.id}/readiness/checks`,
    {
      rr: rr(800, 4),
    },
  );

  const page = await coachCtx.newPage();
  await page.goto(`/teams/${team.id}/readiness`);
  const row = page.getByTestId('team-readiness-row').filter({ hasText: 'Tom Tired' });
  await expect(row).toHaveAttribute('data-recommendation', 'rest');
  const suggestion = row.getByTestId('threshold-suggestion');
  // e2e thresholds: hr_high at 175 bpm; a rest day takes 5 % × 190 off: 165.5 → 166.
  await expect(suggestion).toContainText('Suggest HR high 175 → 166 bpm for today');
  await expect(suggestion).toContainText('Readiness today says rest');
  await expect(row.getByTestId('threshold-formula')).toHaveText('175 bpm − 5 % × HR max 190 bpm = 166 bpm');
  await snap(page, '45-readiness-threshold-suggestion');

  await suggestion.getByRole('button', { name: 'Use 166 bpm today' }).click();
  const logged = row.getByTestId('threshold-override');
  await expect(logged).toContainText('HR high 175 → 166 bpm today');
  await expect(logged).toContainText('Confirmed by Rita Ready');

  // It stays after a reload, and the athlete's log shows the same entry.
  await page.reload();
  await expect(page.getByTestId('threshold-override')).toContainText('175 → 166 bpm');
  const log = await apiCall<{ overrides: { hrAboveBpm: number; previousBpm: number }[] }>(
    athleteCtx.request,
    athlete.token,
    'get',
    `/api/v1/athletes/${athlete.id}/readiness/threshold/log`,
  );
  expect(log.overrides).toMatchObject([{ previousBpm: 175, hrAboveBpm: 166 }]);
  await coachCtx.close();
  await athleteCtx.close();
});
