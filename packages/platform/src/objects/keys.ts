export class InvalidObjectKeyError extends Error {
  constructor(key: string, reason: string) {
    super(`Invalid object key "${key}": ${reason}`);
    this.name = 'InvalidObjectKeyError';
  }
}

/**
 * Object keys are `/`-separated relative paths: no empty, `.` or `..` segments, no leading `/`,
 * no backslashes or NUL. Both adapters enforce the same rule so keys stay portable.
 */
export function assertObjectKey(key: string): void {
  if (!key) throw new InvalidObjectKeyError(key, 'must not be empty');
  if (key.includes('\\') || key.includes('\0')) throw new InvalidObjectKeyError(key, 'contains \\ or NUL');
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw new InvalidObjectKeyError(key, 'empty, "." or ".." path segment');
    }
  }
}

/** A list/delete prefix may end with `/` (or be empty) but must not escape either. */
export function assertObjectPrefix(prefix: string): void {
  if (prefix === '') return;
  assertObjectKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json',
  txt: 'text/plain',
  csv: 'text/csv',
  html: 'text/html',
  gpx: 'application/gpx+xml',
  tcx: 'application/vnd.garmin.tcx+xml',
  xml: 'application/xml',
  fit: 'application/vnd.ant.fit',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gz: 'application/gzip',
};

export function inferContentType(key: string): string {
  const ext = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}
