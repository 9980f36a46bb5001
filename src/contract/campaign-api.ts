// Campaigns (issue 15): what the server, `govscan worker`, `govscan campaign` and the dashboard
// exchange over HTTP. Each body is defined once with TypeBox: the TypeScript type (Static<…>) and the
// JSON Schema the server validates with come from the same definition. The spec in words is
// campaign-api.md (the brief); this file is authoritative when they differ.
//
// Roles (src/server/principal.ts):
// - admin (gsm_): everything.
// - soc (gss_, new): creates, reads and cancels campaigns. Unscoped: any agency (a provincial or
//   national SOC); with an agency: that agency only (an agency's own IT). Reads nothing else.
// - viewer (gsv_): reads campaigns (list/show), scoped like every other read.
// - worker (gsw_, new): claims jobs and hands back results or failures; reads nothing.
// Another agency's campaign is answered 404, as every scoped read (read-scope.ts).

import type { Report } from '../core/types.js';
import type { ApiError } from './agent-api.js';
import { REPORT_BOUNDS } from './batch-schema.js';
import { ReportSchema } from '../core/report-schema.js';
import { closed, enumOf, nullableString, Type, type Static } from '../core/schema-builders.js';

const AGENCY_ID = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' });
const shortList = (maxLength: number, maxItems = 200) => Type.Array(Type.String({ minLength: 1, maxLength }), { maxItems });

/** Most targets one campaign may hold (one job per target per run). */
export const MAX_CAMPAIGN_TARGETS = 100_000;
/** Most jobs one claim hands out. */
export const MAX_CLAIM = 64;

/**
 * How every job of the campaign is scanned, as `govscan scan` takes it. Only what can be named in
 * text travels: built-in pack ids (a worker has none of the SOC's files), rule globs, parameters.
 * Network settings of the worker's own machine (CA files, DNS servers) are the worker's flags.
 */
const CampaignOptionsSchema = closed({
  /** Built-in policy pack ids (`govscan policy list`); empty or absent: every built-in pack. */
  policies: Type.Optional(shortList(128, 50)),
  legalBasis: Type.Optional(enumOf(['nd85-2016', 'nd331-2026'] as const)),
  /** `[PACK:]NAME=VALUE` (--param). */
  params: Type.Optional(shortList(512)),
  /** --rule / --skip-rule globs. */
  rules: Type.Optional(shortList(256)),
  skipRules: Type.Optional(shortList(256)),
  severities: Type.Optional(Type.Array(enumOf(['critical', 'high', 'medium', 'low', 'info'] as const), { maxItems: 5 })),
  /** HOST:PORT:ADDRESS pins (--resolve), applied by every worker. */
  resolve: Type.Optional(shortList(600)),
  /** Per-connection timeout in ms (--timeout); the worker's default when absent. */
  timeoutMs: Type.Optional(Type.Integer({ minimum: 50, maximum: 600_000 })),
});
export type CampaignOptions = Static<typeof CampaignOptionsSchema>;

/**
 * POST /api/v1/campaigns body. Exactly one of `targets` (as `govscan scan` takes them) and
 * `inventory` (the inventory YAML text: one job per endpoint, each job carrying its system).
 * `agency` is required unless the inventory names one; an agency-scoped soc token may only name its
 * own (or leave it out: its agency is used). `schedule`: a 5-field cron expression in UTC (minute
 * hour day-of-month month day-of-week); absent or null: one run now, none later.
 */
export const CampaignCreateSchema = closed({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  agency: Type.Optional(AGENCY_ID),
  targets: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), { minItems: 1, maxItems: MAX_CAMPAIGN_TARGETS })),
  inventory: Type.Optional(Type.String({ minLength: 1, maxLength: 4 * 1024 * 1024 })),
  options: Type.Optional(CampaignOptionsSchema),
  schedule: Type.Optional(nullableString({ maxLength: 120 })),
});
export type CampaignCreate = Static<typeof CampaignCreateSchema>;

type CampaignStatus = 'active' | 'cancelled';
/**
 * queued: waiting (first attempt or a retry after its backoff); running: held by a worker under a
 * lease; done: its result is stored; failed: the last attempt failed and a retry waits for its
 * backoff; dead: gave up (dead letter) — lastError says why; cancelled: its campaign was cancelled
 * before a worker took it.
 */
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'dead' | 'cancelled';

/** Jobs of a run by state; `retried` counts jobs that needed more than one attempt (any state). */
export interface RunCounts {
  total: number;
  queued: number;
  running: number;
  done: number;
  failed: number;
  dead: number;
  cancelled: number;
  retried: number;
}

export interface Campaign {
  id: string;
  name: string;
  /** Agency the results are stored as reports of (null: each inventory target's own agency). */
  agency: string | null;
  targetCount: number;
  /** `targets` when the campaign was created from a list, `inventory` from an inventory. */
  source: 'targets' | 'inventory';
  options: CampaignOptions;
  schedule: string | null;
  /** Next scheduled run (ISO), null without a schedule or once cancelled. */
  nextRunAt: string | null;
  status: CampaignStatus;
  /** The id of the token that created it. */
  createdBy: string;
  createdAt: string;
  cancelledAt: string | null;
}

