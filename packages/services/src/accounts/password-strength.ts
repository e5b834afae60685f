import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../errors.ts';

/** zxcvbn's scale: 0–1 fall to a short guessing attack (common passwords and their variants). */
const MIN_SCORE = 2;

let checker: ZxcvbnFactory | null = null;
const zxcvbn = () => {
  checker ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  return checker;
};

/**
 * Refuses a new password that a guessing attack finds quickly: one of the common passwords
 * (zxcvbn-ts's list) or a close variant, or one built from the account's own email or name.
 * Length and blank checks come first, in the contract's `newPasswordSchema`.
 */
export function assertGuessResistant(
  password: string,
  { field, userInputs }: { field: string; userInputs: string[] },
): void {
  // An email's local part and a name's words count too: "jane.doe" for jane.doe@example.com.
  const inputs = userInputs.flatMap((v) => [v, ...v.split(/[@\s]+/)]).filter((v) => v.length >= 3);
  const result = zxcvbn().check(password, inputs);
  if (result.score >= MIN_SCORE) return;
  const reason =
    result.feedback.warning === 'userInputs'
      ? 'is too close to your email or name'
      : 'is too easy to guess (a common password or close to one); a few unrelated words work well';
  throw new AppError('VALIDATION_ERROR', `${field}: ${reason}`, [{ field, message: reason }]);
}
