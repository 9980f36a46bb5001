// What one client may cost per minute (@fastify/rate-limit, counters in memory per process): batches
// per agent token, enrolment attempts per address, failed authentications per address. Over a limit
// the answer is 429 with Retry-After (seconds), which the agent honours. Failed authentications and
// enrolments are logged (warn) with the address, the route and the name of the token the request
// claimed to be — never the token or the secret itself.

import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.js';
import type { RateLimitSettings } from './rate-limit-settings.js';

const MINUTE = 60_000;

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

export interface AuthFailure {
  /** A bearer token, or an enrolment secret (which names nothing worth logging). */
  kind: 'token' | 'enrolment-secret';
  /** The token's name as stored (viewer/admin), `agent <id>` for an agent token, null when the token names no stored token. */
  tokenName: string | null;
}

export class RateLimits {
  private ingest: Limiter | null = null;
  private enroll: Limiter | null = null;
  private authFailures: Limiter | null = null;

  constructor(app: FastifyInstance, settings: RateLimitSettings) {
    // Only the limiters made below count anything: no route is limited by the plugin itself.
    app.register(rateLimit, { global: false, timeWindow: MINUTE });
    app.after(() => {
      if (settings.ingestPerMinute > 0) {
        this.ingest = app.createRateLimit({
          max: settings.ingestPerMinute,
          timeWindow: MINUTE,
          keyGenerator: (r) => `token:${r.principal?.tokenId ?? ''}`,
        });
      }
      if (settings.enrollPerMinute > 0) this.enroll = app.createRateLimit({ max: settings.enrollPerMinute, timeWindow: MINUTE });
      if (settings.authFailuresPerMinute > 0)
        this.authFailures = app.createRateLimit({ max: settings.authFailuresPerMinute, timeWindow: MINUTE });
    });
  }

  /** Before a token is checked: 429 (and true) when this address failed too often this minute. */
  async refuseAfterFailures(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    if (!this.authFailures) return false;
    const state = await this.authFailures(request, { increment: false });
    if (state.isAllowed || state.remaining > 0) return false;
    tooMany(reply, state.ttlInSeconds, 'Too many failed authentication attempts from this address.');
    return true;
  }

  /** A token or enrolment secret was refused: counted against the address and logged. */
  async failed(request: FastifyRequest, failure: AuthFailure): Promise<void> {
    const route = request.routeOptions.url ?? request.url.split('?')[0];
    if (failure.kind === 'enrolment-secret') {
      request.log.warn(
        { event: 'enrolment-failed', address: request.ip, method: request.method, route },
        'enrolment refused: the secret is unknown, used or expired',
      );
    } else {
      request.log.warn(
        { event: 'authentication-failed', token: failure.tokenName, address: request.ip, method: request.method, route },
        failure.tokenName === null
          ? 'authentication failed: the token names no stored token'
          : `authentication failed for token "${failure.tokenName}"`,
      );
    }
    if (this.authFailures) await this.authFailures(request);
  }

  /** After the agent's token was verified: 429 (and true) past the token's batches this minute. */
  async refuseIngest(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    return this.count(this.ingest, request, reply, 'Too many batches from this agent token; retry later.');
  }

  /** Every enrolment attempt counts, successful or not. */
  async refuseEnroll(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    return this.count(this.enroll, request, reply, 'Too many enrolment attempts from this address; retry later.');
  }

  private async count(limiter: Limiter | null, request: FastifyRequest, reply: FastifyReply, message: string): Promise<boolean> {
    if (!limiter) return false;
    const state = await limiter(request);
    if (state.isAllowed || !state.isExceeded) return false;
    tooMany(reply, state.ttlInSeconds, message);
    return true;
  }
}

function tooMany(reply: FastifyReply, seconds: number, message: string): void {
  reply.header('retry-after', String(Math.max(1, seconds)));
  sendError(reply, 429, { error: 'too-many-requests', message });
}
