import {
  failedJobsQuerySchema,
  failedJobsResponseSchema,
  jobIdParamsSchema,
  jobRetryResponseSchema,
} from '@athlete/contracts';
import { AppError } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Failed background jobs (kept by the queue), for an admin to inspect and retry. */
const adminJobs: FastifyPluginAsyncZod = async (app) => {
  const { queue } = app.deps.platform;
  app.addHook('preHandler', app.requireRole('admin'));

  app.get(
    '/failed',
    {
      schema: {
        tags: ['admin'],
        summary: 'Jobs that failed for good (after their retries), newest first',
        querystring: failedJobsQuerySchema,
        response: { 200: failedJobsResponseSchema },
      },
    },
    async (req) => {
      const jobs = await queue.listFailed(req.query.limit);
      return {
        jobs: jobs.map((j) => ({
          id: j.id,
          name: j.name,
          data: j.data,
          attemptsMade: j.attemptsMade,
          failedReason: j.failedReason ?? null,
          createdAt: new Date(j.timestamp).toISOString(),
          finishedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
        })),
      };
    },
  );

  app.post(
    '/:id/retry',
    {
      schema: {
        tags: ['admin'],
        summary: 'Retry a failed job (its attempt count starts over)',
        params: jobIdParamsSchema,
        response: { 202: jobRetryResponseSchema },
      },
    },
    async (req, reply) => {
      const job = await queue.getJob(req.params.id);
      if (!job) throw new AppError('NOT_FOUND', `job ${req.params.id} not found`);
      if (job.state !== 'failed') {
        throw new AppError('CONFLICT', `job ${req.params.id} is ${job.state}, not failed`);
      }
      await queue.retry(job.id);
      return reply.code(202).send({ retried: job.id });
    },
  );
};

export default adminJobs;
