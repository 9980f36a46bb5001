// The tables as kysely sees them. Dates are ISO 8601 UTC strings (TEXT) on both stores, so they sort
// lexically and identically; counts are integers; JSON columns are text.

import type { Generated } from 'kysely';

interface AgenciesTable {
  id: string;
  name: string;
  created_at: string;
}

interface EnrollmentsTable {
  id: string;
  agency: string;
  /** Hex sha256 of the one-time secret. */
  secret_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  agent_id: string | null;
}

interface AgentsTable {
  id: string;
  agency: string;
  hostname: string;
  version: string;
  /** 0 until the first batch says how often the agent runs. */
  interval_seconds: number;
  enrolled_at: string;
  last_seen_at: string | null;
}

interface TokensTable {
  id: string;
  role: string;
  secret_hash: string;
  agency: string | null;
  agent_id: string | null;
  created_at: string;
  /** 0002_token_names */
  name: string | null;
}

export interface BatchesTable {
  /** Surrogate key the child rows point at (smaller than the UUID, and ascending). */
  id: Generated<number>;
  /** The agent's UUID: unique, the idempotency key. */
  batch_id: string;
  agency: string;
  agent_id: string;
  created_at: string;
  received_at: string;
  findings: number;
  n_pass: number;
  n_fail: number;
  n_not_applicable: number;
  n_not_tested: number;
  n_waived: number;
  f_critical: number;
  f_high: number;
  f_medium: number;
  f_low: number;
  f_info: number;
}

/**
 * The whole Batch as the agent sent it (JSON): exports send its report, and the findings API reads
 * each finding's texts and evidence from it. Kept apart from `batches` so scans of the counts never
 * touch it.
 */
interface ReportsTable {
  batch_ref: number;
  /** `br`: brotli-compressed JSON (files and PostgreSQL); `json`: as sent (SQLite in memory). */
  encoding: string;
  body: Uint8Array;
}

/** The newest batch (by created_at, then batch id) of each agent: "the latest state". */
interface LatestBatchesTable {
  agent_id: string;
  agency: string;
  batch_ref: number;
  batch_id: string;
  created_at: string;
}

/**
 * One row per finding (passes included), with what the read API filters, counts and charts by. The
 * texts and evidence stay in the report (`reports`, row `seq` of report.findings): stored once,
 * compressed, instead of a second time here, which halves what each batch writes.
 */
export interface FindingsTable {
  batch_ref: number;
  /** Index in report.findings. */
  seq: number;
  agency: string;
  /** Inventory system id of the finding's target; '' when the target is in no system. */
  system: string;
  target: string;
  rule_id: string;
  policy_id: string;
  check_id: string;
  outcome: string;
  severity: string;
  fingerprint: string;
  /** The batch's created_at. */
  scanned_at: string;
}

export interface TargetsTable {
  batch_ref: number;
  seq: number;
  agency: string;
  system: string;
  system_name: string | null;
  system_level: number | null;
  target: string;
}

export interface CertificatesTable {
  batch_ref: number;
  seq: number;
  agency: string;
  system: string;
  /** Endpoint target key, or `file:<path>@<hostname>`. */
  location: string;
  subject: string;
  issuer: string | null;
  not_after: string;
  source: string;
}

export interface Ipv6ScoresTable {
  batch_ref: number;
  seq: number;
  agency: string;
  domain: string;
  score: number | null;
  /** JSON array of rule ids. */
  failed_rules: string;
}

/** 0003_campaigns: see migrations.ts. */
export interface CampaignsTable {
  id: string;
  name: string;
  agency: string | null;
  source: string;
  /** JSON CampaignTarget[]. */
  targets: string;
  target_count: number;
  /** JSON CampaignOptions. */
  options: string;
  schedule: string | null;
  next_run_at: string | null;
  status: string;
  created_by: string;
  created_at: string;
  cancelled_at: string | null;
}

interface CampaignRunsTable {
  id: string;
  campaign_id: string;
  started_at: string;
  finished_at: string | null;
}

export interface CampaignJobsTable {
  /** `${run_id}:${seq}`. */
  id: string;
  run_id: string;
  campaign_id: string;
  seq: number;
  target: string;
  address: string;
  agency: string;
  /** JSON JobSystem or null. */
  system: string | null;
  state: string;
  attempts: number;
  /** When a queued or failed job may be claimed (backoff). */
  available_at: string;
  /** When a running job's lease ends (it returns to the queue). */
  lease_until: string | null;
  worker: string | null;
  last_error: string | null;
  batch_id: string | null;
  /** pg-boss: the job's id in its queue. */
  queue_ref: string | null;
  updated_at: string;
}

export interface DB {
  agencies: AgenciesTable;
  enrollments: EnrollmentsTable;
  agents: AgentsTable;
  tokens: TokensTable;
  batches: BatchesTable;
  reports: ReportsTable;
  latest_batches: LatestBatchesTable;
  findings: FindingsTable;
  targets: TargetsTable;
  certificates: CertificatesTable;
  ipv6_scores: Ipv6ScoresTable;
  campaigns: CampaignsTable;
  campaign_runs: CampaignRunsTable;
  campaign_jobs: CampaignJobsTable;
}
