import { authResponseSchema, signupPendingResponseSchema } from '@athlete/contracts';
import { hashSecret, listOutbox, SIGNUP_MAILS_PER_ADDRESS } from '@athlete/services';
import { type ReceivedMail, startSmtpSink } from '@athlete/services/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

const PUBLIC_URL = 'https://app.example.test';
const FINISH = 'Finish creating your Athlete Platform account';
const TRIED = 'Someone tried to sign up with your email address';

/** The one link to `path` in a mail's text body (present in its HTML too). */
function linkIn(mail: Pick<ReceivedMail, 'text' | 'html'>, path: string): URL {
  const found = [...mail.text.matchAll(/https?:\/\/\S+/g)]
    .map((m) => new URL(m[0]))
    .filter((u) => u.pathname.startsWith(path));
  expect(found).toHaveLength(1);
  expect(mail.html).toContain(found[0]!.href.replace(/&/g, '&amp;'));
  return found[0]!;
}
const tokenOf = (link: URL) => link.searchParams.get('token')!;
let n = 0;
const fresh = (label: string) => `${label}-${Date.now().toString(36)}-${n++}@example.test`;

async function setUp() {
  const sink = await startSmtpSink();
  const t = await buildTestApp({
    overrides: {
      SMTP_URL: sink.url,
      PUBLIC_URL,
      RUN_WORKER_IN_API: true,
      SIGNUP_EMAIL_VERIFICATION: 'on',
      REGISTER_LIMIT_PER_HOUR: 1000,
    },
  });
  const post = (url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, payload, remoteAddress: '10.8.0.1' });
  const register = (
    email: string,
    password = 'a pending long password',
    role = 'athlete',
    name = 'Pat New',
  ) => post('/api/v1/auth/register', { email, password, name, role });
  const complete = (token: string) => post('/api/v1/auth/complete-signup', { token });
  const login = (email: string, password: string) => post('/api/v1/auth/login', { email, password });
  const usersWith = async (email: string) =>
    (
      await t.app.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE email = $1', [
        email,
      ])
    )[0]!.n;
  return { sink, t, post, register, complete, login, usersWith };
}

