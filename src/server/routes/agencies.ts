// GET /api/v1/agencies: every agency with its latest state.

import type { FastifyInstance } from 'fastify';
import type { AgencyRow, Page } from '../contract.js';
import type { RouteContext } from './context.js';

/** No parameters: anything in the query string is a mistake worth a 400. */
const noQuery = { type: 'object', additionalProperties: false };

export function registerAgencyRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/api/v1/agencies', { onRequest: ctx.auth.read, schema: { querystring: noQuery } }, async () => {
    const items = await ctx.store.listAgencies();
    const page: Page<AgencyRow> = { items, total: items.length };
    return page;
  });
}
