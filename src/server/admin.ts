// What an admin can create, shared by the API (POST /api/v1/enrollments, /tokens) and the
// `govscan server enrollment create` / `token create` commands that work on the database directly.
// Secrets are returned once and only their hashes are stored.

import { SCOPABLE_ROLES, type Role } from './principal.js';
import type { Store } from './store/store-types.js';
import { newEnrollmentSecret, newToken } from './auth.js';

const DEFAULT_ENROLLMENT_TTL_HOURS = 24;
/** Agency ids appear in URLs (exports) and file names: keep them to a plain, portable alphabet. */
export const AGENCY_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface CreatedEnrollment {
  agency: string;
  secret: string;
  expiresAt: string;
}

export async function createEnrollment(
  store: Store,
  input: { agency: string; name?: string; ttlHours?: number },
  now: Date,
): Promise<CreatedEnrollment> {
  if (!(await store.getAgency(input.agency))) await store.createAgency(input.agency, input.name ?? input.agency);
  const { secret, secretHash } = newEnrollmentSecret();
  const ttlHours = input.ttlHours ?? DEFAULT_ENROLLMENT_TTL_HOURS;
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000).toISOString();
  await store.createEnrollment(input.agency, secretHash, expiresAt);
  return { agency: input.agency, secret, expiresAt };
}

export interface CreatedToken {
  id: string;
  role: Exclude<Role, 'agent'>;
  token: string;
  name?: string;
  /** A viewer (or soc) token scoped to this agency reads (runs campaigns for) nothing else (read-scope.ts). */
  agency?: string;
}

/** A scoped token was asked for an agency the server does not know. */
export class UnknownAgencyError extends Error {
  constructor(readonly agency: string) {
    super(`no agency ${JSON.stringify(agency)}`);
    this.name = 'UnknownAgencyError';
  }
}

/**
 * A viewer, admin, soc or worker token; `agency` (viewer and soc only) scopes it to that agency, which must exist
 * (UnknownAgencyError otherwise: a typo must not mint a token that reads nothing).
 */
export async function createApiToken(store: Store, role: Exclude<Role, 'agent'>, name?: string, agency?: string): Promise<CreatedToken> {
  if (agency !== undefined) {
    if (!SCOPABLE_ROLES.includes(role)) throw new Error('only viewer and soc tokens are scoped to an agency');
    if (!(await store.getAgency(agency))) throw new UnknownAgencyError(agency);
  }
  const t = newToken(role);
  await store.createToken({ id: t.id, role, secretHash: t.secretHash, agency: agency ?? null, agentId: null, name: name ?? null });
  return { id: t.id, role, token: t.token, ...(name !== undefined ? { name } : {}), ...(agency !== undefined ? { agency } : {}) };
}
