import type { RegisterBody, User } from '@athlete/contracts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { hashPassword } from './password.ts';
import { assertGuessResistant } from './password-strength.ts';
import { toUserView } from './user-view.ts';

const isUniqueViolation = (err: unknown) =>
  typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';

/** Creates an athlete or coach account (athletes get an empty profile). */
export async function registerUser({
  deps,
  input,
  role,
}: {
  deps: Deps;
  input: Omit<RegisterBody, 'role'>;
  /** Admins are never self-registered: see promoteToAdmin. */
  role: 'athlete' | 'coach' | 'admin';
}): Promise<User> {
  assertGuessResistant(input.password, { field: 'body.password', userInputs: [input.email, input.name] });
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await deps.db.prisma.user.create({
      data: {
        email: input.email,
        name: input.name,
        role,
        passwordHash,
        ...(role === 'athlete' ? { profile: { create: {} } } : {}),
      },
    });
    return toUserView(user);
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('EMAIL_TAKEN', 'An account with this email already exists', [
        { field: 'body.email', message: 'is already registered' },
      ]);
    }
    throw err;
  }
}