describe('sign-up with SIGNUP_EMAIL_VERIFICATION=on (real SMTP)', () => {
  let s: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    s = await setUp();
  });
  afterAll(async () => {
    await s?.t.close();
    await s?.sink.stop();
  });

  it('answers a new and a taken address alike; each learns the rest by mail only', async () => {
    const existing = await createUser(s.t.app, 'coach', 'Kept');
    const newcomer = fresh('newcomer');
    const forNew = await s.register(newcomer.toUpperCase());
    const forTaken = await s.register(existing.email, 'an intruder long password', 'coach');
    expect(forNew.statusCode).toBe(202);
    expect(forTaken.statusCode).toBe(202);
    const body = signupPendingResponseSchema.parse(forNew.json());
    expect(body).toEqual({
      status: 'verification_sent',
      email: newcomer,
      message: `We sent a mail to ${newcomer}. Follow the link in it to finish signing up.`,
    });
    // Byte for byte the same answer once the address itself is set aside; no cookie either way.
    expect(forTaken.body).toBe(forNew.body.replaceAll(newcomer, existing.email));
    for (const r of [forNew, forTaken]) expect(r.headers['set-cookie']).toBeUndefined();

    // Nothing exists for the newcomer until the link is followed: sign-in is the unknown-address 401.
    expect(await s.usersWith(newcomer)).toBe(0);
    const early = await s.login(newcomer, 'a pending long password');
    expect(early.statusCode).toBe(401);
    expect(early.json().error.message).toBe('Email or password is wrong');

    const mail = await s.sink.next(newcomer);
    expect(mail.subject).toBe(FINISH);
    expect(mail.text).toContain('Hello Pat New');
    expect(mail.text).toContain('24 hours');
    const link = linkIn(mail, '/complete-signup');
    expect(link.origin).toBe(PUBLIC_URL);
    expect(Buffer.from(tokenOf(link), 'base64url')).toHaveLength(32);
    // Only the hash of the mailed secret is at rest (the one made with the request was replaced).
    const rows = await s.t.app.deps.db.query<{ token_hash: string; user_id: string | null }>(
      `SELECT token_hash, user_id FROM account_tokens WHERE new_email = $1 AND purpose = 'signup'`,
      [newcomer],
    );
    expect(rows).toEqual([{ token_hash: hashSecret(tokenOf(link)), user_id: null }]);

    // The taken address is told someone tried, with ways in; its account is untouched.
    const notice = await s.sink.next(existing.email);
    expect(notice.subject).toBe(TRIED);
    expect(notice.text).toContain('Hello Kept');
    expect(notice.text).toContain('No new account was made.');
    expect(linkIn(notice, '/login').href).toBe(`${PUBLIC_URL}/login`);
    expect(linkIn(notice, '/forgot-password').href).toBe(`${PUBLIC_URL}/forgot-password`);
    expect(notice.text).not.toContain('/complete-signup');
    expect(await s.usersWith(existing.email)).toBe(1);
    expect((await s.login(existing.email, 'an intruder long password')).statusCode).toBe(401);
    expect((await s.login(existing.email, existing.password)).statusCode).toBe(200);
    const left = await s.t.app.deps.db.query(
      `SELECT 1 FROM account_tokens WHERE new_email = $1 AND purpose = 'signup'`,
      [existing.email],
    );
    expect(left).toEqual([]);
  });

  it('the link makes the account and signs in, once', async () => {
    const email = fresh('linked');
    expect((await s.register(email, 'my chosen long password', 'athlete', 'Lin Ked')).statusCode).toBe(202);
    const token = tokenOf(linkIn(await s.sink.next(email), '/complete-signup'));

    const done = await s.complete(token);
    expect(done.statusCode).toBe(201);
    const { user, token: session } = authResponseSchema.parse(done.json());
    expect(user).toMatchObject({ email, name: 'Lin Ked', role: 'athlete', disabled: false });
    expect(String(done.headers['set-cookie'])).toContain('ap_session=');
    const me = await s.t.app.inject({ url: '/api/v1/me', headers: bearer(session) });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.id).toBe(user.id);
    // An athlete gets an empty profile, as with direct sign-up.
    const profile = await s.t.app.inject({ url: '/api/v1/me/profile', headers: bearer(session) });
    expect(profile.statusCode).toBe(200);
    expect(profile.json().profile).not.toBeNull();
    expect((await s.login(email, 'my chosen long password')).statusCode).toBe(200);

    const twice = await s.complete(token);
    expect(twice.statusCode).toBe(410);
    expect(twice.json().error).toEqual({
      code: 'TOKEN_USED',
      message: 'This link has already been used. Ask for a new one.',
    });
    expect(await s.usersWith(email)).toBe(1);

    const bogus = await s.complete('A'.repeat(43));
    expect(bogus.statusCode).toBe(400);
    expect(bogus.json().error.code).toBe('TOKEN_INVALID');
  });

  it('makes one account however many links: the one followed first wins, a coach stays a coach', async () => {
    const email = fresh('twice');
    await s.register(email, 'first long password', 'coach', 'First Try');
    const first = tokenOf(linkIn(await s.sink.next(email), '/complete-signup'));
    await s.register(email, 'second long password', 'coach', 'Second Try');
    const second = tokenOf(linkIn(await s.sink.next(email), '/complete-signup'));
    const done = await s.complete(second);
    expect(done.statusCode).toBe(201);
    expect(done.json().user).toMatchObject({ name: 'Second Try', role: 'coach' });
    // Following the second dropped the first.
    const older = await s.complete(first);
    expect(older.statusCode).toBe(400);
    expect(older.json().error.code).toBe('TOKEN_INVALID');
    expect(await s.usersWith(email)).toBe(1);
    expect((await s.login(email, 'first long password')).statusCode).toBe(401);
  });

  it('refuses a link whose address got an account meanwhile with 409, and makes no second one', async () => {
    const email = fresh('raced');
    await s.register(email);
    const token = tokenOf(linkIn(await s.sink.next(email), '/complete-signup'));
    // Meanwhile an existing account moves to that address by a confirmed email change.
    const mover = await createUser(s.t.app, 'athlete', 'Mover');
    const asked = await s.t.app.inject({
      method: 'POST',
      url: '/api/v1/me/email',
      headers: bearer(mover.token),
      payload: { newEmail: email, password: mover.password },
    });
    expect(asked.statusCode).toBe(202);
    const confirm = tokenOf(linkIn(await s.sink.next(email), '/confirm-email'));
    expect((await s.post('/api/v1/auth/confirm-email', { token: confirm })).statusCode).toBe(200);

    for (let i = 0; i < 2; i++) {
      const res = await s.complete(token);
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toEqual({
        code: 'EMAIL_TAKEN',
        message:
          'An account with this email address exists already. Sign in, or reset your password if you forgot it.',
      });
    }
    expect(await s.usersWith(email)).toBe(1);
    expect((await s.login(email, mover.password)).statusCode).toBe(200);
  });

  it('refuses a weak password before anything is stored or mailed', async () => {
    const email = fresh('weak');
    const res = await s.register(email, 'password12');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('body.password');
    await s.t.app.deps.platform.queue.drain();
    expect(s.sink.pending(email)).toEqual([]);
    const rows = await s.t.app.deps.db.query('SELECT 1 FROM account_tokens WHERE new_email = $1', [email]);
    expect(rows).toEqual([]);
  });

  it('mails one address at most 5 times an hour, still answering every request alike', async () => {
    const email = fresh('flooded');
    const answers = new Set<string>();
    for (let i = 0; i <= SIGNUP_MAILS_PER_ADDRESS.limit; i++) {
      const r = await s.register(email);
      expect(r.statusCode).toBe(202);
      answers.add(r.body);
    }
    expect(answers.size).toBe(1);
    await s.t.app.deps.platform.queue.drain();
    expect(s.sink.pending(email)).toHaveLength(SIGNUP_MAILS_PER_ADDRESS.limit);
    // The refused one left no pending row behind.
    const rows = await s.t.app.deps.db.query(
      "SELECT 1 FROM account_tokens WHERE new_email = $1 AND purpose = 'signup'",
      [email],
    );
    expect(rows).toHaveLength(SIGNUP_MAILS_PER_ADDRESS.limit);
  });

  it('refuses a link once its pending sign-up expired, and makes no account', async () => {
    const email = fresh('late');
    await s.register(email);
    const token = tokenOf(linkIn(await s.sink.next(email), '/complete-signup'));
    // As if SIGNUP_LINK_TTL_MINUTES had passed since the mail.
    await s.t.app.deps.db.query(
      "UPDATE account_tokens SET expires_at = now() - interval '1 minute' WHERE token_hash = $1",
      [hashSecret(token)],
    );
    const res = await s.complete(token);
    expect(res.statusCode).toBe(410);
    expect(res.json().error).toEqual({
      code: 'TOKEN_EXPIRED',
      message: 'This link has expired. Ask for a new one.',
    });
    expect(await s.usersWith(email)).toBe(0);
    expect((await s.login(email, 'a pending long password')).statusCode).toBe(401);
  });
});

