import { importResponseSchema } from '@athlete/contracts';
import { AppError, importActivityFile } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOf } from '../../../../plugins/app/auth.ts';

const imports: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['imports'],
        summary: 'Import a FIT, GPX or TCX file (multipart field "file"): one session per activity in it',
        consumes: ['multipart/form-data'],
        response: { 201: importResponseSchema },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) {
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          'Send the file as multipart/form-data in the field "file"',
        );
      }
      const part = await req.file();
      if (part?.fieldname !== 'file') {
        throw new AppError('VALIDATION_ERROR', 'file: a file in the multipart field "file" is required', [
          { field: 'file', message: 'is required' },
        ]);
      }
      const bytes = await part.toBuffer();
      if (part.file.truncated) {
        throw new AppError('PAYLOAD_TOO_LARGE', `file: larger than ${app.config.UPLOAD_LIMIT_BYTES} bytes`);
      }
      const { sessions } = await importActivityFile({
        deps: app.deps,
        userId: userOf(req).userId,
        filename: part.filename,
        bytes,
      });
      return reply.code(201).send({ session: sessions[0]!, sessions });
    },
  );
};

export default imports;
