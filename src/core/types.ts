// The contract between pipeline stages: targets → probes (attempts with facts) → findings → report.
// Every stage depends on these shapes only, so each can be tested on recorded data.

import type { Socket } from 'node:net';
import type { X509Certificate } from 'node:crypto';

export type Lang = 'en' | 'vi';
/** A user-facing text in both languages; reporters pick one at write time. */
export interface Localized {
  en: string;
  vi: string;
}

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Where a target was declared, so SARIF can point at the inventory line. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface SystemRef {
  id: string;
  name?: string;
  /** Approved security level (cấp độ), 1–5. */
  level?: number;
  domain?: string;
  /** What the system is (portal, online-public-service…): policies may weigh portals first. */
  kind?: string;
  /** Evidence manifest (security-level record and 4-layer evidence), relative to the inventory. */
  evidence?: string;
  /** `evidence` is already a path from the working directory (evidence verify FILE), not from the inventory. */
  evidenceResolved?: boolean;
  /** The security-level regime that judges the system in this run, and why (src/policy/legal-basis.ts). */
  legalBasis?: SystemLegalBasis;
}

/** Which security-level regime (legal basis) judges a system, and why. */
export interface SystemLegalBasis {
  /** Regime id, e.g. nd85-2016. */
  id: string;
  /** The policy pack that judges the system. */
  policy: string;
  chosenBy: 'flag' | 'inventory' | 'manifest' | 'policy' | 'dates';
  reason: Localized;
  /** The regime on the run's date; an ended one still judges (and fails SECLEVEL-REGIME-ENDED). */
  state: 'not-yet' | 'in-effect' | 'in-transition' | 'ended';
}

/** `local`: the host an agent runs on (`local://<hostname>`), probed from inside by the agent's host check. */
export type TargetKind = 'web' | 'host' | 'domain' | 'system' | 'local';

export interface Target {
  /** Canonical identity, e.g. `https://portal.example.gov.vn:443`; also the fingerprint input. */
  key: string;
  kind: TargetKind;
  /** What is spoken on top of TLS: https for web targets, tls for a bare host:port; dns for a domain. */
  /** `smtp`: mail that starts TLS with STARTTLS after the SMTP greeting. */
  scheme: 'https' | 'tls' | 'smtp' | 'dns' | 'evidence' | 'local';
  host: string;
  port: number;
  /** Path for the HTTP request of web targets (default `/`). */
  path: string;
  agency?: string;
  system?: SystemRef;
  source?: SourceLocation;
  /**
   * `--resolve` pins this host's addresses: checks that judge what DNS publishes (IPv6 readiness) do
   * not apply, since the scan deliberately ignores DNS for it.
   */
  addressPinned?: boolean;
}

export type AttemptStatus = 'ok' | 'error' | 'not-applicable';
export type ErrorKind = 'timeout' | 'connectivity' | 'dns' | 'protocol' | 'tool-missing' | 'internal';

/** One probe's outcome on one target (sslyze calls this a scan-command attempt). */
export interface Attempt<F = unknown> {
  check: string;
  target: string;
  status: AttemptStatus;
  reason?: string;
  /** The reason in both languages, when the probe could say it in both (`reason` is its English text). */
  reasonText?: Localized;
  errorKind?: ErrorKind;
  facts?: F;
  startedAt: string;
  durationMs: number;
}

/** Thrown by a probe that could not gather its facts; the engine turns it into an error attempt. */
export class ProbeError extends Error {
  /** The reason in both languages when the probe gave it so; `message` is then its English text. */
  readonly text: Localized | undefined;
  constructor(
    readonly kind: ErrorKind,
    message: string | Localized,
  ) {
    super(typeof message === 'string' ? message : message.en);
    this.name = 'ProbeError';
    this.text = typeof message === 'string' ? undefined : message;
  }
}

/** Thrown by a probe when the target turns out not to be something it can judge. */
export class NotApplicableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotApplicableError';
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface Resolver {
  /** Addresses to connect to for host:port, honouring --resolve overrides first. */
  resolve(host: string, port: number, signal?: AbortSignal): Promise<ResolvedAddress[]>;
}

