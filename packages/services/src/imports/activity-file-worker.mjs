// Worker bootstrap: the app runs from TypeScript source (tsx), and a worker thread does not
// inherit the parent's loader hooks, so register tsx here before loading the real worker.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./activity-file-worker.ts', import.meta.url).href);
