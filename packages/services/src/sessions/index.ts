export * from './get-session.ts';
export * from './get-session-samples.ts';
export * from './list-athlete-sessions.ts';
export * from './list-daily.ts';
export * from './range.ts';
export * from './serialize.ts';