export interface DialOptions {
  address: string;
  port: number;
  /** Per-connection timeout for the TCP connect. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Opens TCP connections. Injectable so tests can record or refuse without touching the network. */
export interface Dialer {
  connect(opts: DialOptions): Promise<Socket>;
}

/** A set of trust anchors with where they came from. */
export interface AnchorSet {
  name: string;
  certificates: X509Certificate[];
}

export interface TrustStores {
  /** Node's default store: bundled roots plus NODE_EXTRA_CA_CERTS. */
  public: AnchorSet;
  /** Anchors from --ca-file, judged separately (e.g. Vietnam National Root CA); null when none given. */
  custom: AnchorSet | null;
}

export interface CheckContext {
  resolver: Resolver;
  dialer: Dialer;
  now(): Date;
  /** Per-connection timeout in milliseconds. */
  timeoutMs: number;
  /** Aborted when the per-target deadline passes or the run is cancelled. */
  signal: AbortSignal;
  trust: TrustStores;
  userAgent: string;
  /** NS/MX/SOA lookups and the zone walk (IPv6 checks); absent in contexts built before they existed. */
  names?: NameResolver;
  /** UDP exchanges to probed servers (DNS over IPv6 to name servers). */
  datagrams?: DatagramSender;
  network?: NetworkEnvironment;
  /** caIssuers downloads kept for the run (chain completion); absent: each endpoint downloads afresh. */
  issuers?: IssuerSource;
}

export interface Check<F = unknown> {
  id: string;
  family: string;
  title: Localized;
  description: Localized;
  appliesTo(target: Target): boolean;
  /** Gather facts; throw ProbeError / NotApplicableError instead of returning partial junk. */
  run(target: Target, ctx: CheckContext): Promise<F>;
  /** JSON Schema of F, published for policy authors and the server. */
  factsSchema: Record<string, unknown>;
}

export type Outcome = 'pass' | 'fail' | 'not-applicable' | 'not-tested' | 'waived';

export interface Finding {
  ruleId: string;
  policyId: string;
  policyVersion: string;
  check: string;
  /** Target key. */
  target: string;
  outcome: Outcome;
  /** Severity after security-level and conditional overrides. */
  severity: Severity;
  title: Localized;
  message: Localized;
  remediation?: Localized;
  references: string[];
  /** The facts that decided the outcome, by dotted path. */
  evidence: Record<string, unknown>;
  /** Stable hash of (rule id, target key): survives message and fact changes. */
  fingerprint: string;
  /** Why the rule was not tested or not applicable (English: stable for grouping and diffs). */
  reason?: string;
  /** The same reason in both languages, for what people read. */
  reasonText?: Localized;
  /**
   * The waiver that matched this finding: outcome `waived` while it holds, or `expired: true` on a
   * failed finding once it no longer does. Only a reference: the waiver is listed once in Report.waivers.
   */
  waiver?: FindingWaiver;
  /** Failed, but already in the --baseline report: shown, yet not counted toward --fail-on. */
  baselined?: boolean;
}

export interface FindingWaiver {
  /** `Report.waivers[].id` (the waiver's `file:line`). */
  id: string;
  /** Last day the waiver applies (UTC), YYYY-MM-DD. */
  expires: string;
  expired?: boolean;
}

/** One entry of a waiver file, as loaded. */
export interface Waiver {
  /** `file:line` of the entry: stable enough to cite, unique across files. */
  id: string;
  rule: string;
  /** Glob on the target key, host:port or host. */
  target: string;
  justification: string;
  approver: string;
  /** Last day the waiver applies (UTC), YYYY-MM-DD. */
  expires: string;
  source: SourceLocation;
}

/** A waiver as the report lists it: once, with what it did in this run. */
export interface ReportWaiver extends Waiver {
  /** Expired at the start of the run. */
  expired: boolean;
  /** Findings it waived in this run. */
  waived: number;
  /** Failed findings it would have waived had it not expired. */
  expiredMatches: number;
}

/** A pack parameter a run changed, echoed in the report. */
export interface ReportParam {
  policy: string;
  name: string;
  value: number | string | boolean;
  default: number | string | boolean;
  source: 'flag' | 'inventory';
  /** The default is known only from secondary sources. */
  secondary: boolean;
}

export interface PolicyRef {
  id: string;
  version: string;
  title: Localized;
  legalBasis: string[];
  effective: { from?: string; to?: string };
  source: string;
  /** Set on security-level regime packs. */
  regime?: { id: string; name: Localized; replaces?: string };
}

/** Rule metadata reporters need (SARIF tool.driver.rules), independent of any result. */
export interface RuleDescriptor {
  id: string;
  policyId: string;
  check: string;
  severity: Severity;
  title: Localized;
  description: Localized;
  remediation: Localized;
  references: string[];
  tags: string[];
}

export interface ReportSummary {
  targets: number;
  findings: Record<Outcome, number>;
  failedBySeverity: Record<Severity, number>;
  /** Failed findings already in the --baseline report (present only when a baseline was given). */
  baselined?: number;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'govscan'; version: string };
  run: {
    startedAt: string;
    finishedAt: string;
    scannerHost: string;
    /** The inventory file, when the scan used one (relative to the working directory). */
    inventory?: string;
    agency?: string;
    failOn: Severity | 'none';
    /** The --waivers file, when given. */
    waivers?: string;
    /** The --baseline report, when given. */
    baseline?: string;
    /**
     * Reports written before regimes were chosen per system: the one regime of the whole run. Each
     * system's regime is now on its target (`system.legalBasis`).
     */
    legalBasis?: { id: string; policy: string; chosenBy: 'flag' | 'inventory' | 'policy' | 'dates' };
    /** Pack parameters the run changed (--param, the inventory's params:). */
    params?: ReportParam[];
  };
  policies: PolicyRef[];
  rules: RuleDescriptor[];
  targets: Target[];
  attempts: Attempt[];
  findings: Finding[];
  summary: ReportSummary;
  /**
   * Per-domain IPv6 scores (src/report/ipv6-score.ts), computed while the scan runs from every
   * finding, since a lean report keeps passes only as counts. Absent when no IPv6 rule was judged.
   */
  ipv6Scores?: Ipv6DomainScoreData[];
  /** Every waiver of the --waivers file, once (findings refer to them by id). */
  waivers?: ReportWaiver[];
}

