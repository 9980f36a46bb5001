// The campaign tables (migrations.ts 0003_campaigns) read and written in the contract's shapes:
// campaigns, their runs, and each run's jobs. Both queues (table-queue.ts, boss-queue.ts) record
// every job's state here, so progress, failures and the results of a run read the same on both stores.

import type { Kysely, Transaction } from 'kysely';
import type {
  Campaign,
  CampaignOptions,
  CampaignRow,
  CampaignRun,
  JobFailure,
  JobState,
  JobSystem,
  RunCounts,
} from '../../contract/campaign-api.js';
import type { CampaignJobsTable, CampaignsTable, DB } from '../store/schema.js';

/** One target of a campaign as every run queues it. */
export interface CampaignTarget {
  target: string;
  /** What the per-address limit counts by: the pinned address, else the host. */
  address: string;
  agency: string;
  system: JobSystem | null;
}

export interface NewCampaign {
  id: string;
  name: string;
  agency: string | null;
  source: Campaign['source'];
  targets: CampaignTarget[];
  options: CampaignOptions;
  schedule: string | null;
  nextRunAt: string | null;
  createdBy: string;
  createdAt: string;
}

/** A job row as the queues and the service use it. */
export interface JobRow {
  id: string;
  runId: string;
  campaignId: string;
  target: string;
  address: string;
  agency: string;
  system: JobSystem | null;
  state: JobState;
  attempts: number;
  leaseUntil: string | null;
  worker: string | null;
  lastError: string | null;
  batchId: string | null;
  queueRef: string | null;
}

type Db = Kysely<DB> | Transaction<DB>;

const INSERT_CHUNK = 500;
const MAX_RUNS_SHOWN = 50;
const MAX_FAILURES_SHOWN = 500;
const MAX_BATCHES_SHOWN = 1000;
/** States in which a job still needs a worker: a run with any of them is not finished. */
const OPEN_STATES: readonly JobState[] = ['queued', 'running', 'failed'];

function toCampaign(r: CampaignsTable): Campaign {
  return {
    id: r.id,
    name: r.name,
    agency: r.agency,
    targetCount: Number(r.target_count),
    source: r.source as Campaign['source'],
    options: JSON.parse(r.options) as CampaignOptions,
    schedule: r.schedule,
    nextRunAt: r.next_run_at,
    status: r.status as Campaign['status'],
    createdBy: r.created_by,
    createdAt: r.created_at,
    cancelledAt: r.cancelled_at,
  };
}

export function toJob(r: CampaignJobsTable): JobRow {
  return {
    id: r.id,
    runId: r.run_id,
    campaignId: r.campaign_id,
    target: r.target,
    address: r.address,
    agency: r.agency,
    system: r.system ? (JSON.parse(r.system) as JobSystem) : null,
    state: r.state as JobState,
    attempts: Number(r.attempts),
    leaseUntil: r.lease_until,
    worker: r.worker,
    lastError: r.last_error,
    batchId: r.batch_id,
    queueRef: r.queue_ref,
  };
}

function emptyCounts(): RunCounts {
  return { total: 0, queued: 0, running: 0, done: 0, failed: 0, dead: 0, cancelled: 0, retried: 0 };
}

export class CampaignStore {
  constructor(readonly db: Kysely<DB>) {}

  async insertCampaign(c: NewCampaign): Promise<void> {
    await this.db
      .insertInto('campaigns')
      .values({
        id: c.id,
        name: c.name,
        agency: c.agency,
        source: c.source,
        targets: JSON.stringify(c.targets),
        target_count: c.targets.length,
        options: JSON.stringify(c.options),
        schedule: c.schedule,
        next_run_at: c.nextRunAt,
        status: 'active',
        created_by: c.createdBy,
        created_at: c.createdAt,
        cancelled_at: null,
      })
      .execute();
  }

  async getCampaign(id: string, db: Db = this.db): Promise<Campaign | null> {
    const r = await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toCampaign(r) : null;
  }

  async campaignTargets(id: string): Promise<CampaignTarget[]> {
    const r = await this.db.selectFrom('campaigns').select('targets').where('id', '=', id).executeTakeFirst();
    return r ? (JSON.parse(r.targets) as CampaignTarget[]) : [];
  }

