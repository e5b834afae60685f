import { AppError } from '../errors.ts';

const EARLIEST_MS = Date.UTC(1990, 0, 1);
/** A clock a few minutes ahead of the server still enters a session that just ended. */
const FUTURE_SLACK_MS = 5 * 60_000;

/**
 * The one rule for when a session entered by hand may lie, for a new one and an edited one:
 * starting in 1990 or later and ended (start + duration) by now. 400 naming `body.startedAt`.
 */
export function checkManualSessionWindow(startMs: number, durationS: number, now: number): void {
  if (startMs < EARLIEST_MS) throw manualFieldError('body.startedAt', 'must be in 1990 or later');
  if (startMs + durationS * 1000 > now + FUTURE_SLACK_MS) {
    throw manualFieldError(
      'body.startedAt',
      'must be in the past: the session has to have ended (start + duration)',
    );
  }
}

function manualFieldError(field: string, message: string) {
  return new AppError('VALIDATION_ERROR', `${field}: ${message}`, [{ field, message }]);
}
