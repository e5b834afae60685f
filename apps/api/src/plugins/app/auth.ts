import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '@athlete/config';
import {
  AppError,
  type Principal,
  resolvePrincipal,
  type UserPrincipal,
  type UserRole,
} from '@athlete/services';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';

export const SESSION_COOKIE = 'ap_session';
export const CSRF_COOKIE = 'ap_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface RegisteredRoute {
  method: string;
  url: string;
  websocket: boolean;
  /** The names its querystring schema declares (the fuzz suite varies each of them). */
  query: string[];
  /** Its zod schemas as registered (the contract test compares them with `API_ROUTES`). */
  schema: { body?: unknown; querystring?: unknown; params?: unknown; response?: Record<string, unknown> };
}

/** Keys of a zod object schema, or none. */
function schemaKeys(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling: a signed-in user, an ingest key's device, or null (anonymous). */
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** preHandler: a signed-in user (401 otherwise; 403 for ingest keys). */
    requireUser: preHandlerAsyncHookHandler;
    /** preHandler: a signed-in user with one of these roles (403 otherwise). */
    requireRole(...roles: UserRole[]): preHandlerAsyncHookHandler;
    /** preHandler: a user or an ingest key (the only routes keys may call). */
    requireIngest: preHandlerAsyncHookHandler;
    /** Every route registered after this plugin, for the authorization matrix. */
    routeRegistry: RegisteredRoute[];
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function cookieOptions(config: Config) {
  const secure = config.COOKIE_SECURE ?? config.PUBLIC_URL?.startsWith('https:') ?? false;
  return { path: '/', sameSite: 'lax' as const, secure };
}

/**
 * Sets the httpOnly session cookie and the readable CSRF cookie whose value the SPA echoes in
 * the X-CSRF-Token header (double submit).
 */
export function setSessionCookies(reply: FastifyReply, config: Config, token: string, expiresAt: Date) {
  const base = { ...cookieOptions(config), expires: expiresAt };
  reply.setCookie(SESSION_COOKIE, token, { ...base, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, randomBytes(24).toString('base64url'), { ...base, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply, config: Config) {
  const base = cookieOptions(config);
  reply.clearCookie(SESSION_COOKIE, { ...base, httpOnly: true });
  reply.clearCookie(CSRF_COOKIE, base);
}

/** The signed-in user of a route guarded by requireUser/requireRole. */
export function userOf(req: FastifyRequest): UserPrincipal {
  if (req.principal?.kind !== 'user') throw new AppError('UNAUTHENTICATED', 'Sign in first');
  return req.principal;
}

function presentedCredential(req: FastifyRequest): { value: string; via: 'cookie' | 'bearer' } | null {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return m?.[1] ? { value: m[1], via: 'bearer' } : null;
  }
  if (req.headers.upgrade?.toLowerCase() === 'websocket') {
    // Browsers cannot set headers on a WebSocket: the token may come in the query instead.
    const token = (req.query as Record<string, unknown> | undefined)?.token;
    if (typeof token === 'string' && token) return { value: token, via: 'bearer' };
  }
  const cookie = req.cookies[SESSION_COOKIE];
  return cookie ? { value: cookie, via: 'cookie' } : null;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Cookies ride along on cross-site requests; bearer tokens do not. So a cookie-authenticated
 * request must come from an allowed origin (when the browser says where from), and if it
 * changes state it must echo the CSRF cookie in a header another site cannot read.
 */
function checkCookieRequest(req: FastifyRequest, config: Config) {
  const isUpgrade = req.headers.upgrade?.toLowerCase() === 'websocket';
  const origin = req.headers.origin;
  if (origin !== undefined && (isUpgrade || !SAFE_METHODS.has(req.method))) {
    const allowed = new Set<string>(config.CORS_ORIGINS);
    if (config.PUBLIC_URL) allowed.add(new URL(config.PUBLIC_URL).origin);
    allowed.add(`${req.protocol}://${req.host}`);
    if (!allowed.has(origin))
      throw new AppError('CSRF_FAILED', `Requests from origin ${origin} are not allowed`);
  }
  if (SAFE_METHODS.has(req.method)) return;
  const header = req.headers[CSRF_HEADER];
  const cookie = req.cookies[CSRF_COOKIE];
  if (typeof header !== 'string' || !cookie || !sameSecret(header, cookie)) {
    throw new AppError(
      'CSRF_FAILED',
      `Missing or wrong ${CSRF_HEADER} header for a cookie-authenticated request`,
    );
  }
}

/**
 * Resolves every request's principal from `Authorization: Bearer` (session token or ingest
 * key), the `ap_session` cookie, or for WebSockets `?token=`; enforces CSRF rules on cookie
 * requests; and provides the route guards. An invalid credential leaves the request anonymous
 * (guards then answer 401), so public routes keep working with a stale cookie.
 */
export default fp(
  async (app) => {
    app.decorate('routeRegistry', [] as RegisteredRoute[]);
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (method === 'HEAD') continue; // GET routes' automatic HEAD twins
        app.routeRegistry.push({
          method,
          url: route.url,
          websocket: Boolean((route as { websocket?: boolean }).websocket),
          query: schemaKeys(route.schema?.querystring),
          schema: (route.schema ?? {}) as RegisteredRoute['schema'],
        });
      }
    });

    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (req) => {
      const credential = presentedCredential(req);
      if (!credential) return;
      // app.deps is read at request time: the deps plugin registers after this one so that
      // this plugin's onRoute hook sees every route of the app plugins and routes.
      req.principal = await resolvePrincipal({
        deps: app.deps,
        credential: credential.value,
        via: credential.via,
      });
      if (req.principal?.kind === 'user' && req.principal.via === 'cookie')
        checkCookieRequest(req, app.config);
    });

    const requireUser: preHandlerAsyncHookHandler = async (req) => {
      if (!req.principal)
        throw new AppError('UNAUTHENTICATED', 'Sign in first (session cookie or Bearer token)');
      if (req.principal.kind !== 'user') throw new AppError('FORBIDDEN', 'Ingest keys can only send samples');
    };
    app.decorate('requireUser', requireUser);
    app.decorate(
      'requireRole',
      (...roles: UserRole[]): preHandlerAsyncHookHandler =>
        async function requireRole(req, reply) {
          await requireUser.call(this, req, reply);
          if (req.principal?.kind === 'user' && !roles.includes(req.principal.role)) {
            throw new AppError('FORBIDDEN', `Only ${roles.join(' or ')} accounts can do this`);
          }
        },
    );
    app.decorate('requireIngest', async (req: FastifyRequest) => {
      if (!req.principal)
        throw new AppError('UNAUTHENTICATED', 'Send a session token or an ingest key as Bearer');
    });
  },
  { name: 'auth', dependencies: ['cookie'] },
);
