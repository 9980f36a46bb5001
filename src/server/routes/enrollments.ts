// POST /api/v1/enrollments (admin): a one-time enrolment secret for an agency (created if missing).

import type { FastifyInstance } from 'fastify';
import { createEnrollment } from '../admin.js';
import schema from '../schemas/enrollment-create.json' with { type: 'json' };
import type { RouteContext } from './context.js';

export function registerEnrollmentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Body: { agency: string; name?: string; ttlHours?: number } }>(
    '/api/v1/enrollments',
    { onRequest: ctx.auth.admin, schema: { body: schema } },
    async (request, reply) => {
      const created = await createEnrollment(ctx.store, request.body, ctx.now());
      reply.header('cache-control', 'no-store');
      return reply.code(201).send(created);
    },
  );
}