export interface CampaignRun {
  id: string;
  campaignId: string;
  /** When the run was queued (its cron time for a scheduled run). */
  startedAt: string;
  /** When its last job reached done, dead or cancelled; null while any is queued, running or failed. */
  finishedAt: string | null;
  counts: RunCounts;
}

/** A job that failed at least once (dead ones first), with the reason of its last failure. */
export interface JobFailure {
  jobId: string;
  runId: string;
  target: string;
  state: JobState;
  attempts: number;
  reason: string;
}

/** GET /api/v1/campaigns items: the campaign and its latest run. */
export interface CampaignRow extends Campaign {
  latestRun: CampaignRun | null;
}

/** GET /api/v1/campaigns/:id (and the 201 answer of create, with `run` the first run when there is one). */
export interface CampaignDetail {
  campaign: Campaign;
  /** Newest first (at most 50). */
  runs: CampaignRun[];
  /** Of every run shown, at most 500. */
  failures: JobFailure[];
  /** Batch ids stored by the campaign's done jobs in the newest run (at most 1000): its reports. */
  batches: string[];
}

/** POST /api/v1/campaigns 201 answer. */
export interface CampaignCreated {
  campaign: Campaign;
  /** The run queued now; null for a scheduled campaign (its first run comes at nextRunAt). */
  run: CampaignRun | null;
}

/** POST /api/v1/campaigns/:id/cancel answer: the campaign and how many queued jobs were cancelled. */
export interface CampaignCancelled {
  campaign: Campaign;
  cancelledJobs: number;
}

// ---- worker side -------------------------------------------------------------------------------

/** POST /api/v1/worker/jobs/claim body: `worker` names the process (shown on the dashboard). */
export const ClaimRequestSchema = closed({
  worker: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._:@-]*$' }),
  max: Type.Integer({ minimum: 1, maximum: MAX_CLAIM }),
});
export type ClaimRequest = Static<typeof ClaimRequestSchema>;

/** The inventory system a job's target belongs to (inventory campaigns). */
export interface JobSystem {
  id: string;
  name?: string;
  level?: number;
  domain?: string;
  kind?: string;
  legalBasis?: string;
}

export interface ClaimedJob {
  /** `${runId}:${index}`. */
  id: string;
  campaignId: string;
  runId: string;
  target: string;
  /** The agency the report is stored for; the worker sets the report's run.agency to it. */
  agency: string;
  system: JobSystem | null;
  options: CampaignOptions;
  /** 1 on the first attempt; fail and heartbeat must quote it (a stale attempt is ignored). */
  attempt: number;
  /**
   * The job returns to the queue this many seconds after the claim unless a result, a failure or
   * a heartbeat comes first; heartbeat at about a third of it while a scan runs long.
   */
  leaseSeconds: number;
}

/** POST /api/v1/worker/jobs/claim answer: empty when nothing is due (poll again later). */
export interface ClaimResponse {
  jobs: ClaimedJob[];
}

/**
 * POST /api/v1/worker/jobs/:id/result body: the Report exactly as `govscan scan` builds it. The
 * server stores it once as a batch of the job's agency (batch id derived from the job id), so a
 * resubmission, or a late result of an attempt that expired, is answered `duplicate`.
 */
export const JobResultSchema = closed({
  attempt: Type.Integer({ minimum: 1 }),
  /** Checked as an agent's batch report is: the report schema within the sizes the server stores. */
  report: Type.Unsafe<Report>({ allOf: [ReportSchema, REPORT_BOUNDS] }),
});
export type JobResult = Static<typeof JobResultSchema>;

/** Result answer: 201 stored, 200 duplicate. */
export interface JobResultAck {
  jobId: string;
  batchId: string;
  status: 'stored' | 'duplicate';
}

/**
 * POST /api/v1/worker/jobs/:id/fail body. retryable=false (the target is not a valid target, say)
 * goes dead at once; otherwise the job is retried with backoff until its attempts run out.
 */
export const JobFailSchema = closed({
  attempt: Type.Integer({ minimum: 1 }),
  reason: Type.String({ minLength: 1, maxLength: 2000 }),
  retryable: Type.Boolean(),
});
export type JobFail = Static<typeof JobFailSchema>;

/** Fail answer: what became of the job (`ignored`: the attempt was stale, the job moved on). */
export interface JobFailAck {
  jobId: string;
  state: 'failed' | 'dead' | 'ignored';
  /** When the retry becomes claimable (state failed). */
  retryAt: string | null;
}

/** POST /api/v1/worker/jobs/:id/heartbeat body and answer: the lease is extended by leaseSeconds. */
export const JobHeartbeatSchema = closed({ attempt: Type.Integer({ minimum: 1 }) });
export type JobHeartbeat = Static<typeof JobHeartbeatSchema>;
export interface JobHeartbeatAck {
  jobId: string;
  /** false: the attempt is no longer the job's current one (expired, cancelled, done): stop and drop it. */
  held: boolean;
  leaseUntil: string | null;
}

/**
 * Every non-2xx answer of the campaign routes is an ApiError; those a person acts on (a bad cron
 * expression, an unknown agency, a campaign already cancelled) also carry the message in both languages.
 */
export interface CampaignApiError extends ApiError {
  localized?: { en: string; vi: string };
}
