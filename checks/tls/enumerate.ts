// The enumeration of one endpoint (issue 14): SSL 2.0 and 3.0 detection, the accepted suites of every
// TLS version the version probes found accepted, key-exchange groups, and what the ServerHellos of the
// scans say about renegotiation, compression and the extended master secret. Scans of different
// versions run side by side; inside one, each hello waits for the answer to the last. Every connection
// goes through the dialer (per-host limit) with ctx.timeoutMs and the abort signal, and is counted.
//
// Connections for a server accepting TLS 1.2 with k2 suites and TLS 1.3 with k3 (enum-suites.ts): 1
// (SSLv2) + 1 (SSLv3, refused) + k2 + 3 bundles + 1 order check + k3 + 1 + 1. Then the group scans
// (enum-groups.ts), once the suites are known: g3 + 1 for TLS 1.3's g3 groups, g2 + 1 for TLS 1.2's g2
// curves, 1 order check, and 1 DHE hello when a DHE suite was accepted. The README lists what that comes
// to on the lab beside sslscan (about twice as many) and nmap.

import type { CheckContext } from '../../src/core/types.js';
import { type HelloVersion } from './client-hello.js';
import { ServerHelloReader, type ServerAnswer } from './server-hello.js';
import { probeGroups, type AcceptedForGroups } from './enum-groups.js';
import { enumerateSuites, notScanned, type ServerHelloAnswer, type SuiteScan } from './enum-suites.js';
import { TLS_VERSIONS, type EnumerationFacts, type ProtocolProbe, type TlsVersion, type VersionSuites } from './facts.js';
import { exchangeHello, type AnswerReader, type ExchangeResult } from './hello-exchange.js';
import type { TlsEndpoint } from './probe-handshake.js';
import { buildSsl2ClientHello, Ssl2AnswerReader } from './ssl2-hello.js';

/** Byte cap on one answer: only the first handshake message is read. */
const MAX_ANSWER_BYTES = 65_536;

const EXT_EXTENDED_MASTER_SECRET = 0x0017;
const EXT_RENEGOTIATION_INFO = 0xff01;
const COMPRESSION_DEFLATE = 1;

/**
 * The connections of one endpoint's enumeration: counted, and stopped after the first one that could
 * not be settled (a timeout, a refused connect), so a server that stops answering costs one timeout
 * per scan running at that moment rather than one per remaining hello.
 */
class EnumSession {
  connections = 0;
  private stopped: string | null = null;
  private readonly signal: AbortSignal;
  private readonly deadlineTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: CheckContext,
    private readonly ep: TlsEndpoint,
    signal: AbortSignal,
  ) {
    // The target's deadline throws away every fact of the endpoint, not only the answer that was late:
    // hellos still open a margin before it end as errors, so the suites found so far are kept.
    const deadline = ctx.deadlineAt;
    if (deadline === undefined) {
      this.signal = signal;
      return;
    }
    const cutoff = new AbortController();
    this.deadlineTimer = setTimeout(
      () => cutoff.abort(new Error(`the target's deadline (--target-timeout) came before an answer`)),
      Math.max(0, deadline - deadlineMargin(ctx) - Date.now()),
    );
    this.deadlineTimer.unref();
    this.signal = AbortSignal.any([signal, cutoff.signal]);
  }

  async ask<T>(hello: Buffer, reader: AnswerReader<T>, what: string): Promise<ExchangeResult<T>> {
    const deadline = this.ctx.deadlineAt;
    if (this.stopped === null && deadline !== undefined && Date.now() + deadlineMargin(this.ctx) >= deadline) {
      this.stopped = `the target's deadline (--target-timeout) leaves no time for another connection`;
    }
    if (this.stopped !== null) return { kind: 'error', reason: `${what} not sent: ${this.stopped}` };
    this.connections++;
    const result = await exchangeHello(this.ctx, this.ep, hello, reader, what, this.signal);
    if (result.kind === 'error') this.stopped ??= `an earlier hello to this endpoint failed (${result.reason})`;
    return result;
  }

  /** Stops the deadline's timer once the enumeration is over. */
  close(): void {
    clearTimeout(this.deadlineTimer);
  }

  askHello = (hello: Buffer, what: string): Promise<ExchangeResult<ServerAnswer>> =>
    this.ask(hello, new ServerHelloReader(MAX_ANSWER_BYTES), what);
}

