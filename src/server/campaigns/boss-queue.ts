// The campaign queue on PostgreSQL: pg-boss in the server's database (schema `pgboss`). pg-boss
// delivers the jobs — one per target, claimed with SKIP LOCKED by any number of server replicas on
// behalf of any number of workers — and owns their retries (retryLimit, retryBackoff), expiry
// (expireInSeconds: a job held by a dead worker returns) and the dead-letter queue. The per-address
// limit is pg-boss's group concurrency (group = the target's address, counted over every active job
// in the database, so all workers together respect it). The jobs table mirrors each job's state for
// progress and failures; pg-boss ids are derived from our job ids, so queuing a run again after a
// restart adds nothing twice.
//
// Cron is not pg-boss's here: schedule.ts evaluates campaigns' cron expressions against the
// server's clock on both stores (SQLite has no pg-boss), and a test moves that clock instead of
// waiting; pg-boss only queues the jobs of a run once it exists.

import { createHash } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import type { JobFailAck, JobHeartbeatAck } from '../../contract/campaign-api.js';
import type { CampaignStore, JobRow } from './campaign-store.js';
import { leaseExpiredReason } from './table-queue.js';
import { backoffSeconds, type CampaignQueue, type Claimed, type QueueSettings } from './queue.js';

const BOSS_SCHEMA = 'pgboss';
const JOB_QUEUE = 'govscan-campaign-jobs';
const DEAD_QUEUE = 'govscan-campaign-dead';
const CHUNK = 500;
/** pg-boss refuses a shorter heartbeat window. */
const MIN_BOSS_HEARTBEAT_SECONDS = 10;
/** The longest one attempt may hold a job, heartbeats or not (one target's scan takes minutes at most). */
const MAX_ATTEMPT_SECONDS = 4 * 3600;
/** Expired mirrors looked up per sweep, and how often a sweep looks. */
const SWEEP_LIMIT = 200;
const SWEEP_EVERY_MS = 1000;

interface JobData {
  jobId: string;
}

