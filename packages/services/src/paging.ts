import { isQueryTime } from '@athlete/contracts';
import { AppError } from './errors.ts';

/**
 * The position after the last item of a page in a list ordered by (time, id) descending. The
 * id breaks ties, so items sharing a timestamp are neither skipped nor repeated across pages.
 */
export interface KeysetPosition {
  /** Epoch ms (timestamptz(3) columns hold exactly this precision). */
  at: number;
  id: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An opaque `?cursor` for the page after `position`. */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

/** Reads a cursor made by {@link encodeCursor}; anything else is a 400 naming `querystring.cursor`. */
export function decodeCursor(cursor: string): KeysetPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    typeof parsed[0] === 'number' &&
    isQueryTime(parsed[0]) &&
    typeof parsed[1] === 'string' &&
    UUID_RE.test(parsed[1])
  ) {
    return { at: parsed[0] as number, id: parsed[1] };
  }
  throw new AppError('VALIDATION_ERROR', 'querystring.cursor: is not a cursor this list gave out', [
    { field: 'querystring.cursor', message: 'is not a cursor this list gave out' },
  ]);
}
