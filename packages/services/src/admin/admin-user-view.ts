import type { AdminUser } from '@athlete/contracts';

export interface AdminUserRow {
  id: string;
  email: string;
  name: string;
  role: 'athlete' | 'coach' | 'admin';
  disabled_at: Date | null;
  created_at: Date;
  last_seen_at: Date | null;
}

/** Columns of an AdminUserRow, selected from `users u`; last seen is the latest session use. */
export const ADMIN_USER_COLUMNS = `u.id, u.email, u.name, u.role::text AS role, u.disabled_at, u.created_at,
            (SELECT max(last_used_at) FROM auth_sessions WHERE user_id = u.id) AS last_seen_at`;

export function toAdminUserView(r: AdminUserRow): AdminUser {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    disabled: r.disabled_at !== null,
    createdAt: r.created_at.toISOString(),
    lastSeenAt: r.last_seen_at?.toISOString() ?? null,
  };
}
