// POST /api/v1/tokens (admin): a viewer or admin token, shown once.

import type { FastifyInstance } from 'fastify';
import { createApiToken } from '../admin.js';
import schema from '../schemas/token-create.json' with { type: 'json' };
import type { RouteContext } from './context.js';

export function registerTokenRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Body: { role: 'viewer' | 'admin'; name?: string } }>(
    '/api/v1/tokens',
    { onRequest: ctx.auth.admin, schema: { body: schema } },
    async (request, reply) => {
      const created = await createApiToken(ctx.store, request.body.role, request.body.name);
      reply.header('cache-control', 'no-store');
      return reply.code(201).send(created);
    },
  );
}
