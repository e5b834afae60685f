export * from './bulk/get-bulk-import.ts';
export * from './bulk/jobs.ts';
export * from './bulk/run-bulk-import.ts';
export * from './bulk/start-bulk-import.ts';
export * from './import-activity-file.ts';
export * from './parse-in-worker.ts';
