import type { User } from '@athlete/contracts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { toUserView } from './user-view.ts';

/** Makes an existing account an admin (used by the create-admin CLI; admins are never self-registered). */
export async function promoteToAdmin({ deps, email }: { deps: Deps; email: string }): Promise<User> {
  const found = await deps.db.prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!found) throw new AppError('NOT_FOUND', `No account with email ${email}`);
  const user = await deps.db.prisma.user.update({ where: { id: found.id }, data: { role: 'admin' } });
  return toUserView(user);
}
