import type { Deps } from '../deps.ts';
import { ADMIN_USER_COLUMNS, type AdminUserRow, toAdminUserView } from './admin-user-view.ts';

const MATCHES_Q = '$1::text IS NULL OR lower(u.email) LIKE $1 OR lower(u.name) LIKE $1';

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
  const rows = await deps.db.query<AdminUserRow & { total: number }>(
    `SELECT ${ADMIN_USER_COLUMNS}, count(*) OVER ()::int AS total
       FROM users u
      WHERE ${MATCHES_Q}
      ORDER BY u.created_at DESC, u.id
      LIMIT $2 OFFSET $3`,
    [pattern, pageSize, (page - 1) * pageSize],
  );
  // Past the last page the window count has no row to ride on: count separately.
  let total = rows[0]?.total;
  if (total === undefined) {
    const [c] = await deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM users u WHERE ${MATCHES_Q}`,
      [pattern],
    );
    total = c?.n ?? 0;
  }
  return {
    users: rows.map(toAdminUserView),
    page,
    pageSize,
    total: Number(total),
  };
}
