import type { User } from '@athlete/contracts';
import type { Deps } from '../deps.ts';
import { toUserView } from './user-view.ts';

/** Renames the signed-in person; teams, invites and alerts show the new name from now on. */
export async function updateAccountName({
  deps,
  userId,
  name,
}: {
  deps: Deps;
  userId: string;
  name: string;
}): Promise<User> {
  const user = await deps.db.prisma.user.update({ where: { id: userId }, data: { name } });
  return toUserView(user);
}
