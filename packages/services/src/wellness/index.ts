// The wellness front door: the morning form, session RPE and the sRPE load series.
export * from './get-session-rpe.ts';
export * from './get-srpe-load.ts';
export * from './list-wellness.ts';
export * from './rate-session.ts';
export * from './save-wellness-entry.ts';
export { toWellnessOut } from './wellness-views.ts';
