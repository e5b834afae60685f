export * from './delete-account.ts';
export * from './export-account.ts';
