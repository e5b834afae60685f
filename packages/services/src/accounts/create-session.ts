import type { Deps } from '../deps.ts';
import { hashSecret, newSecret, SESSION_TOKEN_PREFIX } from './tokens.ts';

/** Opens a session for a user: returns the opaque token (shown once) and its expiry. */
export async function createSession({
  deps,
  userId,
  userAgent,
  ip,
}: {
  deps: Deps;
  userId: string;
  userAgent?: string | undefined;
  ip?: string | undefined;
}): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = newSecret(SESSION_TOKEN_PREFIX);
  const expiresAt = new Date(Date.now() + deps.config.SESSION_TTL_HOURS * 3_600_000);
  const row = await deps.db.prisma.authSession.create({
    data: {
      userId,
      tokenHash: hashSecret(token),
      expiresAt,
      userAgent: userAgent?.slice(0, 300) ?? null,
      ip: ip ?? null,
    },
    select: { id: true },
  });
  return { token, sessionId: row.id, expiresAt };
}
