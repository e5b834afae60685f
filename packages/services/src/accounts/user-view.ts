import type { User } from '@athlete/contracts';

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: 'athlete' | 'coach' | 'admin';
  disabledAt: Date | null;
  createdAt: Date;
}

/** The public shape of a user: never the password hash. */
export function toUserView(u: UserRow): User {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: u.disabledAt !== null,
    createdAt: u.createdAt.toISOString(),
  };
}
