// Campaigns as the routes (and the in-process pool) use them: create, list, show, cancel for people;
// claim, result, fail, heartbeat for workers; tick for the scheduler. Who may see which campaign is
// decided by the route (campaign-scope.ts); this module keeps the rules of the model: a campaign's
// targets are checked before anything is queued, a run queues one job per target, a job's result is
// stored once through the store's idempotent ingest as a batch of the job's agency, with a batch id
// derived from the job id (a resubmission or a late result of an expired attempt is a duplicate).

import { createHash, randomUUID } from 'node:crypto';
import type { Report } from '../../core/types.js';
import type { Batch } from '../../contract/agent-api.js';
import type {
  Campaign,
  CampaignCancelled,
  CampaignCreate,
  CampaignCreated,
  CampaignDetail,
  CampaignRow,
  ClaimedJob,
  JobFailAck,
  JobHeartbeatAck,
  JobResultAck,
  JobSystem,
} from '../../contract/campaign-api.js';
import type { Inventory } from '../../engine/inventory.js';
import { parseTarget } from '../../core/targets.js';
import { parseResolveOverride, type ResolveOverride } from '../../core/net/resolver.js';
import { InputError } from '../../core/errors.js';
import { format, type Catalogue } from '../../core/i18n/index.js';
import type { Store } from '../store/store-types.js';
import { freeFormViolation } from '../body-shape.js';
import { HttpError } from '../errors.js';
import type { CampaignStore, CampaignTarget, JobRow } from './campaign-store.js';
import { CM } from './messages.js';
import { MAX_CAMPAIGN_TARGETS as MAX_TARGETS } from '../../contract/campaign-api.js';
import type { CampaignQueue } from './queue.js';
import { nextRun, scheduleInterval, scheduleProblem } from './schedule.js';

/** A refusal a person acts on: status, the API code, and the message in both languages. */
class CampaignError extends HttpError {
  constructor(
    override readonly statusCode: 400 | 403 | 404 | 409,
    override readonly code: 'bad-request' | 'forbidden' | 'not-found' | 'conflict',
    override readonly localized: { en: string; vi: string },
  ) {
    super(statusCode, code, localized.en, localized);
    this.name = 'CampaignError';
  }
}

type Key = typeof CM extends Catalogue<infer K> ? K : never;
function refuse(
  status: CampaignError['statusCode'],
  code: CampaignError['code'],
  key: Key,
  params: Record<string, unknown> = {},
): CampaignError {
  const m = CM[key];
  return new CampaignError(status, code, { en: format(m.en, params), vi: format(m.vi, params, 'vi') });
}
const badRequest = (key: Key, params: Record<string, unknown> = {}): CampaignError => refuse(400, 'bad-request', key, params);

