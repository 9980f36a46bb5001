// GET /api/v1/agents?agency=&staleAfter=: enrolled agents, with the ones not heard from flagged stale.

import type { FastifyInstance } from 'fastify';
import type { AgentRow, Page } from '../contract.js';
import schema from '../schemas/agents-query.json' with { type: 'json' };
import type { RouteContext } from './context.js';

export function registerAgentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: { agency?: string; staleAfter?: number } }>(
    '/api/v1/agents',
    { onRequest: ctx.auth.read, schema: { querystring: schema } },
    async (request) => {
      const { agency, staleAfter } = request.query;
      const items = await ctx.store.listAgents(ctx.now().toISOString(), staleAfter ?? ctx.staleAfterIntervals, agency);
      const page: Page<AgentRow> = { items, total: items.length };
      return page;
    },
  );
}
