/**
 * Who is calling. Resolved once per request by the API's auth plugin from a session token
 * (cookie or Bearer `aps_…`) or an ingest key (Bearer `apk_…`); null when anonymous.
 */
export type UserRole = 'athlete' | 'coach' | 'admin';

export interface UserPrincipal {
  kind: 'user';
  userId: string;
  role: UserRole;
  sessionId: string;
  via: 'cookie' | 'bearer';
}

export interface DevicePrincipal {
  kind: 'device';
  deviceId: string;
  ownerId: string;
  deviceKind: 'personal' | 'gateway';
  /** The athlete a personal key writes for. */
  athleteId: string | null;
  /** The team a gateway key writes for (its consenting athletes only). */
  teamId: string | null;
}

export type Principal = UserPrincipal | DevicePrincipal;

export type AccessScope = 'live' | 'sessions' | 'wellness';

export const isUser = (p: Principal | null | undefined): p is UserPrincipal => p?.kind === 'user';
