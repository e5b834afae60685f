import { pipeline, Transform } from 'node:stream';
import { bulkImportIdParamsSchema, bulkImportResponseSchema, importResponseSchema } from '@athlete/contracts';
import { AppError, getBulkImport, importActivityFile, startBulkImport } from '@athlete/services';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOf } from '../../../../plugins/app/auth.ts';

/** The multipart part "file" (not yet read), or a 4xx naming what is wrong. */
async function filePart(req: FastifyRequest, fileSize?: number) {
  if (!req.isMultipart()) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data in the field "file"');
  }
  const part = await req.file(fileSize === undefined ? undefined : { limits: { fileSize } });
  if (part?.fieldname !== 'file') {
    throw new AppError('VALIDATION_ERROR', 'file: a file in the multipart field "file" is required', [
      { field: 'file', message: 'is required' },
    ]);
  }
  return part;
}

/** The multipart field "file" in memory (up to UPLOAD_LIMIT_BYTES), or a 4xx. */
async function uploadedFile(req: FastifyRequest, limit: number) {
  const part = await filePart(req);
  const bytes = await part.toBuffer();
  if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', `file: larger than ${limit} bytes`);
  return { filename: part.filename, bytes };
}

/**
 * The multipart field "file" as a stream of at most `limit` bytes: past it the stream fails
 * with a 413 naming the limit (busboy drops the rest of the part).
 */
async function uploadedStream(req: FastifyRequest, limit: number) {
  const part = await filePart(req, limit);
  const tooLarge = () =>
    new AppError(
      'PAYLOAD_TOO_LARGE',
      `file: larger than the bulk import limit of ${limit} bytes (${(limit / 1_048_576).toFixed(0)} MiB)`,
    );
  // busboy ends a part cut at the limit as if it were whole, and may have done so already.
  const guard = new Transform({
    transform: (chunk, _enc, done) => done(null, chunk),
    flush: (done) => done(part.file.truncated ? tooLarge() : null),
  });
  part.file.once('limit', () => guard.destroy(tooLarge()));
  return { filename: part.filename, file: pipeline(part.file, guard, () => {}) };
}

const imports: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/',
    {
      preHandler: [app.requireUser, app.hourlyQuota('import', 'IMPORTS_PER_HOUR', 'file imports')],
      schema: {
        tags: ['imports'],
        summary: 'Import a FIT, GPX or TCX file (multipart field "file"): one session per activity in it',
        consumes: ['multipart/form-data'],
        response: { 201: importResponseSchema },
      },
    },
    async (req, reply) => {
      const { filename, bytes } = await uploadedFile(req, app.config.UPLOAD_LIMIT_BYTES);
      const { sessions } = await importActivityFile({
        deps: app.deps,
        userId: userOf(req).userId,
        filename,
        bytes,
      });
      return reply.code(201).send({ session: sessions[0]!, sessions });
    },
  );

  app.post(
    '/bulk',
    {
      preHandler: [app.requireUser, app.hourlyQuota('import', 'IMPORTS_PER_HOUR', 'file imports')],
      schema: {
        tags: ['imports'],
        summary:
          'Import a ZIP of FIT/GPX/TCX files (or a Strava bulk export) as a background job; poll GET /imports/bulk/:id',
        consumes: ['multipart/form-data'],
        response: { 202: bulkImportResponseSchema },
      },
    },
    async (req, reply) => {
      const { filename, file } = await uploadedStream(req, app.config.BULK_UPLOAD_LIMIT_BYTES);
      const bulkImport = await startBulkImport({
        deps: app.deps,
        userId: userOf(req).userId,
        filename,
        file,
      });
      return reply.code(202).send({ bulkImport });
    },
  );

  app.get(
    '/bulk/:id',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['imports'],
        summary: 'Progress and per-file results of one of your bulk imports',
        params: bulkImportIdParamsSchema,
        response: { 200: bulkImportResponseSchema },
      },
    },
    async (req) => ({
      bulkImport: await getBulkImport({
        deps: app.deps,
        principal: userOf(req),
        bulkImportId: req.params.id,
      }),
    }),
  );
};

export default imports;
