export * from './delete-account.ts';
export * from './export-account.ts';
export * from './jobs.ts';
export * from './pending-erasures.ts';
