export * from './maintenance-jobs.ts';
export * from './queue-metrics.ts';
export * from './raw-lifecycle.ts';
export * from './sample-partitions.ts';
