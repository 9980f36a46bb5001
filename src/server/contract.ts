// The contract between govscan-agent, govscan server (API, storage, dashboard) and `govscan fleet`.
// Every part codes against these shapes only; the wire shapes are also JSON Schemas under
// src/server/schemas/ (the API validates bodies with them).

import type { Outcome, Report, Severity } from '../engine/types.js';

// ── Wire: what an agent sends ───────────────────────────────────────────────────────────────────

/** POST /api/v1/enroll body. The secret is one-time: it is spent by the first successful enrolment. */
export interface EnrollRequest {
  secret: string;
  /** The agent host's name, shown on the dashboard. */
  hostname: string;
  agentVersion: string;
}

/** POST /api/v1/enroll 201 answer. `token` is shown once; the server keeps only its hash. */
export interface EnrollResponse {
  agentId: string;
  agency: string;
  token: string;
}

/**
 * One agent run: written to the agent's spool before upload, sent as the body of POST /api/v1/batches.
 * `report` is the engine's full JSON report (every finding, passes included, attempts with facts), so
 * the server can keep history per rule and show the evidence behind each failure.
 */
export interface Batch {
  schemaVersion: 1;
  /** UUID v4 chosen by the agent when the run starts; the idempotency key. */
  batchId: string;
  agentId: string;
  /** Agency id the agent was enrolled for; must match the token's agency (else 403). */
  agency: string;
  /** When the run finished (ISO 8601). */
  createdAt: string;
  agent: { version: string; hostname: string; intervalSeconds: number };
  report: Report;
}

/** POST /api/v1/batches answer: 201 stored now, 200 already stored earlier (a repeat upload). */
export interface BatchAck {
  batchId: string;
  status: 'stored' | 'duplicate';
}

/** Every non-2xx answer. `error` is a stable code; `message` says nothing an attacker could use. */
export interface ApiError {
  error: 'bad-request' | 'unauthorized' | 'forbidden' | 'not-found' | 'payload-too-large' | 'conflict' | 'too-many-requests' | 'internal';
  message: string;
}

// ── Access ──────────────────────────────────────────────────────────────────────────────────────

export type Role = 'agent' | 'viewer' | 'admin';

/**
 * Bearer tokens are `gs<role letter>_<id>.<secret>` (gsa_ agent, gsv_ viewer, gsm_ admin); the server
 * stores sha256(secret) by id and compares in constant time.
 */
export interface Principal {
  role: Role;
  tokenId: string;
  /**
   * For agents: the only agency they may write, and nothing they may read. For viewers: when set,
   * the only agency they may read (an agency's own IT); unset, every agency.
   */
  agency?: string;
  agentId?: string;
}

// ── Read API (viewer/admin) ─────────────────────────────────────────────────────────────────────

export interface AgencyRow {
  id: string;
  name: string;
  agents: number;
  /** Systems seen in the latest batch of each agent. */
  systems: number;
  lastSeenAt: string | null;
  /** Latest state, over the latest batch of each of the agency's agents. */
  counts: Record<Outcome, number>;
  failedBySeverity: Record<Severity, number>;
  /**
   * passed / (passed + failed) over the latest state of the agents reporting on time (stale agents'
   * results are kept out); null when nothing was judged.
   */
  passRate: number | null;
  /** Agents of this agency not reporting on time (present when the read knows the time). */
  staleAgents?: number;
  /** The pass and fail counts `passRate` is made of (reporting agents only). */
  rateCounts?: { pass: number; fail: number };
}

export interface AgentRow {
  id: string;
  agency: string;
  hostname: string;
  version: string;
  intervalSeconds: number;
  enrolledAt: string;
  lastSeenAt: string | null;
  /** Not seen for more than `staleAfterIntervals` × its interval (GET ?staleAfter=N, default 3). */
  stale: boolean;
}

export interface SystemRow {
  agency: string;
  /** Inventory system id; targets outside any system are grouped under '' (shown as "unassigned"). */
  id: string;
  name: string | null;
  level: number | null;
  targets: number;
  counts: Record<Outcome, number>;
  failedBySeverity: Record<Severity, number>;
  lastScannedAt: string;
}

