export * from './common.ts';
export * from './live.ts';