/** pg-boss's id of our job: a UUID derived from the job id (same job, same id, in every replica). */
function bossId(jobId: string): string {
  const h = createHash('sha256').update(`govscan-campaign-job\u0000${jobId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((Number.parseInt(h[16] as string, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** What complete/fail/cancel/touch answer at run time (typed as an empty interface by pg-boss). */
const affected = (r: object): number => Number((r as { affected?: number }).affected ?? 0);

const plus = (now: Date, seconds: number): string => new Date(now.getTime() + seconds * 1000).toISOString();

export class BossQueue implements CampaignQueue {
  private boss: PgBoss | null = null;
  private lastSweep = 0;

  constructor(
    private readonly store: CampaignStore,
    readonly settings: QueueSettings,
    private readonly url: string,
  ) {}

  private get b(): PgBoss {
    if (!this.boss) throw new Error('the campaign queue is not started');
    return this.boss;
  }

  async start(): Promise<void> {
    const { PgBoss } = await import('pg-boss');
    const boss = new PgBoss({
      connectionString: this.url,
      schema: BOSS_SCHEMA,
      application_name: 'govscan-campaigns',
      max: 4,
      // Our scheduler (schedule.ts) owns cron; pg-boss's supervisor expires leases and retries.
      schedule: false,
      supervise: true,
      migrate: true,
    });
    // A lost connection is reported to the next call; unhandled, 'error' would end the process.
    boss.on('error', () => undefined);
    await boss.start();
    this.boss = boss;
    const s = this.settings;
    const existing = new Set((await boss.getQueues([JOB_QUEUE, DEAD_QUEUE])).map((q) => q.name));
    if (!existing.has(DEAD_QUEUE)) await boss.createQueue(DEAD_QUEUE, { retentionSeconds: 30 * 86400, deleteAfterSeconds: 30 * 86400 });
    // The lease is pg-boss's heartbeat window: a worker's heartbeat (touch) keeps the job, silence
    // for leaseSeconds returns it. pg-boss needs that window to be at least 10 s; a shorter lease
    // (tests) is a plain expiry that heartbeats do not extend. expireInSeconds is the hard cap of one
    // attempt either way.
    const heartbeat = s.leaseSeconds >= MIN_BOSS_HEARTBEAT_SECONDS;
    const options = {
      retryLimit: s.maxAttempts - 1,
      retryDelay: s.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: s.retryDelayMaxSeconds,
      expireInSeconds: heartbeat ? Math.max(s.leaseSeconds, MAX_ATTEMPT_SECONDS) : s.leaseSeconds,
      ...(heartbeat ? { heartbeatSeconds: s.leaseSeconds } : {}),
      deadLetter: DEAD_QUEUE,
      deleteAfterSeconds: 7 * 86400,
    };
    if (existing.has(JOB_QUEUE)) {
      // A restart with other settings: what updateQueue may change (retryDelayMax and the heartbeat
      // window are fixed at creation).
      const { retryDelayMax: _max, heartbeatSeconds: _hb, deadLetter: _dl, ...changeable } = { heartbeatSeconds: 0, ...options };
      await boss.updateQueue(JOB_QUEUE, changeable);
    } else await boss.createQueue(JOB_QUEUE, options);
    // Resume: rows queued before a crash may never have reached pg-boss; sending them again adds
    // only the missing ones (derived ids, ON CONFLICT DO NOTHING).
    const pending = await this.store.db.selectFrom('campaign_jobs').selectAll().where('state', 'in', ['queued', 'failed']).execute();
    const { toJob } = await import('./campaign-store.js');
    await this.enqueue(pending.map(toJob), new Date());
  }

  async stop(): Promise<void> {
    await this.boss?.stop({ graceful: false, close: true });
    this.boss = null;
  }

  async enqueue(jobs: JobRow[], _now: Date): Promise<void> {
    for (let i = 0; i < jobs.length; i += CHUNK) {
      await this.b.insert(
        JOB_QUEUE,
        jobs.slice(i, i + CHUNK).map((j) => ({ id: bossId(j.id), data: { jobId: j.id } satisfies JobData, group: { id: j.address } })),
      );
    }
  }

  async claim(worker: string, max: number, now: Date): Promise<Claimed[]> {
    await this.sweep(now);
    const fetched = await this.b.fetch<JobData>(JOB_QUEUE, { batchSize: max, groupConcurrency: this.settings.perAddress });
    const at = now.toISOString();
    const leaseUntil = plus(now, this.settings.leaseSeconds);
    const claimed: Claimed[] = [];
    const stale: { id: string; retryCount: number }[] = [];
    for (const f of fetched) {
      const row = await this.store.getJob(f.data.jobId);
      const campaign = row ? await this.store.getCampaign(row.campaignId) : null;
      // A job of a cancelled campaign, or one already settled (a late result of an earlier attempt).
      if (!row || !campaign || campaign.status !== 'active' || row.state === 'done' || row.state === 'cancelled' || row.state === 'dead') {
        stale.push({ id: f.id, retryCount: f.retryCount });
        continue;
      }
      const attempts = f.retryCount + 1;
      // Guarded: a late result of an earlier attempt may have settled the job since it was read.
      const held = await this.store.db
        .updateTable('campaign_jobs')
        .set({ state: 'running', attempts, lease_until: leaseUntil, worker, queue_ref: f.id, updated_at: at })
        .where('id', '=', row.id)
        .where('state', 'in', ['queued', 'failed', 'running'])
        .executeTakeFirst();
      if (Number(held.numUpdatedRows) === 0) {
        stale.push({ id: f.id, retryCount: f.retryCount });
        continue;
      }
      claimed.push({ job: { ...row, state: 'running', attempts, leaseUntil, worker, queueRef: f.id }, leaseUntil });
    }
    if (stale.length > 0) await this.b.cancel(JOB_QUEUE, stale);
    return claimed;
  }

  /**
   * Mirrors pg-boss's decisions about jobs whose lease ended: its supervisor returned them to the
   * queue (a retry) or, out of retries, moved them to the dead-letter queue.
   */
  async sweep(now: Date): Promise<void> {
    // Every claim sweeps; asking pg-boss about expired jobs once a second is enough for all of them.
    if (Date.now() - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = Date.now();
    const at = now.toISOString();
    const expired = await this.store.db
      .selectFrom('campaign_jobs')
      .select(['id', 'run_id', 'attempts', 'worker'])
      .where('state', '=', 'running')
      .where('lease_until', '<=', at)
      .limit(SWEEP_LIMIT)
      .execute();
    if (expired.length === 0) return;
    await this.b.supervise(JOB_QUEUE);
    const reason = (worker: string | null): string => leaseExpiredReason(worker, this.settings.leaseSeconds);
    for (const r of expired) {
      const [job] = await this.b.findJobs<JobData>(JOB_QUEUE, { id: bossId(r.id) });
      const guard = (state: string, extra: { last_error?: string; available_at?: string } = {}) =>
        this.store.db
          .updateTable('campaign_jobs')
          .set({ state, lease_until: null, updated_at: at, ...extra })
          .where('id', '=', r.id)
          .where('state', '=', 'running')
          .where('attempts', '=', r.attempts)
          .execute();
      if (!job || job.state === 'failed') await guard('dead', { last_error: reason(r.worker) });
      else if (job.state === 'retry' || job.state === 'created')
        await guard('queued', { last_error: reason(r.worker), available_at: new Date(job.startAfter).toISOString() });
      else if (job.state === 'cancelled') await guard('cancelled');
    }
    await this.store.finishRuns([...new Set(expired.map((r) => r.run_id))], at);
  }

  async complete(job: JobRow, batchId: string, now: Date): Promise<void> {
    // includeQueued: a late result of an attempt that expired also settles the retry waiting for it.
    await this.b.complete(JOB_QUEUE, bossId(job.id), null, { includeQueued: true });
    await this.store.updateJob(job.id, { state: 'done', batch_id: batchId, lease_until: null, updated_at: now.toISOString() });
  }

  async fail(job: JobRow, attempt: number, reason: string, retryable: boolean, now: Date): Promise<JobFailAck> {
    const at = now.toISOString();
    const ignored: JobFailAck = { jobId: job.id, state: 'ignored', retryAt: null };
    if (job.state !== 'running' || job.attempts !== attempt) return ignored;
    const attemptRef = { id: bossId(job.id), retryCount: attempt - 1 };
    const dead = !retryable || attempt >= this.settings.maxAttempts;
    if (retryable) {
      // pg-boss retries it after its backoff, or moves it to the dead-letter queue when out of retries.
      const r = await this.b.fail(JOB_QUEUE, attemptRef, { reason });
      if (affected(r) === 0) return ignored;
    } else {
      // Not worth retrying (not a valid target): straight to the dead-letter queue, with the reason.
      const r = await this.b.cancel(JOB_QUEUE, attemptRef);
      if (affected(r) === 0) return ignored;
      await this.b.send(DEAD_QUEUE, { jobId: job.id, reason } satisfies JobData & { reason: string });
    }
    const retryAt = dead ? null : plus(now, backoffSeconds(this.settings, attempt));
    await this.store.updateJob(job.id, {
      state: dead ? 'dead' : 'failed',
      available_at: retryAt ?? at,
      lease_until: null,
      last_error: reason,
      updated_at: at,
    });
    return { jobId: job.id, state: dead ? 'dead' : 'failed', retryAt };
  }

  async heartbeat(job: JobRow, attempt: number, now: Date): Promise<JobHeartbeatAck> {
    const notHeld: JobHeartbeatAck = { jobId: job.id, held: false, leaseUntil: null };
    if (job.state !== 'running' || job.attempts !== attempt) return notHeld;
    const r = await this.b.touch(JOB_QUEUE, { id: bossId(job.id), retryCount: attempt - 1 });
    if (affected(r) === 0) return notHeld;
    const leaseUntil = plus(now, this.settings.leaseSeconds);
    await this.store.updateJob(job.id, { lease_until: leaseUntil, updated_at: now.toISOString() });
    return { jobId: job.id, held: true, leaseUntil };
  }

  async cancelled(jobs: JobRow[], _now: Date): Promise<void> {
    for (let i = 0; i < jobs.length; i += CHUNK)
      await this.b.cancel(
        JOB_QUEUE,
        jobs.slice(i, i + CHUNK).map((j) => bossId(j.id)),
      );
  }
}
