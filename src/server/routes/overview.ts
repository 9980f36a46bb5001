// GET /api/v1/overview: the fleet at a glance (dashboard first screen, `govscan fleet status`).

import type { FastifyInstance } from 'fastify';
import schema from '../schemas/overview-query.json' with { type: 'json' };
import { etagOf } from '../http-cache.js';
import { readRoute, type RouteContext } from './context.js';

export function registerOverviewRoutes(app: FastifyInstance, ctx: RouteContext): void {
  readRoute(app, ctx, '/api/v1/overview', schema, async ({ staleAfter, agency }: { staleAfter?: number; agency?: string }, reply) => {
    const overview = await ctx.store.overview(ctx.now().toISOString(), staleAfter ?? ctx.staleAfterIntervals, agency);
    // generatedAt changes on every call: the ETag is of everything else, so a refresh with nothing
    // new is still a 304 (http-cache.ts), and the page keeps the answer it has.
    reply.header('etag', etagOf(Buffer.from(JSON.stringify({ ...overview, generatedAt: null }))));
    return overview;
  });
}