/** The batch id a job's result is stored under: a UUID v4 derived from the job id. */
function jobBatchId(jobId: string): string {
  const h = createHash('sha256').update(`govscan-campaign-result\u0000${jobId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((Number.parseInt(h[16] as string, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The "agent" a campaign's results of one target are stored for: the latest state per agent is the
 * latest result per (campaign, target), as the fleet views expect of agents.
 */
function campaignAgentId(campaignId: string, target: string): string {
  return `campaign:${campaignId}:${createHash('sha256').update(target).digest('hex').slice(0, 16)}`;
}

export interface CampaignServiceOptions {
  store: Store;
  campaigns: CampaignStore;
  queue: CampaignQueue;
  now: () => Date;
  /** Told when a run was queued (the in-process pool claims at once instead of at its next poll). */
  onRunQueued?: () => void;
}

/** Who is asking: the token id, and the only agency it may act for (undefined: any). */
export interface Actor {
  tokenId: string;
  agency: string | undefined;
}

export class CampaignService {
  readonly store: Store;
  readonly campaigns: CampaignStore;
  readonly queue: CampaignQueue;
  private readonly now: () => Date;
  onRunQueued: (() => void) | undefined;

  constructor(opts: CampaignServiceOptions) {
    this.onRunQueued = opts.onRunQueued;
    this.store = opts.store;
    this.campaigns = opts.campaigns;
    this.queue = opts.queue;
    this.now = opts.now;
  }

  // ── people ──────────────────────────────────────────────────────────────────────────────────

  async create(body: CampaignCreate, actor: Actor): Promise<CampaignCreated> {
    const now = this.now();
    const options = body.options ?? {};
    const pins = (options.resolve ?? []).map((text, index) => {
      try {
        return parseResolveOverride(text);
      } catch (err) {
        throw badRequest('badResolve', {
          index,
          reason: err instanceof InputError ? err.message.replace(/^--resolve "[^"]*": /, '') : String(err),
        });
      }
    });
    if (options.policies?.length) {
      // Loaded when first needed: the rule catalogue pulls in every check family.
      const { builtinRules } = await import('../rule-catalogue.js');
      const known = new Set((await builtinRules()).map((r) => r.policyId));
      options.policies.forEach((id, index) => {
        if (!known.has(id)) throw badRequest('unknownPolicy', { index, id });
      });
    }
    const schedule = body.schedule?.trim() || null;
    if (schedule) {
      const problem = scheduleProblem(schedule, now);
      if (problem) throw badRequest('badSchedule', { schedule, reason: problem });
    }
    if ((body.targets === undefined) === (body.inventory === undefined)) throw badRequest('targetsOrInventory');

    const inventory =
      body.inventory !== undefined
        ? inventoryTargets(body.inventory, pins, (await import('../../engine/inventory.js')).parseInventory)
        : null;
    const agency = inventory?.agency ?? body.agency ?? actor.agency;
    if (actor.agency !== undefined && agency !== actor.agency) throw refuse(403, 'forbidden', 'agencyOutOfScope', { agency: actor.agency });
    if (!agency) throw badRequest('agencyRequired');
    const targets = inventory ? inventory.targets.map((t) => ({ ...t, agency })) : listTargets(body.targets ?? [], pins, agency);
    if (!(await this.store.getAgency(agency))) await this.store.createAgency(agency, agency);

    const campaign = {
      id: randomUUID(),
      name: body.name,
      agency,
      source: inventory ? ('inventory' as const) : ('targets' as const),
      targets,
      options,
      schedule,
      nextRunAt: schedule ? nextRun(schedule, now).toISOString() : null,
      createdBy: actor.tokenId,
      createdAt: now.toISOString(),
    };
    await this.campaigns.insertCampaign(campaign);
    const run = schedule ? null : await this.startRun(campaign.id, targets, now.toISOString(), now);
    return { campaign: (await this.campaigns.getCampaign(campaign.id)) as Campaign, run };
  }

  private async startRun(campaignId: string, targets: CampaignTarget[], startedAt: string, now: Date) {
    const runId = randomUUID();
    const jobs = await this.campaigns.insertRun(campaignId, runId, startedAt, targets);
    if (!jobs) return null;
    await this.queue.enqueue(jobs, now);
    this.onRunQueued?.();
    return this.campaigns.getRun(runId);
  }

  list(agency: string | undefined): Promise<CampaignRow[]> {
    return this.campaigns.listCampaigns(agency);
  }

  /** The campaign, or null when it does not exist or is another agency's (answered alike: 404). */
  private async visible(id: string, agency: string | undefined): Promise<Campaign | null> {
    const c = await this.campaigns.getCampaign(id);
    return c && (agency === undefined || c.agency === agency) ? c : null;
  }

  async show(id: string, agency: string | undefined): Promise<CampaignDetail | null> {
    const campaign = await this.visible(id, agency);
    if (!campaign) return null;
    await this.queue.sweep(this.now());
    const runs = await this.campaigns.runs(id);
    const [failures, batches] = await Promise.all([
      this.campaigns.failures(runs.map((r) => r.id)),
      runs[0] ? this.campaigns.batchIds(runs[0].id) : Promise.resolve([]),
    ]);
    return { campaign: (await this.campaigns.getCampaign(id)) as Campaign, runs, failures, batches };
  }

  async cancel(id: string, agency: string | undefined): Promise<CampaignCancelled | null> {
    const campaign = await this.visible(id, agency);
    if (!campaign) return null;
    if (campaign.status === 'cancelled') throw refuse(409, 'conflict', 'alreadyCancelled');
    const now = this.now();
    const done = await this.campaigns.cancelCampaign(id, now.toISOString());
    if (!done) return null;
    await this.queue.cancelled(done.cancelled, now);
    await this.campaigns.finishRuns([...new Set(done.cancelled.map((j) => j.runId))], now.toISOString());
    return { campaign: done.campaign, cancelledJobs: done.cancelled.length };
  }

  // ── scheduler ───────────────────────────────────────────────────────────────────────────────

  /** Starts the runs whose cron time has come (one per campaign, however many ticks were missed). */
  async tick(): Promise<string[]> {
    const now = this.now();
    const started: string[] = [];
    for (const c of await this.campaigns.dueCampaigns(now.toISOString())) {
      if (!c.schedule || !c.nextRunAt) continue;
      // Whoever moves next_run_at on starts the run: replicas ticking together start it once.
      if (!(await this.campaigns.advanceSchedule(c.id, c.nextRunAt, nextRun(c.schedule, now).toISOString()))) continue;
      const run = await this.startRun(c.id, await this.campaigns.campaignTargets(c.id), c.nextRunAt, now);
      if (run) started.push(run.id);
    }
    return started;
  }

  // ── workers ─────────────────────────────────────────────────────────────────────────────────

  async claim(worker: string, max: number): Promise<ClaimedJob[]> {
    const claimed = await this.queue.claim(worker, max, this.now());
    const options = new Map<string, Campaign['options']>();
    const out: ClaimedJob[] = [];
    for (const { job } of claimed) {
      if (!options.has(job.campaignId)) options.set(job.campaignId, (await this.campaigns.getCampaign(job.campaignId))?.options ?? {});
      out.push({
        id: job.id,
        campaignId: job.campaignId,
        runId: job.runId,
        target: job.target,
        agency: job.agency,
        system: job.system,
        options: options.get(job.campaignId) ?? {},
        attempt: job.attempts,
        leaseSeconds: this.queue.settings.leaseSeconds,
      });
    }
    return out;
  }

  /** null: no such job. A result for an attempt never handed out is a conflict. */
  async result(jobId: string, attempt: number, report: Report): Promise<JobResultAck | null> {
    const job = await this.campaigns.getJob(jobId);
    if (!job) return null;
    if (attempt > job.attempts)
      throw new CampaignError(409, 'conflict', { en: 'this attempt was not handed out', vi: 'lần thực hiện này chưa được giao' });
    const tooBig = freeFormViolation(report);
    if (tooBig) throw tooBig;
    const now = this.now();
    const batchId = jobBatchId(job.id);
    const batch: Batch = {
      schemaVersion: 1,
      batchId,
      agentId: campaignAgentId(job.campaignId, job.target),
      agency: job.agency,
      createdAt: typeof report.run?.finishedAt === 'string' ? report.run.finishedAt : now.toISOString(),
      agent: {
        version: report.tool?.version || 'unknown',
        hostname: job.target.slice(0, 253),
        intervalSeconds: await this.reportInterval(job),
      },
      report,
    };
    const { status } = await this.store.ingest(batch, now.toISOString());
    if (status === 'conflict') throw new CampaignError(409, 'conflict', { en: 'batch id conflict', vi: 'trùng mã lô' });
    if (job.state !== 'done') {
      await this.queue.complete(job, batchId, now);
      await this.campaigns.finishRuns([job.runId], now.toISOString());
    }
    return { jobId, batchId, status };
  }

  /** How often this target reports: its campaign's schedule period, else unknown (0). */
  private async reportInterval(job: JobRow): Promise<number> {
    const c = await this.campaigns.getCampaign(job.campaignId);
    return c?.schedule ? scheduleInterval(c.schedule, this.now()) : 0;
  }

  async fail(jobId: string, attempt: number, reason: string, retryable: boolean): Promise<JobFailAck | null> {
    const job = await this.campaigns.getJob(jobId);
    if (!job) return null;
    const now = this.now();
    const ack = await this.queue.fail(job, attempt, reason, retryable, now);
    if (ack.state === 'dead') await this.campaigns.finishRuns([job.runId], now.toISOString());
    return ack;
  }

  async heartbeat(jobId: string, attempt: number): Promise<JobHeartbeatAck | null> {
    const job = await this.campaigns.getJob(jobId);
    if (!job) return null;
    return this.queue.heartbeat(job, attempt, this.now());
  }
}

/** The address the per-address limit counts a target by: its pinned address, else its host. */
function addressOf(host: string, port: number, pins: readonly ResolveOverride[]): string {
  const pin = pins.find((p) => (p.host === host || p.host === '*') && (p.port === '*' || p.port === port));
  return pin ? pin.address : host;
}

function listTargets(texts: readonly string[], pins: readonly ResolveOverride[], agency: string): CampaignTarget[] {
  return texts.map((text, index) => {
    const parsed = parseTarget(text);
    if (!parsed.ok) throw badRequest('badTarget', { index, reason: parsed.error });
    return { target: text.trim(), address: addressOf(parsed.target.host, parsed.target.port, pins), agency, system: null };
  });
}

/**
 * An inventory's endpoints and domains, each with its system. Its `system://` targets are left out:
 * they judge evidence manifests kept on the agency's own machines, which a SOC's worker cannot read.
 */
function inventoryTargets(
  text: string,
  pins: readonly ResolveOverride[],
  parseInventory: (text: string, file: string) => Inventory,
): { agency: string | undefined; targets: Omit<CampaignTarget, 'agency'>[] } {
  let inv: Inventory;
  try {
    inv = parseInventory(text, 'inventory');
  } catch (err) {
    if (err instanceof InputError) throw badRequest('badInventory', { reason: err.message });
    throw err;
  }
  const targets: Omit<CampaignTarget, 'agency'>[] = [];
  for (const s of inv.systems) {
    const basis = inv.legalBases.get(s.id)?.id;
    const system: JobSystem = {
      id: s.id,
      ...(s.name !== undefined ? { name: s.name } : {}),
      ...(s.level !== undefined ? { level: s.level } : {}),
      ...(s.domain !== undefined ? { domain: s.domain } : {}),
      ...(s.kind !== undefined ? { kind: s.kind } : {}),
      ...(basis !== undefined ? { legalBasis: basis } : {}),
    };
    // The endpoints as written, then the system's domain (a target of its own, as `scan` does).
    for (const text of [...s.endpoints, ...(s.domain !== undefined ? [s.domain] : [])]) {
      const parsed = parseTarget(text);
      // parseInventory has checked every endpoint and domain already.
      if (!parsed.ok) throw badRequest('badInventory', { reason: parsed.error });
      if (targets.length >= MAX_TARGETS) throw badRequest('tooManyTargets', { max: MAX_TARGETS });
      targets.push({ target: text.trim(), address: addressOf(parsed.target.host, parsed.target.port, pins), system });
    }
  }
  if (targets.length === 0) throw badRequest('inventoryEmpty');
  return { agency: inv.agency, targets };
}
