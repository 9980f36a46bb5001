// How campaign jobs reach workers, behind one interface with two implementations:
// - table-queue.ts: the jobs table itself is the queue (the embedded SQLite default, one server);
// - boss-queue.ts: pg-boss in the server's PostgreSQL database (many workers, many replicas).
// Both record every job's state in the jobs table (campaign-store.ts) and follow the same rules: a
// claim holds a job under a lease; a job whose lease ends returns to the queue (its worker died); a
// failed attempt is retried after a backoff until its attempts run out, then it is dead with the
// reason; a cancelled campaign hands out nothing more; at most `perAddress` jobs of one address run
// at once across all workers. Times come from the caller (`now`), so tests move a clock.

import type { JobFailAck, JobHeartbeatAck } from '../../contract/campaign-api.js';
import type { JobRow } from './campaign-store.js';

export interface QueueSettings {
  /** Attempts a job gets before it is dead (first attempt included). */
  maxAttempts: number;
  /** Seconds a claim holds a job without a heartbeat. */
  leaseSeconds: number;
  /** Backoff before retry n (1-based): retryDelaySeconds × 2^(n-1), at most retryDelayMaxSeconds. */
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
  /** Jobs of one address running at once, over all workers. */
  perAddress: number;
}

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  maxAttempts: 3,
  leaseSeconds: 300,
  retryDelaySeconds: 30,
  retryDelayMaxSeconds: 1800,
  perAddress: 4,
};

/** Seconds to wait before the retry that follows failed attempt `attempt` (1-based). */
export function backoffSeconds(settings: QueueSettings, attempt: number): number {
  return Math.min(settings.retryDelayMaxSeconds, settings.retryDelaySeconds * 2 ** Math.min(16, Math.max(0, attempt - 1)));
}

/** A claimed job: its row as it is now held, and the lease's end. */
export interface Claimed {
  job: JobRow;
  leaseUntil: string;
}

export interface CampaignQueue {
  readonly settings: QueueSettings;
  /** Prepares the queue (pg-boss: its schema and queues); resumes whatever the database holds. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Hands the jobs of a new run (already in the jobs table, state queued) to the queue. */
  enqueue(jobs: JobRow[], now: Date): Promise<void>;
  /** Up to `max` due jobs of active campaigns for `worker`, within the per-address limit. */
  claim(worker: string, max: number, now: Date): Promise<Claimed[]>;
  /** The job's result is stored as `batchId`: the job is done (whichever attempt delivered it). */
  complete(job: JobRow, batchId: string, now: Date): Promise<void>;
  /** Attempt `attempt` failed: retried after its backoff, or dead (not retryable, or out of attempts). */
  fail(job: JobRow, attempt: number, reason: string, retryable: boolean, now: Date): Promise<JobFailAck>;
  /** Returns jobs whose lease ended to the queue (or, out of attempts, dead). Claims sweep first. */
  sweep(now: Date): Promise<void>;
  /** Extends the lease of attempt `attempt` while it is the job's current one. */
  heartbeat(job: JobRow, attempt: number, now: Date): Promise<JobHeartbeatAck>;
  /** The campaign's jobs that no worker holds were cancelled (jobs table): take them out of the queue. */
  cancelled(jobs: JobRow[], now: Date): Promise<void>;
}
