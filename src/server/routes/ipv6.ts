// GET /api/v1/ipv6?agency=: IPv6 readiness per agency from the latest per-domain scores.

import type { FastifyInstance } from 'fastify';
import type { Ipv6AgencyRow, Page } from '../contract.js';
import schema from '../schemas/agency-query.json' with { type: 'json' };
import type { RouteContext } from './context.js';

export function registerIpv6Routes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: { agency?: string } }>('/api/v1/ipv6', { onRequest: ctx.auth.read, schema: { querystring: schema } }, async (request) => {
    const items = await ctx.store.ipv6(request.query.agency);
    const page: Page<Ipv6AgencyRow> = { items, total: items.length };
    return page;
  });
}
