// GET /metrics: Prometheus text; a viewer or admin token unless the server runs with --metrics-public.

import type { FastifyInstance } from 'fastify';
import type { RouteContext } from './context.js';

export function registerMetricsRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/metrics', ctx.metricsPublic ? {} : { onRequest: ctx.auth.read }, async (_request, reply) => {
    const text = await ctx.metrics.render(ctx.store);
    reply.header('cache-control', 'no-store');
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(text);
  });
}
