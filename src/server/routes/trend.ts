// GET /api/v1/trend?agency=&days=: pass rate per day (UTC) over the last `days` days;
// GET /api/v1/trend/severity: open failures by severity per day, with how many were opened and fixed.

import type { FastifyInstance } from 'fastify';
import schema from '../schemas/trend-query.json' with { type: 'json' };
import { listRoute, type RouteContext } from './context.js';

export function registerTrendRoutes(app: FastifyInstance, ctx: RouteContext): void {
  listRoute(app, ctx, '/api/v1/trend/severity', schema, (query: { agency?: string; days: number }) =>
    ctx.store.severityTrend({ ...query, now: ctx.now().toISOString() }),
  );
  listRoute(app, ctx, '/api/v1/trend', schema, (query: { agency?: string; days: number }) =>
    ctx.store.trend({ ...query, now: ctx.now().toISOString() }),
  );
}
