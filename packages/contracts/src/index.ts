import './messages.ts';

export * from './admin.ts';
export * from './analytics.ts';
export * from './api-routes.ts';
export * from './auth.ts';
export * from './common.ts';
export * from './devices.ts';
export * from './integrations.ts';
export * from './jobs.ts';
export * from './live.ts';
export * from './notes.ts';
export * from './plans.ts';
export * from './profile.ts';
export * from './sessions.ts';
export * from './team-sessions.ts';
export * from './teams.ts';
export * from './wellness.ts';