/** One finding of the latest state (or of a given batch), with the facts that decided it. */
export interface FindingRow {
  agency: string;
  system: string;
  batchId: string;
  scannedAt: string;
  ruleId: string;
  policyId: string;
  check: string;
  target: string;
  outcome: Outcome;
  severity: Severity;
  title: { en: string; vi: string };
  message: { en: string; vi: string };
  remediation: { en: string; vi: string } | null;
  references: string[];
  evidence: Record<string, unknown>;
  fingerprint: string;
  /** When this rule started failing on this target without a pass since (failed findings only). */
  firstFailedAt?: string | null;
}

/** GET /api/v1/findings query (all optional; `outcome` defaults to fail). */
export interface FindingQuery {
  agency?: string;
  system?: string;
  rule?: string;
  policy?: string;
  target?: string;
  outcome?: Outcome | 'all';
  severity?: Severity;
  /** A check id or its family (`tls` matches `tls.endpoint`). */
  check?: string;
  /** Case-insensitive text in the rule id, target, system or agency. */
  q?: string;
  /** Only failures that started at or after this time (ISO 8601 date or timestamp). */
  since?: string;
  /** Default `scanned` (newest first); `severity` = most severe first, then oldest failure. */
  sort?: FindingSort;
  /** At most 1000 per page. */
  limit?: number;
  offset?: number;
}

export type FindingSort = 'scanned' | 'severity' | 'first-failed' | 'newest-failure' | 'rule' | 'agency';

/** GET /api/v1/rules — the rule reference (built-in packs) with how much of the fleet fails each rule. */
export interface RuleRow {
  id: string;
  policyId: string;
  check: string;
  severity: Severity;
  title: { en: string; vi: string };
  description: { en: string; vi: string };
  remediation: { en: string; vi: string };
  references: string[];
  /** Open failures in the latest state. */
  failing: { agencies: number; systems: number; findings: number };
}

/** GET /api/v1/trend/severity?agency=&days= — open failures by severity per UTC day, with new and fixed. */
export interface SeverityTrendPoint {
  day: string;
  open: Record<Severity, number>;
  /** Rule × target pairs that started failing that day. */
  opened: number;
  /** Rule × target pairs that passed that day after failing. */
  fixed: number;
}

/** GET /api/v1/history?agency=&system=&rule= — one point per stored batch, oldest first. */
export interface HistoryPoint {
  batchId: string;
  scannedAt: string;
  agency: string;
  system: string;
  ruleId: string;
  target: string;
  outcome: Outcome;
}

/** GET /api/v1/trend?agency=&days= — per day (UTC), the last batch of each agent that day. */
export interface TrendPoint {
  day: string;
  agency: string;
  passed: number;
  failed: number;
  passRate: number | null;
}

/** GET /api/v1/overview — the fleet at a glance (the dashboard's first screen, `fleet status`). */
export interface FleetOverview {
  generatedAt: string;
  agencies: AgencyRow[];
  agents: AgentRow[];
  /** Pass rate per policy pack over the latest state of every agency. */
  policies: { policyId: string; passed: number; failed: number; passRate: number | null }[];
  totals: { agencies: number; agents: number; staleAgents: number; batches: number; failed: number };
}

/** GET /api/v1/certificates?days=30 — certificates (served on endpoints or files on agent hosts) expiring soon. */
export interface CertificateRow {
  agency: string;
  system: string;
  /** Endpoint target key or `file:<path>@<hostname>`. */
  where: string;
  subject: string;
  issuer: string | null;
  notAfter: string;
  daysLeft: number;
  source: 'endpoint' | 'file';
}

/** GET /api/v1/ipv6 — IPv6 readiness per agency from the latest batches' per-domain scores. */
export interface Ipv6AgencyRow {
  agency: string;
  /** Mean of the domains' scores (0–100), null when none was scored. */
  score: number | null;
  domains: { domain: string; score: number | null; failedRules: string[] }[];
}

/** List answers are wrapped so pages can grow without breaking clients. */
export interface Page<T> {
  items: T[];
  total: number;
}

// ── Storage ─────────────────────────────────────────────────────────────────────────────────────

export interface StoredToken {
  id: string;
  role: Role;
  /** Hex sha256 of the secret part. */
  secretHash: string;
  agency: string | null;
  agentId: string | null;
  createdAt: string;
  /** Who the token is for (viewer/admin tokens; agents' are named by their host). */
  name?: string | null;
}

/** A token as `govscan server token list` shows it: never its hash. */
export type TokenInfo = Omit<StoredToken, 'secretHash'>;

