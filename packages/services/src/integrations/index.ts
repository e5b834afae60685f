export * from './accept-webhooks.ts';
export * from './complete-connect.ts';
export * from './disconnect.ts';
export * from './integration-views.ts';
export * from './list-integrations.ts';
export * from './request-sync.ts';
export * from './start-connect.ts';
