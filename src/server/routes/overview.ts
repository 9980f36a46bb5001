// GET /api/v1/overview: the fleet at a glance (dashboard first screen, `govscan fleet status`).

import type { FastifyInstance } from 'fastify';
import schema from '../schemas/overview-query.json' with { type: 'json' };
import type { RouteContext } from './context.js';

export function registerOverviewRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: { staleAfter?: number } }>('/api/v1/overview', { onRequest: ctx.auth.read, schema: { querystring: schema } }, async (request) => {
    return ctx.store.overview(ctx.now().toISOString(), request.query.staleAfter ?? ctx.staleAfterIntervals);
  });
}