describe('sign-up by emailed link in embedded mode (PGlite, outbox)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ mode: 'embedded', overrides: { SIGNUP_EMAIL_VERIFICATION: 'on' } });
  });
  afterAll(async () => t?.close());

  it('writes the link to the outbox; following it makes the account once', async () => {
    const email = fresh('embedded');
    const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, payload });
    const asked = await post('/api/v1/auth/register', {
      email,
      password: 'an embedded long password',
      name: 'Em Bedded',
      role: 'coach',
    });
    expect(asked.statusCode).toBe(202);
    await t.app.deps.platform.queue.drain();
    const { messages } = await listOutbox({ deps: t.app.deps });
    const mail = messages.find((m) => m.to === email);
    expect(mail?.subject).toBe(FINISH);
    const token = tokenOf(linkIn({ text: mail!.text, html: mail!.text }, '/complete-signup'));
    const done = await post('/api/v1/auth/complete-signup', { token });
    expect(done.statusCode).toBe(201);
    expect(done.json().user).toMatchObject({ email, role: 'coach' });
    expect((await post('/api/v1/auth/complete-signup', { token })).statusCode).toBe(410);
    const signIn = await post('/api/v1/auth/login', { email, password: 'an embedded long password' });
    expect(signIn.statusCode).toBe(200);
  });
});
