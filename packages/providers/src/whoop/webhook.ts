import { createHmac, timingSafeEqual } from 'node:crypto';

export const WHOOP_SIGNATURE_HEADER = 'x-whoop-signature';
export const WHOOP_SIGNATURE_TIMESTAMP_HEADER = 'x-whoop-signature-timestamp';
/** Default tolerance between the signature timestamp and our clock. */
export const WHOOP_SIGNATURE_TOLERANCE_MS = 5 * 60_000;

/** base64(HMAC-SHA256(client secret, timestamp header + raw body)); no separator. */
export function signWhoopPayload(params: {
  rawBody: string | Uint8Array;
  timestamp: string;
  secret: string;
}): string {
  return createHmac('sha256', params.secret).update(params.timestamp).update(params.rawBody).digest('base64');
}

export type WhoopSignatureFailure = 'missing' | 'bad_timestamp' | 'stale' | 'mismatch';

export type WhoopSignatureResult = { ok: true } | { ok: false; reason: WhoopSignatureFailure };

export interface VerifyWhoopSignatureParams {
  /** The body bytes exactly as received (not re-serialised JSON). */
  rawBody: string | Uint8Array;
  /** `X-WHOOP-Signature-Timestamp`: epoch milliseconds as a string. */
  timestamp: string | undefined;
  /** `X-WHOOP-Signature`. */
  signature: string | undefined;
  /** The app's client secret (WHOOP has no separate webhook secret). */
  secret: string;
  nowMs?: number;
  toleranceMs?: number;
}

/** Checks a WHOOP webhook signature in constant time and refuses stale or future timestamps. */
export function verifyWhoopSignature(params: VerifyWhoopSignatureParams): WhoopSignatureResult {
  const { timestamp, signature } = params;
  if (timestamp === undefined || signature === undefined || timestamp === '' || signature === '') {
    return { ok: false, reason: 'missing' };
  }
  if (!/^\d+$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const nowMs = params.nowMs ?? Date.now();
  const toleranceMs = params.toleranceMs ?? WHOOP_SIGNATURE_TOLERANCE_MS;
  if (Math.abs(nowMs - Number(timestamp)) > toleranceMs) return { ok: false, reason: 'stale' };

  const expected = Buffer.from(
    signWhoopPayload({ rawBody: params.rawBody, timestamp, secret: params.secret }),
  );
  const received = Buffer.from(signature.trim());
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    return { ok: false, reason: 'mismatch' };
  }
  return { ok: true };
}
