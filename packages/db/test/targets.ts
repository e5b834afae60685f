import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export {
  type DatabaseTarget as Target,
  databaseTargets as targets,
  type OpenedDatabase,
} from '../src/testing.ts';

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'athlete-db-test-'));
}
