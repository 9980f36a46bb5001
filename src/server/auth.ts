// Bearer tokens `gs<a|v|m|s|w>_<id>.<secret>`: the id finds the stored row, sha256(secret) is compared
// with the stored hash in constant time. A verified token is remembered for a short while (keyed by a
// hash of the whole token, never the token itself) so the ingest hot path does not ask the database
// on every batch; revocation therefore takes effect within VERIFIED_TTL_MS. Two seconds: an agent
// uploads a few times an hour, a busy one a few times a second, so a lookup per token every two
// seconds costs nothing measurable, and a revoked token stops working before anyone can notice.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, Role } from './principal.js';
import type { Store, StoredToken } from './store/store-types.js';
import { FORBIDDEN, UNAUTHORIZED, sendError } from './errors.js';
import type { RateLimits } from './rate-limits.js';

const ROLE_LETTER: Record<Role, string> = { agent: 'a', viewer: 'v', admin: 'm', soc: 's', worker: 'w' };
const LETTER_ROLE: Record<string, Role> = { a: 'agent', v: 'viewer', m: 'admin', s: 'soc', w: 'worker' };
const TOKEN_RE = /^gs([avmsw])_([A-Za-z0-9-]{1,64})\.([A-Za-z0-9_-]{16,256})$/;
/** Longest Authorization header worth looking at: anything longer is not one of our tokens. */
const MAX_HEADER = 400;

const VERIFIED_TTL_MS = 2_000;
const CACHE_MAX = 10_000;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A fresh token for `role`: the full string (shown once) and what the store keeps. */
export function newToken(role: Role): { token: string; id: string; secretHash: string } {
  const id = randomBytes(9).toString('base64url').replace(/_/g, 'A');
  const secret = randomBytes(32).toString('base64url');
  return { token: `gs${ROLE_LETTER[role]}_${id}.${secret}`, id, secretHash: sha256Hex(secret) };
}

/** A one-time enrolment secret and the hash the store keeps. */
export function newEnrollmentSecret(): { secret: string; secretHash: string } {
  const secret = `gse_${randomBytes(32).toString('base64url')}`;
  return { secret, secretHash: sha256Hex(secret) };
}

/** Compares two hex digests of equal length in constant time; unequal lengths never match. */
function sameDigest(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  if (a.length !== b.length || a.length === 0) {
    // Still spend a comparison so a malformed stored hash does not answer faster.
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

const DUMMY_HASH = sha256Hex('govscan-no-such-token');

export interface Verification {
  principal: Principal | null;
  /**
   * The name of the stored token whose id the header carried (never its secret), for the log: the
   * token accepted, or the one a refused header claimed to be; null when no stored token matched.
   */
  tokenName: string | null;
}

/** How a stored token is named in the log: its name, else its role and public id. */
function tokenName(t: StoredToken): string {
  if (t.name) return t.name;
  return t.role === 'agent' ? `agent ${t.agentId ?? t.id}` : `${t.role} ${t.id}`;
}

export class TokenVerifier {
  private readonly cache = new Map<string, { principal: Principal; name: string; until: number }>();

  constructor(
    private readonly store: Store,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The principal behind an Authorization header, or null for a missing, malformed or unknown token. */
  async verify(header: string | undefined): Promise<Principal | null> {
    return (await this.check(header)).principal;
  }

  /** verify(), and on a refusal the name of the stored token the header claimed to be (for the log). */
  async check(header: string | undefined): Promise<Verification> {
    const refused = (tokenName: string | null = null): Verification => ({ principal: null, tokenName });
    if (!header || header.length > MAX_HEADER) return refused();
    const space = header.indexOf(' ');
    if (space < 0 || header.slice(0, space).toLowerCase() !== 'bearer') return refused();
    const token = header.slice(space + 1).trim();
    const match = TOKEN_RE.exec(token);
    if (!match) return refused();

    const key = createHash('sha256').update(token).digest('base64');
    const now = this.clock();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return { principal: hit.principal, tokenName: hit.name };

    const [, letter, id, secret] = match as unknown as [string, string, string, string];
    const stored = await this.store.getToken(id);
    const secretHash = sha256Hex(secret);
    // Unknown ids cost the same comparison as known ones.
    const ok = sameDigest(secretHash, stored?.secretHash ?? DUMMY_HASH);
    if (!stored) return refused();
    if (!ok || LETTER_ROLE[letter] !== stored.role) return refused(tokenName(stored));
    if (stored.role === 'agent' && (!stored.agency || !stored.agentId)) return refused(tokenName(stored));

    const principal: Principal = { role: stored.role, tokenId: stored.id };
    if (stored.agency) principal.agency = stored.agency;
    if (stored.agentId) principal.agentId = stored.agentId;
    if (this.cache.size >= CACHE_MAX) this.prune(now);
    const name = tokenName(stored);
    this.cache.set(key, { principal, name, until: now + VERIFIED_TTL_MS });
    return { principal, tokenName: name };
  }

  private prune(now: number): void {
    for (const [k, v] of this.cache) if (v.until <= now) this.cache.delete(k);
    // Still full of live entries (many distinct tokens at once): start over rather than grow.
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** The accepted token's name (auth.ts tokenName), for the access log; null before or without one. */
    tokenName: string | null;
  }
}

export type AuthHook = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

/**
 * An onRequest hook admitting only the given roles: 401 (one body for every kind of bad token) when
 * no valid token is shown, 403 when the token is valid but its role is not among `roles`, 429 while
 * the address has failed too often (`limits`). It runs before the body is read, so an
 * unauthenticated upload costs no parsing. A token shown and refused is counted and logged; a
 * request without any Authorization header is neither (it guesses nothing).
 */
export function requireRole(verifier: TokenVerifier, roles: readonly Role[], limits: RateLimits): AuthHook {
  return async (request, reply) => {
    if (await limits.refuseAfterFailures(request, reply)) return reply;
    const header = request.headers.authorization;
    const { principal, tokenName } = await verifier.check(header);
    if (!principal) {
      if (header !== undefined) await limits.failed(request, { kind: 'token', tokenName });
      reply.header('www-authenticate', 'Bearer');
      return sendError(reply, 401, UNAUTHORIZED);
    }
    request.tokenName = tokenName;
    if (!roles.includes(principal.role)) return sendError(reply, 403, FORBIDDEN);
    request.principal = principal;
    return undefined;
  };
}
