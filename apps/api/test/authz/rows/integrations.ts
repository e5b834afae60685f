import { type AuthzRow, expectAll, usersOnly } from '../harness.ts';

/**
 * Rows of issue #6: integrations, webhooks, imports, failed jobs. The matrix app has no WHOOP or
 * Garmin credentials, so a signed-in user reaching the provider step gets 501 (not configured)
 * and provider webhooks answer 501 to everyone: reaching that status proves the guard let them
 * through. Webhooks are public by design (the provider signs or identifies itself, not a user).
 */
const rows: AuthzRow[] = [
  { method: 'GET', url: '/api/v1/integrations', expect: usersOnly(200) },
  {
    method: 'GET',
    url: '/api/v1/integrations/:provider/connect',
    request: () => ({ url: '/api/v1/integrations/whoop/connect' }),
    expect: usersOnly(501),
  },
  {
    // The provider's redirect: identified by the single-use state, not by a session.
    method: 'GET',
    url: '/api/v1/integrations/:provider/callback',
    request: () => ({ url: '/api/v1/integrations/whoop/callback?code=c&state=unknown-state' }),
    expect: expectAll(400),
  },
  {
    method: 'POST',
    url: '/api/v1/integrations/:provider/sync',
    request: () => ({ url: '/api/v1/integrations/garmin/sync' }),
    expect: usersOnly(404),
  },
  {
    method: 'DELETE',
    url: '/api/v1/integrations/:provider',
    request: () => ({ url: '/api/v1/integrations/whoop' }),
    expect: usersOnly(404),
  },
  { method: 'POST', url: '/api/v1/webhooks/whoop', request: () => ({ payload: {} }), expect: expectAll(501) },
  {
    method: 'POST',
    url: '/api/v1/webhooks/garmin/:token',
    // No Garmin configured here: no token is ours, so nobody gets further than the URL.
    request: () => ({ url: '/api/v1/webhooks/garmin/any-token', payload: {} }),
    expect: expectAll(404),
  },
  { method: 'POST', url: '/api/v1/imports', request: () => ({ payload: {} }), expect: usersOnly(415) },
  { method: 'GET', url: '/api/v1/admin/jobs/failed', expect: usersOnly(403, { admin: 200 }) },
  {
    method: 'POST',
    url: '/api/v1/admin/jobs/:id/retry',
    request: () => ({ url: '/api/v1/admin/jobs/no-such-job/retry' }),
    expect: usersOnly(403, { admin: 404 }),
  },
];

export default rows;
