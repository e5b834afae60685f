import { randomBytes } from 'node:crypto';

export type SandboxProvider = 'whoop' | 'garmin';

export interface Grant {
  provider: SandboxProvider;
  login: string;
  clientId: string;
  scope: string;
}

interface CodeEntry {
  grant: Grant;
  redirectUri: string;
  codeChallenge: string | undefined;
  expiresAtMs: number;
}

interface AccessEntry {
  grant: Grant;
  expiresAtMs: number;
  revoked: boolean;
}

interface RefreshEntry {
  grant: Grant;
  /** Set once used (rotation) or revoked: the token is dead. */
  dead: boolean;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresInS: number;
  grant: Grant;
}

export type AccessCheck =
  | { ok: true; grant: Grant }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

const token = (prefix: string) => `${prefix}_${randomBytes(18).toString('base64url')}`;

/** Authorization codes, access and refresh tokens of both providers. */
export class TokenStore {
  readonly #codes = new Map<string, CodeEntry>();
  readonly #access = new Map<string, AccessEntry>();
  readonly #refresh = new Map<string, RefreshEntry>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  createCode(grant: Grant, redirectUri: string, codeChallenge: string | undefined): string {
    const code = token('code');
    this.#codes.set(code, { grant, redirectUri, codeChallenge, expiresAtMs: this.#now() + 10 * 60_000 });
    return code;
  }

  /** Codes are single use: the entry is removed whatever the outcome. */
  takeCode(code: string): CodeEntry | undefined {
    const entry = this.#codes.get(code);
    this.#codes.delete(code);
    if (entry === undefined || entry.expiresAtMs < this.#now()) return undefined;
    return entry;
  }

  issue(grant: Grant, accessTtlS: number): IssuedTokens {
    const accessToken = token(`${grant.provider}_at`);
    const refreshToken = token(`${grant.provider}_rt`);
    this.#access.set(accessToken, { grant, expiresAtMs: this.#now() + accessTtlS * 1000, revoked: false });
    this.#refresh.set(refreshToken, { grant, dead: false });
    return { accessToken, refreshToken, expiresInS: accessTtlS, grant };
  }

  /** Rotates: the presented refresh token dies, a new pair is issued. */
  refresh(
    provider: SandboxProvider,
    refreshToken: string,
    clientId: string,
    accessTtlS: number,
  ): IssuedTokens | undefined {
    const entry = this.#refresh.get(refreshToken);
    if (
      entry === undefined ||
      entry.dead ||
      entry.grant.provider !== provider ||
      entry.grant.clientId !== clientId
    ) {
      return undefined;
    }
    entry.dead = true;
    return this.issue(entry.grant, accessTtlS);
  }

  checkAccess(provider: SandboxProvider, accessToken: string | undefined): AccessCheck {
    const entry = accessToken === undefined ? undefined : this.#access.get(accessToken);
    if (entry === undefined || entry.grant.provider !== provider) return { ok: false, reason: 'unknown' };
    if (entry.revoked) return { ok: false, reason: 'revoked' };
    if (entry.expiresAtMs <= this.#now()) return { ok: false, reason: 'expired' };
    return { ok: true, grant: entry.grant };
  }

  /** Makes every access token of the provider (optionally of one user) expired. */
  expireAccess(provider: SandboxProvider, login?: string): number {
    let count = 0;
    for (const entry of this.#access.values()) {
      if (entry.grant.provider === provider && (login === undefined || entry.grant.login === login)) {
        entry.expiresAtMs = 0;
        count += 1;
      }
    }
    return count;
  }

  /** Revokes access and refresh tokens of a user (disconnect, or a fault mode). */
  revokeUser(provider: SandboxProvider, login?: string): number {
    let count = 0;
    const matches = (grant: Grant) =>
      grant.provider === provider && (login === undefined || grant.login === login);
    for (const entry of this.#access.values()) {
      if (matches(entry.grant) && !entry.revoked) {
        entry.revoked = true;
        count += 1;
      }
    }
    for (const entry of this.#refresh.values()) if (matches(entry.grant)) entry.dead = true;
    return count;
  }
}
