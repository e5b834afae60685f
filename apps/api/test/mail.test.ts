import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { forgotPasswordResponseSchema, outboxResponseSchema } from '@athlete/contracts';
import { hashSecret, LOGIN_LIMITS, loginThrottleKey } from '@athlete/services';
import { type ReceivedMail, type SmtpSink, startSmtpSink } from '@athlete/services/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTeamWith, createUser } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

const PUBLIC_URL = 'https://app.example.test';

/** The one link to `path` in a mail, read from its text body (and present in its HTML too). */
function linkIn(mail: Pick<ReceivedMail, 'text' | 'html'>, path: string): URL {
  const links = [...mail.text.matchAll(/https?:\/\/\S+/g)].map((m) => new URL(m[0]));
  const found = links.filter((u) => u.pathname.startsWith(path));
  expect(found).toHaveLength(1);
  if (mail.html) expect(mail.html).toContain(found[0]!.href.replace(/&/g, '&amp;'));
  return found[0]!;
}
const tokenOf = (link: URL) => link.searchParams.get('token')!;

describe('email over real SMTP: password reset, email change, invites', () => {
  let sink: SmtpSink;
  let t: TestApp;
  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await buildTestApp({
      overrides: {
        SMTP_URL: sink.url,
        PUBLIC_URL,
        RUN_WORKER_IN_API: true,
        MAIL_FROM: 'Coach Desk <desk@example.test>',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  const post = (
    url: string,
    payload: unknown,
    headers: Record<string, string> = {},
    remoteAddress = '10.9.0.1',
  ) => t.app.inject({ method: 'POST', url, payload: payload as object, headers, remoteAddress });
  const login = (email: string, password: string, remoteAddress = '10.9.0.1') =>
    post('/api/v1/auth/login', { email, password }, {}, remoteAddress);
  const forgot = (email: string) => post('/api/v1/auth/forgot-password', { email });
  const reset = (token: string, password: string) => post('/api/v1/auth/reset-password', { token, password });

  it('mails a single-use reset link; following it sets the password, signs out everywhere, unlocks sign-in', async () => {
    const u = await createUser(t.app, 'coach');
    const stranger = '198.51.100.77';
    // A stranger has spent the (account, their address) budget, and the owner too, from home.
    for (const address of [stranger, '10.9.0.1']) {
      const key = loginThrottleKey.accountAddress(u.email, address, 0);
      const { limit, windowMs } = LOGIN_LIMITS.perAccountAddress;
      for (let i = 0; i < limit; i++) await t.app.deps.platform.rateLimiter.consume(key, limit, windowMs);
    }
    expect((await login(u.email, u.password)).statusCode).toBe(429);

    const asked = await forgot(u.email.toUpperCase());
    expect(asked.statusCode).toBe(202);
    forgotPasswordResponseSchema.parse(asked.json());
    const mail = await sink.next(u.email);
    expect(mail.subject).toBe('Reset your Athlete Platform password');
    expect(mail.parsed.from?.text).toBe('"Coach Desk" <desk@example.test>');
    expect(mail.text).toContain('30 minutes');
    const link = linkIn(mail, '/reset-password');
    expect(link.origin).toBe(PUBLIC_URL);
    const token = tokenOf(link);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    // Only the hash is at rest.
    const rows = await t.app.deps.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM account_tokens WHERE user_id = $1',
      [u.id],
    );
    expect(rows.map((r) => r.token_hash)).toEqual([hashSecret(token)]);

    // A refused new password spends nothing.
    const short = await reset(token, 'short');
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details).toEqual([
      { field: 'body.password', message: 'must be at least 10 characters' },
    ]);

    const done = await reset(token, 'a fresh long password');
    expect(done.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/me', headers: bearer(u.token) })).statusCode).toBe(401);
    expect((await login(u.email, u.password)).statusCode).toBe(401);
    // Both locks are gone: the owner at home and even the stranger's address get a fresh budget.
    expect((await login(u.email, 'a fresh long password')).statusCode).toBe(200);
    expect((await login(u.email, 'a fresh long password', stranger)).statusCode).toBe(200);

    const again = await reset(token, 'another long password');
    expect(again.statusCode).toBe(410);
    expect(again.json().error).toMatchObject({
      code: 'TOKEN_USED',
      message: 'This link has already been used. Ask for a new one.',
    });
    expect((await login(u.email, 'another long password')).statusCode).toBe(401);
  });

  it('answers an unknown address exactly like a known one and mails it nothing', async () => {
    const u = await createUser(t.app, 'athlete');
    const nobody = `nobody-${Date.now()}@example.test`;
    const known = await forgot(u.email);
    const unknown = await forgot(nobody);
    expect(unknown.statusCode).toBe(known.statusCode);
    expect(unknown.body).toBe(known.body);
    expect(unknown.headers['content-length']).toBe(known.headers['content-length']);
    await t.app.deps.platform.queue.drain();
    expect(sink.pending(nobody)).toEqual([]);
    expect((await sink.next(u.email)).subject).toBe('Reset your Athlete Platform password');

    // A disabled account is answered alike and gets no way back in by mail.
    const off = await createUser(t.app, 'athlete');
    await t.app.deps.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [off.id]);
    const disabled = await forgot(off.email);
    expect(disabled.body).toBe(known.body);
    await t.app.deps.platform.queue.drain();
    expect(sink.pending(off.email)).toEqual([]);
  });

  it('using the newest link voids the older ones; a made-up token is refused', async () => {
    const u = await createUser(t.app, 'athlete');
    await forgot(u.email);
    const first = tokenOf(linkIn(await sink.next(u.email), '/reset-password'));
    await forgot(u.email);
    const second = tokenOf(linkIn(await sink.next(u.email), '/reset-password'));
    expect(second).not.toBe(first);
    expect((await reset(second, 'second long password')).statusCode).toBe(200);
    const old = await reset(first, 'first long password');
    expect(old.statusCode).toBe(400);
    expect(old.json().error.code).toBe('TOKEN_INVALID');
    expect((await login(u.email, 'second long password')).statusCode).toBe(200);
    const bogus = await reset('A'.repeat(43), 'whatever long password');
    expect(bogus.json().error).toMatchObject({
      code: 'TOKEN_INVALID',
      message: 'This link is not valid. Ask for a new one.',
    });
  });

  it('changes the email only once the link mailed to the new address is followed; the old one is told', async () => {
    const u = await createUser(t.app, 'athlete');
    const other = await createUser(t.app, 'athlete');
    const ask = (newEmail: string, password: string) =>
      post('/api/v1/me/email', { newEmail, password }, bearer(u.token));
    const wrong = await ask('new@example.test', 'not my password');
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.details).toEqual([
      { field: 'body.password', message: 'does not match your password' },
    ]);
    const taken = await ask(other.email, u.password);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({
      code: 'EMAIL_TAKEN',
      message: 'Another account already uses this email address',
      details: [{ field: 'body.newEmail', message: 'is already used by another account' }],
    });
    expect((await ask(u.email, u.password)).statusCode).toBe(400);

    const newEmail = `moved-${Date.now()}@example.test`;
    const asked = await ask(newEmail.toUpperCase(), u.password);
    expect(asked.statusCode).toBe(202);
    expect(asked.json().pendingEmail).toBe(newEmail);
    const mail = await sink.next(newEmail);
    expect(mail.subject).toBe('Confirm your new email address');
    const link = linkIn(mail, '/confirm-email');
    // Nothing changed yet.
    const before = await t.app.inject({ url: '/api/v1/me', headers: bearer(u.token) });
    expect(before.json().user.email).toBe(u.email);

    const confirmed = await post('/api/v1/auth/confirm-email', { token: tokenOf(link) });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toEqual({ email: newEmail });
    const after = await t.app.inject({ url: '/api/v1/me', headers: bearer(u.token) });
    expect(after.json().user.email).toBe(newEmail);
    expect((await login(newEmail, u.password)).statusCode).toBe(200);
    expect((await login(u.email, u.password)).statusCode).toBe(401);
    const notice = await sink.next(u.email);
    expect(notice.subject).toBe('Your Athlete Platform email address was changed');
    expect(notice.text).toContain(newEmail);

    const twice = await post('/api/v1/auth/confirm-email', { token: tokenOf(link) });
    expect(twice.statusCode).toBe(410);
    expect(twice.json().error.code).toBe('TOKEN_USED');
  });

  it('refuses a confirmation with 409 when the address was taken meanwhile, and keeps the link', async () => {
    const u = await createUser(t.app, 'coach');
    const wanted = `wanted-${Date.now()}@example.test`;
    await post('/api/v1/me/email', { newEmail: wanted, password: u.password }, bearer(u.token));
    const token = tokenOf(linkIn(await sink.next(wanted), '/confirm-email'));
    const squatter = await post('/api/v1/auth/register', {
      email: wanted,
      password: 'squatter password',
      name: 'Squatter',
      role: 'athlete',
    });
    expect(squatter.statusCode).toBe(201);
    const res = await post('/api/v1/auth/confirm-email', { token });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('EMAIL_TAKEN');
    const me = await t.app.inject({ url: '/api/v1/me', headers: bearer(u.token) });
    expect(me.json().user.email).toBe(u.email);
    const [row] = await t.app.deps.db.query<{ used_at: Date | null }>(
      'SELECT used_at FROM account_tokens WHERE token_hash = $1',
      [hashSecret(token)],
    );
    expect(row?.used_at).toBeNull();
  });

  it('mails an invite to the invited address; its link is accepted by that athlete', async () => {
    const coach = await createUser(t.app, 'coach', 'Coach Kim');
    const teamId = await createTeamWith(t.app, coach, [], 'Harbour Rowers');
    const athleteEmail = `rower-${Date.now()}@example.test`;
    const created = await post(
      `/api/v1/teams/${teamId}/invites`,
      { email: athleteEmail },
      bearer(coach.token),
    );
    expect(created.statusCode).toBe(201);
    expect(created.json().invite.emailed).toBe(true);
    const mail = await sink.next(athleteEmail);
    expect(mail.subject).toBe('Coach Kim invited you to Harbour Rowers');
    const link = linkIn(mail, '/invite/');
    expect(link.origin).toBe(PUBLIC_URL);
    const code = link.pathname.split('/').pop()!;

    const reg = await post('/api/v1/auth/register', {
      email: athleteEmail,
      password: 'rower password',
      name: 'Rower',
      role: 'athlete',
    });
    const accepted = await post(`/api/v1/invites/${code}/accept`, {}, bearer(reg.json().token));
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().membership.teamName).toBe('Harbour Rowers');

    const quiet = `quiet-${Date.now()}@example.test`;
    const byHand = await post(
      `/api/v1/teams/${teamId}/invites`,
      { email: quiet, sendEmail: false },
      bearer(coach.token),
    );
    expect(byHand.statusCode).toBe(201);
    expect(byHand.json().invite.emailed).toBe(false);
    // Invite mail is sent before the answer, so none can still be on its way.
    expect(sink.pending(quiet)).toEqual([]);
  });
});

