import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.ts';
import type { SandboxClientConfig } from '../options.ts';
import type { IssuedTokens, SandboxProvider } from '../state/tokens.ts';
import { errorPage, redirectWith, renderConsentPage } from './consent-page.ts';

const authorizeQuery = z.object({
  client_id: z.string().min(1),
  redirect_uri: z.string().url(),
  response_type: z.literal('code'),
  scope: z.string().optional(),
  state: z.string().optional(),
  code_challenge: z.string().optional(),
  code_challenge_method: z.string().optional(),
});

const decisionBody = authorizeQuery.extend({
  decision: z.enum(['allow', 'deny']),
  login: z.string().trim().min(1).max(64).default('athlete'),
});

const tokenBody = z.discriminatedUnion('grant_type', [
  z.object({
    grant_type: z.literal('authorization_code'),
    code: z.string().min(1),
    redirect_uri: z.string().optional(),
    client_id: z.string().optional(),
    client_secret: z.string().optional(),
    code_verifier: z.string().optional(),
  }),
  z.object({
    grant_type: z.literal('refresh_token'),
    refresh_token: z.string().min(1),
    client_id: z.string().optional(),
    client_secret: z.string().optional(),
    scope: z.string().optional(),
  }),
]);

export interface OAuthRouteConfig {
  provider: SandboxProvider;
  providerName: string;
  client: SandboxClientConfig;
  authorizePath: string;
  tokenPath: string;
  accessTtlS: number;
  pkce: boolean;
  /** Minimum `state` length, 0 for none. */
  minStateLength: number;
  defaultScope: string;
  tokenResponse: (issued: IssuedTokens) => Record<string, unknown>;
}

function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply.code(status).send({ error, error_description: description });
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Consent page, decision POST and token endpoint of one provider. */
export function registerOAuthRoutes(
  app: FastifyInstance,
  context: SandboxContext,
  config: OAuthRouteConfig,
): void {
  const { client } = config;

  const validateAuthorize = (input: z.infer<typeof authorizeQuery>): string | null => {
    if (input.client_id !== client.clientId) return `unknown client_id ${input.client_id}`;
    if (client.redirectUris.length > 0 && !client.redirectUris.includes(input.redirect_uri)) {
      return `redirect_uri ${input.redirect_uri} is not registered for this app`;
    }
    if ((input.state ?? '').length < config.minStateLength) {
      return `state must be at least ${config.minStateLength} characters`;
    }
    if (config.pkce && (input.code_challenge === undefined || input.code_challenge_method !== 'S256')) {
      return 'code_challenge with code_challenge_method=S256 is required';
    }
    return null;
  };

  app.get(config.authorizePath, async (request, reply) => {
    const parsed = authorizeQuery.safeParse(request.query);
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join('.') ?? 'query';
      return reply
        .code(400)
        .type('text/html')
        .send(errorPage(`invalid or missing parameter: ${field}`));
    }
    const problem = validateAuthorize(parsed.data);
    if (problem !== null) return reply.code(400).type('text/html').send(errorPage(problem));
    const hidden = Object.fromEntries(
      Object.entries(parsed.data).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    return reply.type('text/html').send(
      renderConsentPage({
        providerName: config.providerName,
        appName: client.name,
        scopes: (parsed.data.scope ?? config.defaultScope).split(/\s+/).filter(Boolean),
        action: config.authorizePath,
        hidden,
      }),
    );
  });

  app.post(config.authorizePath, async (request, reply) => {
    const parsed = decisionBody.safeParse(request.body);
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join('.') ?? 'body';
      return reply
        .code(400)
        .type('text/html')
        .send(errorPage(`invalid or missing field: ${field}`));
    }
    const input = parsed.data;
    const problem = validateAuthorize(input);
    if (problem !== null) return reply.code(400).type('text/html').send(errorPage(problem));
    if (input.decision === 'deny') {
      return reply.redirect(
        redirectWith(input.redirect_uri, { error: 'access_denied', state: input.state }),
        302,
      );
    }
    context.user(input.login);
    const code = context.tokens.createCode(
      {
        provider: config.provider,
        login: input.login,
        clientId: client.clientId,
        scope: input.scope ?? config.defaultScope,
      },
      input.redirect_uri,
      input.code_challenge,
    );
    return reply.redirect(redirectWith(input.redirect_uri, { code, state: input.state }), 302);
  });

  app.post(config.tokenPath, async (request, reply) => {
    const parsed = tokenBody.safeParse(request.body);
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join('.') ?? 'body';
      return oauthError(reply, 400, 'invalid_request', `invalid or missing field: ${field}`);
    }
    const body = parsed.data;
    if (body.client_id !== client.clientId || body.client_secret !== client.clientSecret) {
      return oauthError(reply, 401, 'invalid_client', 'client authentication failed');
    }
    let issued: IssuedTokens | undefined;
    if (body.grant_type === 'authorization_code') {
      const entry = context.tokens.takeCode(body.code);
      if (entry === undefined || entry.grant.provider !== config.provider) {
        return oauthError(reply, 400, 'invalid_grant', 'authorization code is invalid, expired or used');
      }
      if (body.redirect_uri !== entry.redirectUri) {
        return oauthError(
          reply,
          400,
          'invalid_grant',
          'redirect_uri does not match the authorization request',
        );
      }
      if (entry.codeChallenge !== undefined) {
        if (body.code_verifier === undefined || s256(body.code_verifier) !== entry.codeChallenge) {
          return oauthError(reply, 400, 'invalid_grant', 'PKCE verification failed');
        }
      }
      issued = context.tokens.issue(entry.grant, config.accessTtlS);
    } else {
      issued = context.tokens.refresh(
        config.provider,
        body.refresh_token,
        client.clientId,
        config.accessTtlS,
      );
      if (issued === undefined) {
        return oauthError(reply, 400, 'invalid_grant', 'refresh token is invalid, revoked or already used');
      }
    }
    return reply.header('cache-control', 'no-store').send(config.tokenResponse(issued));
  });
}
