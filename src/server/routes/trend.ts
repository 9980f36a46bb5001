// GET /api/v1/trend?agency=&days=: pass rate per day (UTC) over the last `days` days.

import type { FastifyInstance } from 'fastify';
import type { Page, TrendPoint } from '../contract.js';
import schema from '../schemas/trend-query.json' with { type: 'json' };
import type { RouteContext } from './context.js';

export function registerTrendRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: { agency?: string; days: number } }>('/api/v1/trend', { onRequest: ctx.auth.read, schema: { querystring: schema } }, async (request) => {
    const { agency, days } = request.query;
    const items = await ctx.store.trend({ ...(agency !== undefined ? { agency } : {}), days, now: ctx.now().toISOString() });
    const page: Page<TrendPoint> = { items, total: items.length };
    return page;
  });
}