describe('reset link expiry', () => {
  let sink: SmtpSink;
  let t: TestApp;
  beforeAll(async () => {
    sink = await startSmtpSink();
    // A TTL of 0 makes every link expired when it is made: expiry without waiting.
    t = await buildTestApp({
      overrides: {
        SMTP_URL: sink.url,
        RUN_WORKER_IN_API: true,
        PASSWORD_RESET_TTL_MINUTES: 0,
        EMAIL_CHANGE_TTL_MINUTES: 0,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('refuses an expired reset or confirmation link with a sentence saying so', async () => {
    const u = await createUser(t.app, 'athlete');
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/forgot-password', payload: { email: u.email } });
    const link = linkIn(await sink.next(u.email), '/reset-password');
    // Without PUBLIC_URL the link points at this server on localhost.
    expect(link.origin).toBe(`http://localhost:${t.config.PORT}`);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/reset-password',
      payload: { token: tokenOf(link), password: 'too late password' },
    });
    expect(res.statusCode).toBe(410);
    expect(res.json().error).toEqual({
      code: 'TOKEN_EXPIRED',
      message: 'This link has expired. Ask for a new one.',
    });

    const newEmail = `late-${Date.now()}@example.test`;
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/email',
      headers: bearer(u.token),
      payload: { newEmail, password: u.password },
    });
    const confirm = linkIn(await sink.next(newEmail), '/confirm-email');
    const late = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/confirm-email',
      payload: { token: tokenOf(confirm) },
    });
    expect(late.statusCode).toBe(410);
    expect(late.json().error.code).toBe('TOKEN_EXPIRED');
  });
});

