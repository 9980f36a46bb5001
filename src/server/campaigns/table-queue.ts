// The jobs table as the queue: the embedded SQLite default, where one server process owns the
// database. A claim is one transaction (SQLite runs one at a time on its single connection): expired
// leases return to the queue first, then the oldest due jobs of active campaigns are taken within the
// per-address limit. Every rule of queue.ts is a column here: lease_until, attempts, available_at.

import type { Kysely } from 'kysely';
import type { JobFailAck, JobHeartbeatAck } from '../../contract/campaign-api.js';
import type { DB } from '../store/schema.js';
import { toJob, type CampaignStore, type JobRow } from './campaign-store.js';
import { backoffSeconds, type CampaignQueue, type Claimed, type QueueSettings } from './queue.js';

/** Candidates read per claim: enough to skip past addresses at their limit. */
const CANDIDATES = 500;
/** Expired leases handled per sweep. */
const SWEEP_LIMIT = 1000;

const plus = (now: Date, seconds: number): string => new Date(now.getTime() + seconds * 1000).toISOString();

/** Why a job whose lease ended is retried (or dead): its worker never answered. */
export function leaseExpiredReason(worker: string | null, leaseSeconds: number): string {
  return `lease expired: worker ${worker ?? '?'} did not answer within ${leaseSeconds} s`;
}

export class TableQueue implements CampaignQueue {
  private readonly db: Kysely<DB>;

  constructor(
    private readonly store: CampaignStore,
    readonly settings: QueueSettings,
  ) {
    this.db = store.db;
  }

  async start(): Promise<void> {
    // Nothing to set up: the jobs table survives a restart, and expired leases return at the next claim.
  }

  async stop(): Promise<void> {}

  async enqueue(_jobs: JobRow[], _now: Date): Promise<void> {
    // The rows are the queue: inserted as queued, they are claimable.
  }

  /** Jobs whose lease ended go back to the queue (a retry) or, out of attempts, dead. */
  async sweep(now: Date): Promise<void> {
    const at = now.toISOString();
    const expired = await this.db
      .selectFrom('campaign_jobs')
      .selectAll()
      .where('state', '=', 'running')
      .where('lease_until', '<=', at)
      .limit(SWEEP_LIMIT)
      .execute();
    if (expired.length === 0) return;
    await this.db.transaction().execute(async (tx) => {
      for (const r of expired) {
        const dead = Number(r.attempts) >= this.settings.maxAttempts;
        await tx
          .updateTable('campaign_jobs')
          .set({
            state: dead ? 'dead' : 'queued',
            available_at: at,
            lease_until: null,
            last_error: leaseExpiredReason(r.worker, this.settings.leaseSeconds),
            updated_at: at,
          })
          .where('id', '=', r.id)
          .where('state', '=', 'running')
          .where('attempts', '=', r.attempts)
          .execute();
      }
    });
    await this.store.finishRuns([...new Set(expired.map((r) => r.run_id))], at);
  }

  async claim(worker: string, max: number, now: Date): Promise<Claimed[]> {
    await this.sweep(now);
    const at = now.toISOString();
    const leaseUntil = plus(now, this.settings.leaseSeconds);
    return this.db.transaction().execute(async (tx) => {
      const due = await tx
        .selectFrom('campaign_jobs as j')
        .innerJoin('campaigns as c', 'c.id', 'j.campaign_id')
        .selectAll('j')
        .where('c.status', '=', 'active')
        .where('j.state', 'in', ['queued', 'failed'])
        .where('j.available_at', '<=', at)
        .orderBy('j.available_at')
        .orderBy('j.run_id')
        .orderBy('j.seq')
        .limit(CANDIDATES)
        .execute();
      if (due.length === 0) return [];
      const addresses = [...new Set(due.map((r) => r.address))];
      const busy = new Map<string, number>();
      for (const r of await tx
        .selectFrom('campaign_jobs')
        .select((eb) => ['address', eb.fn.countAll<number>().as('n')])
        .where('state', '=', 'running')
        .where('address', 'in', addresses)
        .groupBy('address')
        .execute())
        busy.set(r.address, Number(r.n));
      const claimed: Claimed[] = [];
      for (const r of due) {
        if (claimed.length >= max) break;
        const running = busy.get(r.address) ?? 0;
        if (running >= this.settings.perAddress) continue;
        busy.set(r.address, running + 1);
        const attempts = Number(r.attempts) + 1;
        const set = { state: 'running', attempts, lease_until: leaseUntil, worker, updated_at: at };
        await tx.updateTable('campaign_jobs').set(set).where('id', '=', r.id).execute();
        claimed.push({ job: toJob({ ...r, ...set }), leaseUntil });
      }
      return claimed;
    });
  }

  async complete(job: JobRow, batchId: string, now: Date): Promise<void> {
    await this.store.updateJob(job.id, { state: 'done', batch_id: batchId, lease_until: null, updated_at: now.toISOString() });
  }

  async fail(job: JobRow, attempt: number, reason: string, retryable: boolean, now: Date): Promise<JobFailAck> {
    const at = now.toISOString();
    if (job.state !== 'running' || job.attempts !== attempt) return { jobId: job.id, state: 'ignored', retryAt: null };
    const dead = !retryable || job.attempts >= this.settings.maxAttempts;
    const retryAt = dead ? at : plus(now, backoffSeconds(this.settings, job.attempts));
    const r = await this.db
      .updateTable('campaign_jobs')
      .set({ state: dead ? 'dead' : 'failed', available_at: retryAt, lease_until: null, last_error: reason, updated_at: at })
      .where('id', '=', job.id)
      .where('state', '=', 'running')
      .where('attempts', '=', attempt)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return { jobId: job.id, state: 'ignored', retryAt: null };
    return { jobId: job.id, state: dead ? 'dead' : 'failed', retryAt: dead ? null : retryAt };
  }

  async heartbeat(job: JobRow, attempt: number, now: Date): Promise<JobHeartbeatAck> {
    const leaseUntil = plus(now, this.settings.leaseSeconds);
    const r = await this.db
      .updateTable('campaign_jobs')
      .set({ lease_until: leaseUntil, updated_at: now.toISOString() })
      .where('id', '=', job.id)
      .where('state', '=', 'running')
      .where('attempts', '=', attempt)
      .executeTakeFirst();
    const held = Number(r.numUpdatedRows) > 0;
    return { jobId: job.id, held, leaseUntil: held ? leaseUntil : null };
  }

  async cancelled(_jobs: JobRow[], _now: Date): Promise<void> {
    // The rows are marked cancelled: claims skip them.
  }
}
