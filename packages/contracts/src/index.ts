export * from './admin.ts';
export * from './auth.ts';
export * from './common.ts';
export * from './devices.ts';
export * from './live.ts';
export * from './profile.ts';
export * from './sessions.ts';
export * from './teams.ts';
