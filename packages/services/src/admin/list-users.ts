import type { Deps } from '../deps.ts';

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: 'athlete' | 'coach' | 'admin';
  disabled_at: Date | null;
  created_at: Date;
  last_seen_at: Date | null;
  total: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Every account, newest first, a page at a time, optionally filtered by email or name. */
export async function listUsers({
  deps,
  page,
  pageSize,
  q,
}: {
  deps: Deps;
  page: number;
  pageSize: number;
  q?: string | undefined;
}) {
  const pattern = q ? `%${escapeLike(q.toLowerCase())}%` : null;
  const rows = await deps.db.query<UserRow>(
    `SELECT u.id, u.email, u.name, u.role::text AS role, u.disabled_at, u.created_at,
            (SELECT max(last_used_at) FROM auth_sessions WHERE user_id = u.id) AS last_seen_at,
            count(*) OVER ()::int AS total
       FROM users u
      WHERE $1::text IS NULL OR lower(u.email) LIKE $1 OR lower(u.name) LIKE $1
      ORDER BY u.created_at DESC, u.id
      LIMIT $2 OFFSET $3`,
    [pattern, pageSize, (page - 1) * pageSize],
  );
  let total = rows[0]?.total;
  if (total === undefined) {
    const [c] = await deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM users u WHERE $1::text IS NULL OR lower(u.email) LIKE $1 OR lower(u.name) LIKE $1`,
      [pattern],
    );
    total = c?.n ?? 0;
  }
  return {
    users: rows.map((r) => ({
      id: r.id,
      email: r.email,
      name: r.name,
      role: r.role,
      disabled: r.disabled_at !== null,
      createdAt: r.created_at.toISOString(),
      lastSeenAt: r.last_seen_at?.toISOString() ?? null,
    })),
    page,
    pageSize,
    total: Number(total),
  };
}
