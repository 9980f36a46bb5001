// GET /api/v1/ipv6?agency=: IPv6 readiness per agency from the latest per-domain scores.

import type { FastifyInstance } from 'fastify';
import schema from '../schemas/agency-query.json' with { type: 'json' };
import { listRoute, type RouteContext } from './context.js';

export function registerIpv6Routes(app: FastifyInstance, ctx: RouteContext): void {
  listRoute(app, ctx, '/api/v1/ipv6', schema, ({ agency }: { agency?: string }) => ctx.store.ipv6(agency));
}