/** Time kept before the target's deadline for what follows the last hello (facts, other sub-probes). */
function deadlineMargin(ctx: CheckContext): number {
  return Math.min(1_000, ctx.timeoutMs);
}

/**
 * Enumerates the endpoint. `protocols` are the version probes' results: only versions they found
 * accepted are scanned. Never throws; what could not be found is an 'error' part with its reason.
 */
export async function enumerateEndpoint(
  ctx: CheckContext,
  ep: TlsEndpoint,
  protocols: Readonly<Record<TlsVersion, ProtocolProbe>>,
  signal: AbortSignal,
): Promise<EnumerationFacts> {
  const session = new EnumSession(ctx, ep, signal);
  const scanVersion = (v: HelloVersion): Promise<SuiteScan> => enumerateSuites(v, ep.servername, session.askHello, v !== 'SSLv3');

  const tlsScans = TLS_VERSIONS.map(async (v): Promise<[TlsVersion, SuiteScan | VersionSuites]> => {
    const probe = protocols[v];
    if (probe.status !== 'ok') return [v, notScanned('error', `whether ${v} is accepted is not known: ${probe.reason ?? 'probe failed'}`)];
    if (!probe.accepted) return [v, notScanned('not-applicable', `${v} is not accepted`)];
    return [v, await scanVersion(v)];
  });
  const [ssl2, ssl3Scan, ...scanned] = await Promise.all([probeSsl2(session), scanVersion('SSLv3'), ...tlsScans]);

  const versions = {} as Record<TlsVersion, VersionSuites>;
  const hellos = {} as Record<TlsVersion, ServerHelloAnswer[]>;
  for (const [v, result] of scanned) {
    versions[v] = 'facts' in result ? result.facts : result;
    hellos[v] = 'facts' in result ? result.hellos : [];
  }
  const ssl3 = ssl3Facts(ssl3Scan);
  const legacy = legacyHellos(versions, hellos);
  // After the suites: the group scans offer exactly the ECDHE and DHE suites TLS 1.2 accepted.
  const groups = await probeGroups(ep, groupsQuestion(protocols, versions), (hello, reader, what) => session.ask(hello, reader, what));
  session.close();

  const tried = [ssl2, ssl3, ...Object.values(versions)].filter((p) => p.status !== 'not-applicable');
  const nothing = tried.length > 0 && tried.every((p) => p.status === 'error');
  return {
    status: nothing ? 'error' : 'ok',
    ...(nothing ? { reason: tried[0]?.reason ?? 'nothing could be enumerated' } : {}),
    connections: session.connections,
    ssl2,
    ssl3,
    versions,
    ...groups,
    renegotiation: {
      ...fromLegacy(legacy),
      secure: legacy.kind === 'hellos' ? legacy.hellos.some((h) => h.extensions.includes(EXT_RENEGOTIATION_INFO)) : null,
    },
    compression: {
      ...fromLegacy(legacy),
      accepted: legacy.kind === 'hellos' ? legacy.hellos.some((h) => h.compression === COMPRESSION_DEFLATE) : null,
    },
    extendedMasterSecret: {
      ...fromLegacy(legacy),
      supported: legacy.kind === 'hellos' ? legacy.hellos.some((h) => h.extensions.includes(EXT_EXTENDED_MASTER_SECRET)) : null,
    },
  };
}

/** The versions the probes found accepted and TLS 1.2's accepted suites by key exchange. */
function groupsQuestion(
  protocols: Readonly<Record<TlsVersion, ProtocolProbe>>,
  versions: Record<TlsVersion, VersionSuites>,
): AcceptedForGroups {
  const v12 = versions['TLSv1.2'];
  return {
    versions: TLS_VERSIONS.filter((v) => protocols[v].status === 'ok' && protocols[v].accepted),
    // A scan that failed part-way still lists suites the server accepted.
    dheSuites12: v12.suites.filter((s) => s.kex === 'DHE').map((s) => s.code),
    ecdheSuites12: v12.suites.filter((s) => s.kex === 'ECDHE').map((s) => s.code),
    suites12Error: v12.status === 'error' ? (v12.reason ?? 'the TLS 1.2 suites could not be enumerated') : null,
  };
}

