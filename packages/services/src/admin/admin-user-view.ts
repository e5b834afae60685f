import type { AdminUser } from '@athlete/contracts';
import { toUserView } from '../accounts/user-view.ts';

export interface AdminUserRow {
  id: string;
  email: string;
  name: string;
  role: 'athlete' | 'coach' | 'admin';
  disabledAt: Date | null;
  createdAt: Date;
  lastSeenAt: Date | null;
}

/** Columns of an AdminUserRow, selected from `users u`; last seen is the latest session use. */
export const ADMIN_USER_COLUMNS = `u.id, u.email, u.name, u.role::text AS role,
            u.disabled_at AS "disabledAt", u.created_at AS "createdAt",
            (SELECT max(last_used_at) FROM auth_sessions WHERE user_id = u.id) AS "lastSeenAt"`;

/** A user as admins see it: the public view plus when the account was last used. */
export function toAdminUserView(r: AdminUserRow): AdminUser {
  return { ...toUserView(r), lastSeenAt: r.lastSeenAt?.toISOString() ?? null };
}
