/**
 * How the session numbers are worked out, in the words the pages show beside them (one text per
 * number so Trends and the team session review say the same; docs/ANALYTICS.md has the detail).
 */
export const TRIMP_FORMULA =
  'TRIMP (Banister) weights each minute by heart-rate reserve: minutes × HRr × 0.64 × e^(1.92 × HRr) (0.86 × e^(1.67 × HRr) for women)';

export const SRPE_FORMULA =
  "sRPE load (Foster) = the athlete's rating of effort (0–10) × the session's minutes";