  /** Newest first; `agency`: that agency's campaigns only. */
  async listCampaigns(agency?: string): Promise<CampaignRow[]> {
    let q = this.db.selectFrom('campaigns').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(1000);
    if (agency !== undefined) q = q.where('agency', '=', agency);
    const campaigns = (await q.execute()).map(toCampaign);
    if (campaigns.length === 0) return [];
    // The newest run of each campaign listed: runs joined to each campaign's latest start time.
    const runs = await this.db
      .selectFrom('campaign_runs as r')
      .innerJoin(
        (eb) =>
          eb
            .selectFrom('campaign_runs')
            .select((e) => ['campaign_id', e.fn.max('started_at').as('m')])
            .where(
              'campaign_id',
              'in',
              campaigns.map((c) => c.id),
            )
            .groupBy('campaign_id')
            .as('l'),
        (j) => j.onRef('l.campaign_id', '=', 'r.campaign_id').onRef('l.m', '=', 'r.started_at'),
      )
      .selectAll('r')
      .execute();
    const counts = await this.runCounts(runs.map((r) => r.id));
    const latest = new Map(runs.map((r) => [r.campaign_id, this.toRun(r, counts)]));
    return campaigns.map((c) => ({ ...c, latestRun: latest.get(c.id) ?? null }));
  }

  private toRun(
    r: { id: string; campaign_id: string; started_at: string; finished_at: string | null },
    counts: Map<string, RunCounts>,
  ): CampaignRun {
    return {
      id: r.id,
      campaignId: r.campaign_id,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      counts: counts.get(r.id) ?? emptyCounts(),
    };
  }

  async runs(campaignId: string): Promise<CampaignRun[]> {
    const rows = await this.db
      .selectFrom('campaign_runs')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .orderBy('started_at', 'desc')
      .limit(MAX_RUNS_SHOWN)
      .execute();
    const counts = await this.runCounts(rows.map((r) => r.id));
    return rows.map((r) => this.toRun(r, counts));
  }

  async getRun(runId: string): Promise<CampaignRun | null> {
    const r = await this.db.selectFrom('campaign_runs').selectAll().where('id', '=', runId).executeTakeFirst();
    return r ? this.toRun(r, await this.runCounts([runId])) : null;
  }

