import { z } from 'zod';
import { defineJob } from '../../jobs/define.ts';
import { runBulkImport } from './run-bulk-import.ts';

/** Imports the files of a stored ZIP; a retry carries on after the files already reported. */
export const bulkImportJob = defineJob({
  name: 'imports.bulk',
  payload: z.object({ userId: z.uuid(), bulkImportId: z.uuid() }),
  defaults: { attempts: 3, backoffMs: 5_000 },
  async handler(deps, data, ctx) {
    return runBulkImport({ deps, ...data, onProgress: (p) => ctx.updateProgress(p) });
  },
});

export const importJobs = [bulkImportJob];
