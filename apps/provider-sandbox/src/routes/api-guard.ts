import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context.ts';
import type { Grant, SandboxProvider } from '../state/tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    grant: Grant | null;
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

type ErrorBody = (code: string, message: string) => unknown;

/**
 * onRequest hook for a provider's API routes: bearer auth (401 when unknown, expired or revoked),
 * request counting, WHOOP rate limits, fault modes (429 bursts, 5xx, slow answers).
 */
export function apiGuard(
  context: SandboxContext,
  provider: SandboxProvider,
  errorBody: ErrorBody,
  options: { pullTokenLogin?: (request: FastifyRequest) => string | undefined } = {},
) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
    const token = bearer(request);
    const access = context.tokens.checkAccess(provider, token);
    let grant: Grant | null = access.ok ? access.grant : null;
    if (grant === null && token === undefined) {
      const login = options.pullTokenLogin?.(request);
      if (login !== undefined) grant = { provider, login, clientId: 'pull-token', scope: '' };
    }
    const decision = context.traffic.admit(provider, route, grant?.clientId ?? 'anonymous');
    const delay = context.traffic.delayMs(provider);
    if (delay > 0) await sleep(delay);
    reply.headers(decision.headers);

    if (decision.kind === 'rate-limited') {
      return reply
        .code(429)
        .header('retry-after', String(decision.retryAfterS))
        .send(errorBody('rate_limited', 'Request rejected due to rate limiting'));
    }
    if (decision.kind === 'server-error') {
      return reply
        .code(decision.status)
        .send(errorBody('server_error', 'Server error occurred while making request'));
    }
    if (grant === null) {
      const reason = access.ok ? 'unknown' : access.reason;
      return reply
        .code(401)
        .header('www-authenticate', `Bearer error="invalid_token", error_description="token ${reason}"`)
        .send(errorBody('invalid_token', `access token ${reason}`));
    }
    request.grant = grant;
  };
}

export function requireGrant(request: FastifyRequest): Grant {
  if (request.grant === null) throw new Error('route reached without a grant');
  return request.grant;
}
