// What every route module gets from the app builder, and the shape shared by the read-only API
// routes (viewer or admin token, validated query string), so each route states only its store call.

import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Page } from '../../contract/read-api.js';
import type { Store } from '../store/store-types.js';
import type { AuthHook } from '../auth.js';
import type { Metrics } from '../metrics.js';
import type { RateLimits } from '../rate-limits.js';
import { readAgency } from '../read-scope.js';

export interface RouteContext {
  store: Store;
  metrics: Metrics;
  limits: RateLimits;
  now: () => Date;
  staleAfterIntervals: number;
  metricsPublic: boolean;
  auth: {
    /** viewer or admin */
    read: AuthHook;
    /** agent tokens only */
    agent: AuthHook;
    admin: AuthHook;
    /** viewer, admin or soc: campaign reads */
    campaignRead: AuthHook;
    /** admin or soc: create and cancel campaigns */
    campaignWrite: AuthHook;
    /** worker tokens only: campaign jobs */
    worker: AuthHook;
  };
}

/** Every read query may name an agency; the one the handler gets is the one it may read (read-scope.ts). */
export type ScopedQuery = { agency?: string };

/**
 * GET `url` for viewer and admin tokens; `querystring` is the JSON schema its query must match. The
 * handler's `query.agency` is already confined to the token's agency (readAgency): a handler filters
 * by it and by nothing else to respect agency-scoped viewers, even when its own schema has no
 * `agency` parameter. `answer` may set headers on the reply (an ETag of its own, say).
 */
export function readRoute<Q extends ScopedQuery>(
  app: FastifyInstance,
  ctx: RouteContext,
  url: string,
  querystring: object,
  answer: (query: Q, reply: FastifyReply) => Promise<unknown>,
): void {
  // The schema has checked (and coerced) the query, so it is a Q by the time the handler runs.
  app.get(url, { onRequest: ctx.auth.read, schema: { querystring } }, (request, reply) => {
    const query = request.query as Q;
    const agency = readAgency(request, query.agency);
    return answer(agency === undefined ? query : { ...query, agency }, reply);
  });
}

/** A read route answering every row the store returned as one Page. */
export function listRoute<Q extends ScopedQuery, T>(
  app: FastifyInstance,
  ctx: RouteContext,
  url: string,
  querystring: object,
  list: (query: Q) => Promise<T[]>,
): void {
  readRoute<Q>(app, ctx, url, querystring, async (query) => {
    const items = await list(query);
    const page: Page<T> = { items, total: items.length };
    return page;
  });
}
