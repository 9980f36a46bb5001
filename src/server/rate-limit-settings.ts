// The per-minute limits `govscan server` applies (rate-limits.ts), apart from the plugin so the
// command can show its defaults without loading the server.

/** Per minute; 0 turns that limit off. */
export interface RateLimitSettings {
  /** Batches per agent token. */
  ingestPerMinute: number;
  /** POST /api/v1/enroll per client address. */
  enrollPerMinute: number;
  /** Failed authentications (bad tokens, bad enrolment secrets) per client address; over it, every request from the address waits. */
  authFailuresPerMinute: number;
}

/**
 * An agent uploads a few batches an hour; 120 a minute lets one deliver a backlog after an outage
 * quickly. Enrolment is once per agent. 30 failed attempts a minute is far above any mistyped token
 * and far below what guessing needs.
 */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = { ingestPerMinute: 120, enrollPerMinute: 30, authFailuresPerMinute: 30 };

/** No limits: an app built for tests or embedding unless it asks for them. */
export const NO_RATE_LIMITS: RateLimitSettings = { ingestPerMinute: 0, enrollPerMinute: 0, authFailuresPerMinute: 0 };
