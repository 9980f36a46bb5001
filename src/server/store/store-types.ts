// What the server needs from a database (SQLite or PostgreSQL behind one kysely implementation).

import type { Report, Severity } from '../../core/types.js';
import type { Batch } from '../../contract/agent-api.js';
import type {
  AgencyRow,
  AgentRow,
  CertificateRow,
  FindingQuery,
  FindingRow,
  FleetOverview,
  HistoryPoint,
  Ipv6AgencyRow,
  Page,
  SeverityTrendPoint,
  SystemRow,
  TrendPoint,
} from '../../contract/read-api.js';
import type { Role } from '../principal.js';

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
  ruleFailures(
    agency?: string,
  ): Promise<{ ruleId: string; policyId: string; severity: Severity; agencies: number; systems: number; findings: number }[]>;
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
