// The contract between pipeline stages: targets → probes (attempts with facts) → findings → report.
// Every stage depends on these shapes only, so each can be tested on recorded data.

import type { Socket } from 'node:net';
import type { X509Certificate } from 'node:crypto';
import type { Static } from 'typebox';
import type * as S from './report-schema.js';

export type Lang = 'en' | 'vi';
// The report's shapes (Localized … Report) are defined once in report-schema.ts, with their JSON Schema.
export { SEVERITIES } from './report-schema.js';
/** A user-facing text in both languages; reporters pick one at write time. */
export type Localized = Static<typeof S.LocalizedSchema>;
export type Severity = Static<typeof S.SeveritySchema>;
/** Where a target was declared, so SARIF can point at the inventory line. */
export type SourceLocation = Static<typeof S.SourceLocationSchema>;
export type SystemRef = Static<typeof S.SystemRefSchema>;
/** Which security-level regime (legal basis) judges a system, and why. */
export type SystemLegalBasis = Static<typeof S.SystemLegalBasisSchema>;
export type Target = Static<typeof S.TargetSchema>;
export type ErrorKind = Static<typeof S.ErrorKindSchema>;
/** One probe's outcome on one target, its facts typed as F. */
export type Attempt<F = unknown> = Omit<Static<typeof S.AttemptSchema>, 'facts'> & { facts?: F };

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
  /**
   * When that per-target deadline passes (Date.now() milliseconds); absent when none is known. A probe
   * that can end with part of its facts (the TLS enumeration) stops asking before it instead of losing all.
   */
  deadlineAt?: number;
  trust: TrustStores;
  userAgent: string;
  /** NS/MX/SOA lookups and the zone walk (IPv6 checks); absent in contexts built before they existed. */
  names?: NameResolver;
  /** UDP exchanges to probed servers (DNS over IPv6 to name servers). */
  datagrams?: DatagramSender;
  network?: NetworkEnvironment;
  /** The TLS family's settings (--tls-quick); absent: the full probe. */
  tls?: TlsProbeSettings;
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

export type Outcome = Static<typeof S.OutcomeSchema>;
export type Finding = Static<typeof S.FindingSchema>;
/** One entry of a waiver file, as loaded. */
export type Waiver = Static<typeof S.WaiverSchema>;
/** A waiver as the report lists it: once, with what it did in this run. */
export type ReportWaiver = Static<typeof S.ReportWaiverSchema>;
/** A pack parameter a run changed, echoed in the report. */
export type ReportParam = Static<typeof S.ReportParamSchema>;
export type PolicyRef = Static<typeof S.PolicyRefSchema>;
/** Rule metadata reporters need (SARIF tool.driver.rules), independent of any result. */
export type RuleDescriptor = Static<typeof S.RuleDescriptorSchema>;
export type ReportSummary = Static<typeof S.ReportSummarySchema>;
export type Report = Static<typeof S.ReportSchema>;

// ── Name resolution beyond A/AAAA and the network environment (IPv6 readiness checks) ──────────────

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

/** What the TLS family's flags ask of its probe (checks/tls/options.ts). */
export interface TlsProbeSettings {
  /** --tls-quick: the four version probes and the main handshake only, no enumeration of suites and groups. */
  quick: boolean;
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

/** The groups of the IPv6 score; a rule names its own in its pack (`category`). */
export type Ipv6Category = Static<typeof S.Ipv6CategorySchema>;

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