export interface IngestResult {
  /** `conflict`: the batch id is already stored for another agent or agency (the API answers 409). */
  status: 'stored' | 'duplicate' | 'conflict';
}

/**
 * What the server needs from a database. One implementation over kysely serves SQLite and
 * PostgreSQL with the same migrations. Every method is safe to call from many requests at once;
 * `ingest` is atomic: a batch is stored whole, once, or not at all.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  migrate(): Promise<void>;
  close(): Promise<void>;

  // access
  createAgency(id: string, name: string): Promise<void>;
  getAgency(id: string): Promise<{ id: string; name: string } | null>;
  createEnrollment(agency: string, secretHash: string, expiresAt: string): Promise<string>;
  /** Marks the enrolment used and creates the agent and its token in one transaction; null when unknown, used or expired. */
  redeemEnrollment(
    secretHash: string,
    agent: { hostname: string; version: string },
    token: { id: string; secretHash: string },
    now: string,
  ): Promise<{ agentId: string; agency: string } | null>;
  createToken(token: Omit<StoredToken, 'createdAt'>): Promise<void>;
  getToken(id: string): Promise<StoredToken | null>;
  listTokens(): Promise<TokenInfo[]>;
  /** Deletes the token: false when there is none with this id. Agents keep their history. */
  revokeToken(id: string): Promise<boolean>;

  // ingest
  /**
   * `raw` (optional): the request body `batch` was parsed from. The store keeps the batch as JSON;
   * given the bytes, it stores them instead of serialising the batch again on the event loop.
   */
  ingest(batch: Batch, receivedAt: string, raw?: Uint8Array): Promise<IngestResult>;

  // reads
  /** `agency`: the overview of that agency alone (agency-scoped viewers). */
  overview(now: string, staleAfterIntervals: number, agency?: string): Promise<FleetOverview>;
  /** `agency`: that agency alone (agency-scoped viewers). With `now`, stale agents' results are kept out of each pass rate (see AgencyRow). */
  listAgencies(agency?: string, now?: string, staleAfterIntervals?: number): Promise<AgencyRow[]>;
  listAgents(now: string, staleAfterIntervals: number, agency?: string): Promise<AgentRow[]>;
  listSystems(agency?: string): Promise<SystemRow[]>;
  listFindings(q: FindingQuery): Promise<Page<FindingRow>>;
  history(q: { agency?: string; system?: string; rule?: string; target?: string; limit?: number }): Promise<HistoryPoint[]>;
  trend(q: { agency?: string; days: number; now: string }): Promise<TrendPoint[]>;
  severityTrend(q: { agency?: string; days: number; now: string }): Promise<SeverityTrendPoint[]>;
  /** Open failures of the latest state per rule (rules no agency fails are left out). */
  ruleFailures(agency?: string): Promise<{ ruleId: string; policyId: string; severity: Severity; agencies: number; systems: number; findings: number }[]>;
  certificates(q: { agency?: string; days: number; now: string }): Promise<CertificateRow[]>;
  ipv6(agency?: string): Promise<Ipv6AgencyRow[]>;
  /** The latest report of each of the agency's agents (for SARIF/JSON exports, merged by src/report/merge.ts). */
  latestReports(agency: string): Promise<Report[]>;
  /** Counters for /metrics. */
  stats(): Promise<{ agencies: number; agents: number; batches: number; findings: number }>;

  // retention
  /** Deletes reports dated before `olderThan` (ISO), keeping each agent's latest and each agency's newest per target. */
  pruneReports(olderThan: string): Promise<{ reports: number }>;
}

// ── Facts the server reads from attempts (for the certificate view) ─────────────────────────────

/** `tls.endpoint` attempts: facts.leaf (src/pki/types.ts CertificateFacts: subject, issuer, notAfter). */
export const TLS_CHECK = 'tls.endpoint';

/**
 * The agent's local host check (`host.local`, checks/host/): the part of its facts the server reads.
 * Its target is `local://<hostname>` (kind 'local'), one per agent run.
 */
export const HOST_CHECK = 'host.local';
export interface HostCertificateFileFact {
  path: string;
  status: 'ok' | 'missing' | 'unreadable' | 'not-a-certificate';
  subject: string | null;
  issuer: string | null;
  notAfter: string | null;
  daysToExpiry: number | null;
}
export interface HostFactsForServer {
  hostname: string;
  certificateFiles: HostCertificateFileFact[];
}
