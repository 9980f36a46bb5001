// GET /api/v1/agents?agency=&staleAfter=: enrolled agents, with the ones not heard from flagged stale.

import type { FastifyInstance } from 'fastify';
import schema from '../schemas/agents-query.json' with { type: 'json' };
import { listRoute, type RouteContext } from './context.js';

export function registerAgentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  listRoute(app, ctx, '/api/v1/agents', schema, ({ agency, staleAfter }: { agency?: string; staleAfter?: number }) =>
    ctx.store.listAgents(ctx.now().toISOString(), staleAfter ?? ctx.staleAfterIntervals, agency),
  );
}
