// GET /metrics: Prometheus text; a viewer or admin token unless the server runs with --metrics-public.

import type { FastifyInstance } from 'fastify';
import { requireFleetWide } from '../read-scope.js';
import type { RouteContext } from './context.js';

export function registerMetricsRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/metrics', ctx.metricsPublic ? {} : { onRequest: ctx.auth.read }, async (request, reply) => {
    // Counters of the whole fleet: not for a token scoped to one agency.
    requireFleetWide(request);
    const text = await ctx.metrics.render(ctx.store);
    reply.header('cache-control', 'no-store');
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(text);
  });
}