  async runCounts(runIds: string[]): Promise<Map<string, RunCounts>> {
    const out = new Map<string, RunCounts>();
    if (runIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('campaign_jobs')
      .select((eb) => [
        'run_id',
        'state',
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>(eb.case().when('attempts', '>', 1).then(1).else(0).end()).as('retried'),
      ])
      .where('run_id', 'in', runIds)
      .groupBy(['run_id', 'state'])
      .execute();
    for (const r of rows) {
      let c = out.get(r.run_id);
      if (!c) out.set(r.run_id, (c = emptyCounts()));
      const n = Number(r.n);
      c[r.state as JobState] += n;
      c.total += n;
      c.retried += Number(r.retried ?? 0);
    }
    return out;
  }

  /** Jobs that failed at least once in the given runs: dead first, then still retrying. */
  async failures(runIds: string[]): Promise<JobFailure[]> {
    if (runIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('campaign_jobs')
      .select(['id', 'run_id', 'target', 'state', 'attempts', 'last_error'])
      .where('run_id', 'in', runIds)
      .where('last_error', 'is not', null)
      .orderBy((eb) => eb.case().when('state', '=', 'dead').then(0).else(1).end())
      .orderBy('id')
      .limit(MAX_FAILURES_SHOWN)
      .execute();
    return rows.map((r) => ({
      jobId: r.id,
      runId: r.run_id,
      target: r.target,
      state: r.state as JobState,
      attempts: Number(r.attempts),
      reason: r.last_error ?? '',
    }));
  }

  async batchIds(runId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('campaign_jobs')
      .select('batch_id')
      .where('run_id', '=', runId)
      .where('batch_id', 'is not', null)
      .orderBy('seq')
      .limit(MAX_BATCHES_SHOWN)
      .execute();
    return rows.map((r) => r.batch_id as string);
  }

  /**
   * A run of the campaign started at `startedAt` with one queued job per target, in one
   * transaction; null when that run exists already (another replica reached the same cron tick).
   */
  async insertRun(campaignId: string, runId: string, startedAt: string, targets: CampaignTarget[]): Promise<JobRow[] | null> {
    return this.db.transaction().execute(async (tx) => {
      const inserted = await tx
        .insertInto('campaign_runs')
        .values({ id: runId, campaign_id: campaignId, started_at: startedAt, finished_at: null })
        .onConflict((oc) => oc.columns(['campaign_id', 'started_at']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return null;
      const rows: CampaignJobsTable[] = targets.map((t, seq) => ({
        id: `${runId}:${seq}`,
        run_id: runId,
        campaign_id: campaignId,
        seq,
        target: t.target,
        address: t.address,
        agency: t.agency,
        system: t.system ? JSON.stringify(t.system) : null,
        state: 'queued',
        attempts: 0,
        available_at: startedAt,
        lease_until: null,
        worker: null,
        last_error: null,
        batch_id: null,
        queue_ref: null,
        updated_at: startedAt,
      }));
      for (let i = 0; i < rows.length; i += INSERT_CHUNK)
        await tx
          .insertInto('campaign_jobs')
          .values(rows.slice(i, i + INSERT_CHUNK))
          .execute();
      return rows.map(toJob);
    });
  }

  async getJob(id: string, db: Db = this.db): Promise<JobRow | null> {
    const r = await db.selectFrom('campaign_jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toJob(r) : null;
  }

  async updateJob(id: string, set: Partial<Omit<CampaignJobsTable, 'id'>>, db: Db = this.db): Promise<void> {
    await db.updateTable('campaign_jobs').set(set).where('id', '=', id).execute();
  }

  /** Marks the campaign cancelled and its jobs that no worker holds cancelled; returns their ids. */
  async cancelCampaign(id: string, now: string): Promise<{ campaign: Campaign; cancelled: JobRow[] } | null> {
    return this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('campaigns')
        .set({ status: 'cancelled', cancelled_at: now, next_run_at: null })
        .where('id', '=', id)
        .where('status', '=', 'active')
        .execute();
      const campaign = await this.getCampaign(id, tx);
      if (!campaign) return null;
      const open = await tx
        .selectFrom('campaign_jobs')
        .selectAll()
        .where('campaign_id', '=', id)
        .where('state', 'in', ['queued', 'failed'])
        .execute();
      await tx
        .updateTable('campaign_jobs')
        .set({ state: 'cancelled', updated_at: now })
        .where('campaign_id', '=', id)
        .where('state', 'in', ['queued', 'failed'])
        .execute();
      return { campaign, cancelled: open.map(toJob) };
    });
  }

  /** Closes the runs whose jobs are all done, dead or cancelled. */
  async finishRuns(runIds: string[], now: string): Promise<void> {
    if (runIds.length === 0) return;
    await this.db
      .updateTable('campaign_runs')
      .set({ finished_at: now })
      .where('id', 'in', runIds)
      .where('finished_at', 'is', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('campaign_jobs')
              .select('campaign_jobs.id')
              .whereRef('campaign_jobs.run_id', '=', 'campaign_runs.id')
              .where('campaign_jobs.state', 'in', [...OPEN_STATES]),
          ),
        ),
      )
      .execute();
  }

  /** Active scheduled campaigns whose next run is due at `now`. */
  async dueCampaigns(now: string): Promise<Campaign[]> {
    const rows = await this.db
      .selectFrom('campaigns')
      .selectAll()
      .where('status', '=', 'active')
      .where('next_run_at', 'is not', null)
      .where('next_run_at', '<=', now)
      .orderBy('next_run_at')
      .limit(100)
      .execute();
    return rows.map(toCampaign);
  }

  /** Moves the campaign's next run from `from` to `to` (only if no other replica moved it first). */
  async advanceSchedule(id: string, from: string, to: string | null): Promise<boolean> {
    const r = await this.db
      .updateTable('campaigns')
      .set({ next_run_at: to })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .where('next_run_at', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
