export * from './delete-account.ts';
export * from './export-account.ts';
export * from './pending-erasures.ts';
export * from './privacy-jobs.ts';
