// The server's read API as its clients (the dashboard, `govscan fleet`) see it: rows, queries, pages.

import type { Outcome, Severity } from '../core/types.js';

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

type FindingSort = 'scanned' | 'severity' | 'first-failed' | 'newest-failure' | 'rule' | 'agency';

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
