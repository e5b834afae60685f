import { Prisma } from '@athlete/db';
import { AppError } from '@athlete/services';
import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/**
 * The one error handler: AppError codes map to statuses, validation errors become a 400 naming
 * each offending field, anything else is a 500 logged with request context and never leaked.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
      if (err instanceof AppError) {
        if (err.headers) reply.headers(err.headers);
        if (err.status >= 500) req.log.error({ err }, err.message);
        return reply.code(err.status).send({
          error: {
            code: err.code,
            message: err.message,
            ...(err.details === undefined ? {} : { details: err.details }),
          },
        } satisfies ErrorBody);
      }
      if (hasZodFastifySchemaValidationErrors(err)) {
        const issues = err.validation.map((v) => {
          const where = (err as FastifyError).validationContext ?? 'body';
          const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
          return { field: path ? `${where}.${path}` : where, message: v.message ?? 'is invalid' };
        });
        return reply.code(400).send({
          error: {
            code: 'VALIDATION_ERROR',
            message: issues.map((i) => `${i.field}: ${i.message}`).join('; '),
            details: issues,
          },
        } satisfies ErrorBody);
      }
      // A unique constraint lost a race that the domain's own check could not see (two requests
      // creating the same membership at once): the second is a conflict, not a server error.
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        return reply.code(409).send({
          error: { code: 'CONFLICT', message: 'This already exists (a concurrent request created it)' },
        } satisfies ErrorBody);
      }
      if (isResponseSerializationError(err)) {
        req.log.error({ err, route: req.routeOptions.url }, 'response did not match its schema');
        return reply.code(500).send({ error: { code: 'INTERNAL', message: 'Internal server error' } });
      }
      const fe = err as FastifyError;
      if (fe.statusCode && fe.statusCode < 500) {
        const code =
          fe.statusCode === 413
            ? 'PAYLOAD_TOO_LARGE'
            : fe.statusCode === 415
              ? 'UNSUPPORTED_MEDIA_TYPE'
              : fe.statusCode === 429
                ? 'RATE_LIMITED'
                : 'BAD_REQUEST';
        return reply.code(fe.statusCode).send({ error: { code, message: fe.message } } satisfies ErrorBody);
      }
      req.log.error({ err, reqId: req.id, route: req.routeOptions.url }, 'unhandled error');
      return reply.code(500).send({ error: { code: 'INTERNAL', message: 'Internal server error' } });
    });
  },
  { name: 'errors' },
);
