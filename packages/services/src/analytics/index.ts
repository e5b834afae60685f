/** Training intelligence: the one front door for load, form, readiness and the recommendation. */

export * from './confirm-readiness-threshold.ts';
export * from './get-athlete-readiness.ts';
export * from './get-readiness-series.ts';
export * from './get-readiness-threshold.ts';
export * from './get-session-comparison.ts';
export * from './get-team-readiness.ts';
export * from './get-training-load.ts';
export * from './list-threshold-overrides.ts';
export * from './record-readiness-check.ts';
export * from './update-load-settings.ts';
