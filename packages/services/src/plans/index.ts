// The plans front door: planned sessions, their matching to what was trained, the iCal feed.
export * from './athlete-plan-results.ts';
export * from './calendar-feed.ts';
export * from './create-plan.ts';
export * from './delete-plan.ts';
export * from './list-athlete-plans.ts';
export * from './list-team-plans.ts';
export * from './plan-week.ts';
export * from './planned-loads.ts';
export * from './render-calendar-feed.ts';
export * from './update-plan.ts';