describe('embedded mode without SMTP: the outbox', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ mode: 'embedded' });
  });
  afterAll(async () => t?.close());

  it('writes each mail as an .eml under DATA_DIR/outbox, which an admin reads in the app', async () => {
    const u = await createUser(t.app, 'athlete');
    const admin = await createUser(t.app, 'admin');
    const asked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/forgot-password',
      payload: { email: u.email },
    });
    expect(asked.statusCode).toBe(202);
    await t.app.deps.platform.queue.drain();
    const dir = join(t.config.DATA_DIR, 'outbox');
    expect(existsSync(dir)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.eml'))).toHaveLength(1);

    expect((await t.app.inject({ url: '/api/v1/admin/outbox', headers: bearer(u.token) })).statusCode).toBe(
      403,
    );
    const res = await t.app.inject({ url: '/api/v1/admin/outbox', headers: bearer(admin.token) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const outbox = outboxResponseSchema.parse(res.json());
    expect(outbox.delivery).toBe('outbox');
    expect(outbox.messages).toHaveLength(1);
    const [mail] = outbox.messages;
    expect(mail).toMatchObject({ to: u.email, subject: 'Reset your Athlete Platform password' });
    const link = linkIn({ text: mail!.text, html: '' }, '/reset-password');
    const done = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/reset-password',
      payload: { token: tokenOf(link), password: 'outbox long password' },
    });
    expect(done.statusCode).toBe(200);
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: u.email, password: 'outbox long password' },
    });
    expect(signIn.statusCode).toBe(200);
  });
});
