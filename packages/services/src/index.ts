export * from './deps.ts';
export * from './errors.ts';
export * from './jobs/index.ts';
export * from './maintenance/index.ts';
export * from './metrics.ts';
