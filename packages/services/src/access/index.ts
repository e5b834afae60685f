export * from './can-ingest-for.ts';
export * from './can-view-athlete.ts';
export * from './ingestable-athletes.ts';
export * from './principal.ts';
export * from './publish-access-changed.ts';
export * from './uuid.ts';
