// GET /api/v1/history?agency=&system=&rule=&target=: one point per stored batch, oldest first.

import type { FastifyInstance } from 'fastify';
import type { HistoryPoint, Page } from '../contract.js';
import schema from '../schemas/history-query.json' with { type: 'json' };
import type { RouteContext } from './context.js';

interface HistoryQuery {
  agency?: string;
  system?: string;
  rule?: string;
  target?: string;
  limit?: number;
}

export function registerHistoryRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: HistoryQuery }>('/api/v1/history', { onRequest: ctx.auth.read, schema: { querystring: schema } }, async (request) => {
    const items = await ctx.store.history(request.query);
    const page: Page<HistoryPoint> = { items, total: items.length };
    return page;
  });
}
