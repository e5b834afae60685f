import { expect, test } from '@playwright/test';
import { type Account, PASSWORD, type Streamer, snap, streamingTeam } from './helpers.ts';

let streamer: Streamer | null = null;
test.afterAll(() => streamer?.stop());

test("an athlete who stops sharing live data leaves the coach's live view at once, and comes back", async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const coachCtx = await browser.newContext();
  const world = await streamingTeam(coachCtx.request, request, {
    coach: 'Cora Consent',
    team: 'Consent Harriers',
    athletes: [
      { name: 'Ada Shares', seed: 21 },
      { name: 'Ben Shares', seed: 22 },
      { name: 'Cai Private', seed: 23 },
    ],
  });
  streamer = world.streamer;
  const cai = world.athletes[2] as Account;

  const coach = await coachCtx.newPage();
  await coach.goto(`/teams/${world.team.id}/live`);
  const tiles = coach.getByTestId('athlete-tile');
  const caiTile = tiles.filter({ hasText: 'Cai Private' });
  await expect(caiTile.getByTestId('tile-hr')).toHaveText(/^\d+$/, { timeout: 10_000 });
  await expect(coach.getByTestId('streaming-count')).toHaveText('3 of 3 athletes streaming');
  await expect(coach.getByTestId('not-sharing')).toHaveCount(0);

  // Cai switches live sharing off in Settings → Teams while still streaming.
  const athleteCtx = await browser.newContext();
  const login = await athleteCtx.request.post('/api/v1/auth/login', {
    data: { email: cai.email, password: PASSWORD },
  });
  expect(login.status()).toBe(200);
  const athlete = await athleteCtx.newPage();
  await athlete.goto('/settings/teams');
  const share = athlete.getByLabel('Share live');
  await expect(share).toBeChecked();
  await share.uncheck();
  const revokedAt = Date.now();

  // The tile goes without a reload (no frozen "weak signal" tile) and the count follows.
  await expect(caiTile).toHaveCount(0, { timeout: 3000 });
  expect(Date.now() - revokedAt).toBeLessThan(3000);
  await expect(tiles).toHaveCount(2);
  await expect(coach.getByTestId('streaming-count')).toHaveText('2 of 2 athletes streaming');
  await expect(coach.getByTestId('not-sharing')).toHaveText('· 1 athlete does not share live data');
  await snap(coach, 'coach-live-consent-revoked');
  // It stays gone: the samples Cai still sends are not the coach's to see.
  await coach.waitForTimeout(2000);
  await expect(caiTile).toHaveCount(0);

  // Sharing again brings the tile back, live.
  await share.check();
  await expect(caiTile.getByTestId('tile-hr')).toHaveText(/^\d+$/, { timeout: 5000 });
  await expect(coach.getByTestId('streaming-count')).toHaveText('3 of 3 athletes streaming');
  await expect(coach.getByTestId('not-sharing')).toHaveCount(0);

  // A reload starts from the same truth.
  await share.uncheck();
  await expect(caiTile).toHaveCount(0, { timeout: 3000 });
  await coach.reload();
  await expect(tiles.filter({ hasText: 'Ada Shares' }).getByTestId('tile-hr')).toHaveText(/^\d+$/);
  await expect(caiTile).toHaveCount(0);
  await expect(coach.getByTestId('streaming-count')).toHaveText('2 of 2 athletes streaming');
  await athleteCtx.close();
  await coachCtx.close();
});
