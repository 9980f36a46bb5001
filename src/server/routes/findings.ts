// GET /api/v1/findings: findings of the latest state with their evidence and first-failed dates,
// filtered and sorted (FindingQuery), failed ones unless `outcome` says otherwise, paged.

import type { FastifyInstance } from 'fastify';
import type { FindingQuery } from '../../contract/read-api.js';
import schema from '../schemas/findings-query.json' with { type: 'json' };
import { HttpError } from '../errors.js';
import { readRoute, type RouteContext } from './context.js';

export function registerFindingRoutes(app: FastifyInstance, ctx: RouteContext): void {
  readRoute(app, ctx, '/api/v1/findings', schema, (query: FindingQuery) => ctx.store.listFindings(checkedFindingQuery(query)));
}

/** The schema checks the shape; a `since` that is no real date (2026-02-31) is a 400 too, not a 500. */
export function checkedFindingQuery(query: FindingQuery): FindingQuery {
  if (query.since !== undefined && !isCalendarDate(query.since)) {
    throw new HttpError(400, 'bad-request', 'querystring/since is not a date');
  }
  return query;
}

/** Date.parse accepts 2026-02-31 (as 3 March); a day that does not exist is refused instead. */
function isCalendarDate(text: string): boolean {
  const t = Date.parse(text);
  if (!Number.isFinite(t)) return false;
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  const day = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 0));
  return day.getUTCFullYear() === y && day.getUTCMonth() === (m ?? 1) - 1 && day.getUTCDate() === d;
}
