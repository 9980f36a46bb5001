// GET /api/v1/systems?agency=: information systems seen in the latest batches.

import type { FastifyInstance } from 'fastify';
import type { Page, SystemRow } from '../contract.js';
import schema from '../schemas/agency-query.json' with { type: 'json' };
import type { RouteContext } from './context.js';

export function registerSystemRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: { agency?: string } }>('/api/v1/systems', { onRequest: ctx.auth.read, schema: { querystring: schema } }, async (request) => {
    const items = await ctx.store.listSystems(request.query.agency);
    const page: Page<SystemRow> = { items, total: items.length };
    return page;
  });
}
