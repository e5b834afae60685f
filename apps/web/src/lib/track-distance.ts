import { haversineDistance } from '@athlete/core';

/** Fixes less sure than this (metres, the browser's 95 % radius) are not counted. */
export const MAX_FIX_ACCURACY_M = 50;
/** Steps shorter than this are left to add up, so GPS jitter while standing adds nothing. */
export const MIN_STEP_M = 5;

/**
 * Distance covered from the device's location fixes, for spoken splits on Record when the
 * recording itself carries no distance (a strap alone does not). The fixes stay on the device.
 */
export class TrackDistance {
  private last: { lat: number; lon: number } | null = null;
  metres = 0;

  /** Adds a fix; returns the distance so far (m). */
  add(fix: { lat: number; lon: number; accuracy: number }): number {
    if (!Number.isFinite(fix.lat) || !Number.isFinite(fix.lon)) return this.metres;
    if (!(fix.accuracy <= MAX_FIX_ACCURACY_M)) return this.metres;
    if (!this.last) {
      this.last = { lat: fix.lat, lon: fix.lon };
      return this.metres;
    }
    const step = haversineDistance(this.last, fix);
    if (step >= MIN_STEP_M) {
      this.metres += step;
      this.last = { lat: fix.lat, lon: fix.lon };
    }
    return this.metres;
  }

  reset(): void {
    this.last = null;
    this.metres = 0;
  }
}
