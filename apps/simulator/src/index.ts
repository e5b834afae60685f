export * from './athletes.ts';
export * from './setup.ts';
export * from './stream.ts';