/** SSL 2.0: one v2 CLIENT-HELLO. */
async function probeSsl2(session: EnumSession): Promise<EnumerationFacts['ssl2']> {
  const result = await session.ask(buildSsl2ClientHello(), new Ssl2AnswerReader(), 'SSLv2 CLIENT-HELLO');
  switch (result.kind) {
    case 'error':
      return { status: 'error', reason: result.reason };
    case 'closed':
      return { status: 'ok', accepted: false, reason: 'server closed the connection in answer to the SSLv2 CLIENT-HELLO' };
    case 'reset':
      return { status: 'ok', accepted: false, reason: `server reset the connection in answer to the SSLv2 CLIENT-HELLO (${result.code})` };
  }
  const a = result.answer;
  if (a.kind === 'ssl2') return { status: 'ok', accepted: true };
  if (a.kind === 'refused') return { status: 'ok', accepted: false, reason: `server answered the SSLv2 CLIENT-HELLO with ${a.detail}` };
  return { status: 'error', reason: `not TLS: the server answered the SSLv2 CLIENT-HELLO with ${a.detail}` };
}

function ssl3Facts(scan: SuiteScan): EnumerationFacts['ssl3'] {
  const { status, reason, suites } = scan.facts;
  if (suites.length > 0) return { status: 'ok', accepted: true, suites, ...(status === 'error' && reason ? { reason } : {}) };
  if (status === 'error') return { status: 'error', ...(reason ? { reason } : {}) };
  return { status: 'ok', accepted: false, reason: reason ?? 'server accepted no suite in an SSL 3.0 ClientHello' };
}

/** The ServerHellos of the highest version below 1.3 the server accepts, or why there are none. */
type LegacyHellos = { kind: 'hellos'; hellos: ServerHelloAnswer[] } | { kind: 'none'; status: 'error' | 'not-applicable'; reason: string };

function legacyHellos(versions: Record<TlsVersion, VersionSuites>, hellos: Record<TlsVersion, ServerHelloAnswer[]>): LegacyHellos {
  for (const v of ['TLSv1.2', 'TLSv1.1', 'TLSv1'] as const) {
    const h = hellos[v];
    if (h.length > 0) return { kind: 'hellos', hellos: h };
    if (versions[v].status === 'error') return { kind: 'none', status: 'error', reason: versions[v].reason ?? `${v} scan failed` };
  }
  return { kind: 'none', status: 'not-applicable', reason: 'the server accepts no TLS version below 1.3' };
}

/** The status part of renegotiation, compression and EMS: all three are read from the same ServerHellos. */
function fromLegacy(legacy: LegacyHellos): { status: 'ok' | 'error' | 'not-applicable'; reason?: string } {
  return legacy.kind === 'hellos' ? { status: 'ok' } : { status: legacy.status, reason: legacy.reason };
}

/** The enumeration under --tls-quick: every part not applicable, no connection. */
export async function quickEnumeration(): Promise<EnumerationFacts> {
  const skipped = { status: 'not-applicable', reason: '--tls-quick' } as const;
  const version: VersionSuites = { ...skipped, suites: [], serverPreference: null };
  return {
    ...skipped,
    connections: 0,
    ssl2: { ...skipped },
    ssl3: { ...skipped },
    versions: { TLSv1: { ...version }, 'TLSv1.1': { ...version }, 'TLSv1.2': { ...version }, 'TLSv1.3': { ...version } },
    groups: { ...skipped, supported: [], serverPreference: null },
    dh: { ...skipped, bits: null, group: null },
    pq: { ...skipped, hybrid: false, groups: [] },
    renegotiation: { ...skipped, secure: null },
    compression: { ...skipped, accepted: null },
    extendedMasterSecret: { ...skipped, supported: null },
  };
}
