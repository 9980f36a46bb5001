// Which agency a read may see. A viewer token may be scoped to one agency (an agency's own IT): every
// read route asks readAgency() for the agency filter it applies, so the scope is decided here and
// nowhere else. routes/context.ts readRoute() does it for every route built with it; a route that
// is not (exports, dashboard data routes) calls readAgency() itself with the agency it was asked for.

import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';

/** Another agency's resource is answered as if it did not exist: a scoped token learns no agency ids. */
const NOT_FOUND = (): HttpError => new HttpError(404, 'not-found', 'No such resource.');

/** The agency the request's token is confined to, or undefined for a fleet-wide token. */
function scopeOf(request: FastifyRequest): string | undefined {
  const p = request.principal;
  return p && p.role === 'viewer' && p.agency ? p.agency : undefined;
}

/**
 * The agency filter a read must apply: for a scoped viewer its own agency (asking for another one
 * throws a 404 HttpError); for any other token what the request asked for (undefined: every agency).
 */
export function readAgency(request: FastifyRequest, asked: string | undefined): string | undefined {
  const scope = scopeOf(request);
  if (scope === undefined) return asked;
  if (asked !== undefined && asked !== scope) throw NOT_FOUND();
  return scope;
}

/** For reads that only exist fleet-wide (/metrics): a scoped viewer gets 403. */
export function requireFleetWide(request: FastifyRequest): void {
  if (scopeOf(request) !== undefined) throw new HttpError(403, 'forbidden', 'This token does not allow this request.');
}
