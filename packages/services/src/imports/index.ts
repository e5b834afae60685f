export * from './import-activity-file.ts';
export * from './parse-in-worker.ts';
