export * from './import-activity-file.ts';
