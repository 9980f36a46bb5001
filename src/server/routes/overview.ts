// GET /api/v1/overview: the fleet at a glance (dashboard first screen, `govscan fleet status`).

import type { FastifyInstance } from 'fastify';
import schema from '../schemas/overview-query.json' with { type: 'json' };
import { readRoute, type RouteContext } from './context.js';

export function registerOverviewRoutes(app: FastifyInstance, ctx: RouteContext): void {
  readRoute(app, ctx, '/api/v1/overview', schema, ({ staleAfter, agency }: { staleAfter?: number; agency?: string }) =>
    ctx.store.overview(ctx.now().toISOString(), staleAfter ?? ctx.staleAfterIntervals, agency),
  );
}