// ── Name resolution beyond A/AAAA and the network environment (IPv6 readiness checks) ──────────────

export type DnsRecordType = 'A' | 'AAAA' | 'NS' | 'MX' | 'SOA';

export interface MxRecord {
  preference: number;
  exchange: string;
}

/** What a lookup found: NXDOMAIN and NODATA are answers, not errors. */
export type DnsLookup<T> = { status: 'ok'; records: T[] } | { status: 'nxdomain' | 'nodata'; records: [] };

export interface ZoneNameServers {
  /** The closest enclosing name that has an NS set. */
  zone: string;
  nameServers: string[];
}

/** Lookups of single record types plus the zone walk. Throws ProbeError('dns') on timeouts and SERVFAIL. */
export interface NameResolver {
  addresses(name: string, family: 4 | 6): Promise<DnsLookup<string>>;
  nameServers(name: string): Promise<DnsLookup<string>>;
  mailExchangers(name: string): Promise<DnsLookup<MxRecord>>;
  /** Walk up the labels of `name` until a name with NS records is found. */
  zoneOf(name: string): Promise<ZoneNameServers>;
}

/** Sends one UDP datagram and waits for one reply. Injectable like the Dialer: tests record and refuse. */
export interface DatagramSender {
  exchange(opts: { address: string; port: number; payload: Buffer; timeoutMs: number; signal?: AbortSignal }): Promise<Buffer>;
}

/** Where the scanner stands on the network, decided without sending traffic. */
export interface NetworkEnvironment {
  /**
   * Lab mode (`--lab`): loopback answers (127.0.0.1, ::1) count as routable, the host counts as
   * IPv6-connected through ::1, and probes refuse every destination outside loopback.
   */
  lab: boolean;
  ipv6: { available: boolean; reason: string };
  /** `--port-map [HOST:]PORT=LOCAL`: the port probes really dial instead of a well-known one. */
  portMap: { host: string | null; port: number; local: number }[];
  /** Command (name or path) run for port scans. */
  nmap: string;
}

/** One domain's IPv6 score (the shape src/report/ipv6-score.ts computes). */
export interface Ipv6DomainScoreData {
  domain: string;
  targets: string[];
  score: number | null;
  categories: { category: 'web' | 'nameServers' | 'mail'; score: number | null; passed: number; failed: number; failedRules: string[] }[];
}

/**
 * A caIssuers download: the certificates found, or why not. `settled`: the site answered and does not
 * hold the issuer (retrying will not help); false when it could not be reached (DNS, connect, timeout),
 * which says nothing about the certificate.
 */
export type IssuerDownload = { ok: true; certificates: Buffer[] } | { ok: false; reason: string; settled: boolean };

/** Run-wide cache of issuer downloads (checks/tls/issuer-fetch.ts), shared by the targets of one run. */
export interface IssuerSource {
  fetch(url: string, ctx: Pick<CheckContext, 'resolver' | 'dialer' | 'timeoutMs' | 'signal' | 'userAgent'>): Promise<IssuerDownload>;
}
