// Which key-exchange groups a server accepts, how big its finite-field DH group is, and whether it
// does post-quantum hybrid key exchange (issue 14). All of it with hand-built hellos and no crypto on
// our side:
// - TLS 1.3: supported_groups lists every group we know and key_share is empty, so the server answers
//   with a HelloRetryRequest naming the group it wants (RFC 8446 §4.1.4). That group is removed and
//   the hello sent again until the server refuses: k+1 connections for k groups.
// - TLS <= 1.2: only ECDHE suites are offered, so the server must name its curve in the
//   ServerKeyExchange (RFC 8422 §5.4); remove it and repeat, likewise. One more hello with only DHE
//   suites brings the server's DH prime (RFC 5246 §7.4.3): its size and, when it is an RFC prime, its name.
// - Order: one hello offering the found groups reversed; the server's pick says whose order counts.
// The probe gathers facts only; the TLS pack judges them.

import { buildClientHello, VERSION_CODES } from './client-hello.js';
import { ServerHelloReader, alertName } from './server-hello.js';
import { suiteFacts } from './cipher-suites.js';
import { bitLength, knownDhGroup } from './dh-groups.js';
import type { EnumerationFacts, TlsVersion } from './facts.js';
import type { AskHello, ExchangeResult } from './hello-exchange.js';
import { groupName, NAMED_GROUPS, namedGroup } from './named-groups.js';
import type { TlsEndpoint } from './probe-handshake.js';
import { ServerFlightReader, type FlightAnswer, type FlightKex } from './server-flight.js';

/** The parts of the enumeration facts this probe fills (tls-facts.md). */
export type GroupsFacts = Pick<EnumerationFacts, 'groups' | 'dh' | 'pq'>;
type GroupFacts = GroupsFacts['groups']['supported'][number];

/** What the version probes and the suite enumeration found, which decides the hellos worth sending. */
export interface AcceptedForGroups {
  versions: TlsVersion[];
  /** TLS 1.2 suites the server accepted, by key exchange: the hellos offer exactly these. */
  dheSuites12: number[];
  ecdheSuites12: number[];
  /** Why the TLS 1.2 suite list may be short: then a kind of suite missing from it is unknown, not absent. */
  suites12Error?: string | null;
}

// A server that speaks TLS 1.0/1.1 but not 1.2 is asked with these: its curves and DH group matter most
// there. ECDHE-RSA/ECDSA with AES-CBC, 3DES and RC4; DHE-RSA/DSS with AES, Camellia and 3DES.
const ECDHE_PRE12 = [0xc013, 0xc014, 0xc009, 0xc00a, 0xc012, 0xc008, 0xc011, 0xc007];
const DHE_PRE12 = [0x0033, 0x0039, 0x0032, 0x0038, 0x0045, 0x0088, 0x0016, 0x0013];

const ALL_GROUPS = NAMED_GROUPS.map((g) => g.code);
/** TLS <= 1.2 negotiates curves in supported_groups; ffdhe codes there belong to DHE (RFC 7919), ML-KEM to TLS 1.3. */
const EC_GROUPS = NAMED_GROUPS.filter((g) => g.kind === 'ecdhe').map((g) => g.code);

/** One scan of a version's groups: what the server named, in order, and why it ended. */
interface GroupScan {
  version: TlsVersion;
  found: number[];
  /** Set when the scan could not finish: the list may be incomplete. */
  error?: string;
}

/**
 * Finds the endpoint's key-exchange groups, DH group and PQ hybrid support. Never throws. Every hello
 * goes through `ask` (the enumeration session: dialer, ctx.timeoutMs, abort signal, connection count).
 */
export async function probeGroups(ep: TlsEndpoint, accepted: AcceptedForGroups, ask: AskHello): Promise<GroupsFacts> {
  const legacy = legacyVersion(accepted.versions);
  const ecdheSuites = legacy === 'TLSv1.2' ? accepted.ecdheSuites12 : ECDHE_PRE12;
  const dheSuites = legacy === 'TLSv1.2' ? accepted.dheSuites12 : DHE_PRE12;

  const unknown = legacy === 'TLSv1.2' ? (accepted.suites12Error ?? null) : null;
  const [scan13, scan12, dh] = await Promise.all([
    accepted.versions.includes('TLSv1.3') ? scanTls13(ep, ask) : null,
    legacy && ecdheSuites.length > 0
      ? scanLegacy(ep, legacy, ecdheSuites, ask)
      : unknown
        ? { version: legacy!, found: [], error: `whether TLS 1.2 accepts ECDHE suites is not known: ${unknown}` }
        : null,
    legacy && dheSuites.length > 0
      ? probeDh(ep, legacy, dheSuites, ask)
      : unknown
        ? { status: 'error' as const, reason: `whether TLS 1.2 accepts DHE suites is not known: ${unknown}`, bits: null, group: null }
        : null,
  ]);
  const serverPreference = await preference(ep, scan13, scan12, ecdheSuites, ask);
  return {
    groups: groupsFacts(scan13, scan12, serverPreference),
    dh: dh ?? { status: 'not-applicable', reason: 'the server accepts no DHE suite', bits: null, group: null },
    pq: pqFacts(scan13),
  };
}

/** The highest version below 1.3 the server accepts, or null. */
function legacyVersion(versions: readonly TlsVersion[]): TlsVersion | null {
  for (const v of ['TLSv1.2', 'TLSv1.1', 'TLSv1'] as const) if (versions.includes(v)) return v;
  return null;
}

/** TLS 1.3: HelloRetryRequests name the server's groups one by one. */
async function scanTls13(ep: TlsEndpoint, ask: AskHello): Promise<GroupScan> {
  const scan: GroupScan = { version: 'TLSv1.3', found: [] };
  const remaining = [...ALL_GROUPS];
  // Bounded by the list: each round removes one group or ends.
  while (remaining.length > 0) {
    const pick = await pickTls13(ep, remaining, ask);
    if (pick.kind === 'end') return scan.found.length > 0 ? scan : { ...scan, error: refusedEverything('TLSv1.3 group probe', pick.why) };
    if (pick.kind === 'error') return { ...scan, error: pick.reason };
    scan.found.push(pick.group);
    remaining.splice(remaining.indexOf(pick.group), 1);
  }
  return scan;
}

/**
 * The first hello offers every group we know, to a server that accepted the version (or the suites)
 * before: a refusal then says nothing about its groups — it may want one we do not know, or choke on
 * the long list — so the scan is an error, never an empty list.
 */
function refusedEverything(what: string, why: string): string {
  return `${what}: the server refused a hello offering every group govscan knows (${why}), though it accepted the version before`;
}

type GroupPick = { kind: 'group'; group: number } | { kind: 'end'; why: string } | { kind: 'error'; reason: string };

/** One TLS 1.3 hello offering `groups` (no key share): the group the server's HelloRetryRequest names. */
async function pickTls13(ep: TlsEndpoint, groups: readonly number[], ask: AskHello): Promise<GroupPick> {
  const what = 'TLSv1.3 group probe';
  const result = await ask(buildClientHello('TLSv1.3', ep.servername, { groups }), new ServerHelloReader(), what);
  if (result.kind !== 'answer') return refusalOrError(result, what);
  const a = result.answer;
  switch (a.kind) {
    case 'server-hello': {
      // A server that fell back to 1.2 despite supported_versions has no 1.3 group left for us.
      if (a.version !== VERSION_CODES['TLSv1.3']) return { kind: 'end', why: 'server chose another version' };
      if (!a.helloRetry || a.keyShareGroup === null) {
        return {
          kind: 'error',
          reason: `${what}: the server answered a hello without key shares with a ServerHello, not a HelloRetryRequest`,
        };
      }
      if (!groups.includes(a.keyShareGroup)) {
        return { kind: 'error', reason: `${what}: the server asked for ${groupName(a.keyShareGroup)}, which was not offered` };
      }
      return { kind: 'group', group: a.keyShareGroup };
    }
    case 'alert':
      return { kind: 'end', why: alertName(a.description) };
    case 'not-tls':
      return { kind: 'error', reason: `${what}: not TLS: ${a.detail}` };
    case 'malformed':
      return { kind: 'error', reason: `${what}: ${a.detail}` };
  }
}

/**
 * TLS <= 1.2: ServerKeyExchanges of ECDHE-only hellos name the server's curves one by one.
 *
 * In TLS <= 1.2 the client's curve list also says which curves it can verify ECDSA signatures on (RFC
 * 8422 §5.1), so a server with only an ECDSA certificate refuses the first hello that no longer lists
 * its certificate's curve — the curve found last. Its other curves are then asked for with that one
 * offered again, last: a server following the client's order takes it only when none of the others
 * is left; a server enforcing its own order that ranks it above the rest hides them, and the scan says so.
 */
async function scanLegacy(ep: TlsEndpoint, version: TlsVersion, suites: readonly number[], ask: AskHello): Promise<GroupScan> {
  const what = `${version} ECDHE group probe`;
  const scan: GroupScan = { version, found: [] };
  const remaining = [...EC_GROUPS];
  const ecdsaOnly = suites.every((c) => suiteFacts(c).auth === 'ECDSA');
  let certCurve: number | null = null;
  while (remaining.length > 0) {
    const pick = await pickLegacy(ep, version, suites, certCurve === null ? remaining : [...remaining, certCurve], ask);
    if (pick.kind === 'end') {
      const last = scan.found.at(-1);
      if (last === undefined) return { ...scan, error: refusedEverything(what, pick.why) };
      if (ecdsaOnly && certCurve === null) {
        certCurve = last;
        continue;
      }
      return scan;
    }
    if (pick.kind === 'error') return { ...scan, error: pick.reason };
    if (pick.group === certCurve) {
      if ((await legacyOrder(ep, scan, suites, ask)) === false) return scan;
      return {
        ...scan,
        error: `${what}: the server has only an ECDSA certificate, on ${groupName(certCurve)}, which a hello must list; it enforces its own order and ranks that curve above any other left, so those could not be listed`,
      };
    }
    if (!remaining.includes(pick.group)) {
      // A server that ignores supported_groups (pre-RFC 8422 stacks) uses one curve whatever we offer:
      // that curve is what it supports, and asking again would only repeat it.
      if (!scan.found.includes(pick.group)) scan.found.push(pick.group);
      return scan;
    }
    scan.found.push(pick.group);
    remaining.splice(remaining.indexOf(pick.group), 1);
  }
  return scan;
}

/** Whose order a TLS <= 1.2 server follows, from one hello offering the found curves reversed (null: undetermined). */
async function legacyOrder(ep: TlsEndpoint, scan: GroupScan, suites: readonly number[], ask: AskHello): Promise<boolean | null> {
  if (scan.found.length < 2) return null;
  return orderFrom(scan.found, await pickLegacy(ep, scan.version, suites, [...scan.found].reverse(), ask));
}

/** The server's pick from the found groups offered reversed: its own first choice back means it enforces its order. */
function orderFrom(found: readonly number[], pick: GroupPick): boolean | null {
  if (pick.kind !== 'group') return null;
  if (pick.group === found[0]) return true;
  if (pick.group === found.at(-1)) return false;
  return null;
}

async function pickLegacy(
  ep: TlsEndpoint,
  version: TlsVersion,
  suites: readonly number[],
  groups: readonly number[],
  ask: AskHello,
): Promise<GroupPick> {
  const what = `${version} ECDHE group probe`;
  const answer = await flight(ep, version, 'ecdhe', suites, groups, ask, what);
  if (answer.kind === 'end' || answer.kind === 'error') return answer;
  const a = answer.flight;
  if (a.kind === 'key-exchange' && a.keyExchange.kind === 'ecdhe') {
    if (a.keyExchange.group === null)
      return { kind: 'error', reason: `${what}: the server sent explicit curve parameters (type ${a.keyExchange.curveType})` };
    return { kind: 'group', group: a.keyExchange.group };
  }
  return { kind: 'error', reason: `${what}: the server chose ${hex(answer.cipher)} and sent no ECDHE ServerKeyExchange` };
}

/** TLS <= 1.2 with DHE suites only: the server's DH prime. */
async function probeDh(ep: TlsEndpoint, version: TlsVersion, suites: readonly number[], ask: AskHello): Promise<GroupsFacts['dh']> {
  const what = `${version} DHE probe`;
  // supported_groups as a common client sends it (curves, no ffdhe codes), so the server uses its own
  // DH parameters — the ones every DHE client gets — rather than an RFC 7919 group we asked for.
  const answer = await flight(ep, version, 'dhe', suites, EC_GROUPS, ask, what);
  if (answer.kind === 'error') return { status: 'error', reason: answer.reason, bits: null, group: null };
  if (answer.kind === 'end') {
    return { status: 'error', reason: `${what}: the server refused DHE suites it had accepted (${answer.why})`, bits: null, group: null };
  }
  const a = answer.flight;
  if (a.kind !== 'key-exchange' || a.keyExchange.kind !== 'dhe') {
    return {
      status: 'error',
      reason: `${what}: the server chose ${hex(answer.cipher)} and sent no DHE ServerKeyExchange`,
      bits: null,
      group: null,
    };
  }
  return { status: 'ok', bits: bitLength(a.keyExchange.p), group: knownDhGroup(a.keyExchange.p) };
}

type FlightResult =
  | { kind: 'flight'; flight: Extract<FlightAnswer, { kind: 'key-exchange' | 'no-key-exchange' }>; cipher: number }
  | { kind: 'end'; why: string }
  | { kind: 'error'; reason: string };

/** One TLS <= 1.2 hello with the given suites and groups, read up to the ServerKeyExchange. */
async function flight(
  ep: TlsEndpoint,
  version: TlsVersion,
  kex: FlightKex,
  suites: readonly number[],
  groups: readonly number[],
  ask: AskHello,
  what: string,
): Promise<FlightResult> {
  const hello = buildClientHello(version, ep.servername, { suites, groups });
  const result = await ask(hello, new ServerFlightReader(VERSION_CODES[version], kex), what);
  if (result.kind !== 'answer') return refusalOrError(result, what);
  const a = result.answer;
  switch (a.kind) {
    case 'key-exchange':
    case 'no-key-exchange':
      return { kind: 'flight', flight: a, cipher: a.cipher };
    case 'other-version':
      return { kind: 'end', why: 'server chose another version' };
    case 'alert':
      return { kind: 'end', why: alertName(a.description) };
    case 'not-tls':
      return { kind: 'error', reason: `${what}: not TLS: ${a.detail}` };
    case 'malformed':
      return { kind: 'error', reason: `${what}: ${a.detail}` };
  }
}

/** A hang-up refuses the hello, as an alert does; anything else leaves the question open. */
function refusalOrError(
  result: Exclude<ExchangeResult<unknown>, { kind: 'answer' }>,
  what: string,
): { kind: 'end'; why: string } | { kind: 'error'; reason: string } {
  if (result.kind === 'closed') return { kind: 'end', why: 'server closed the connection' };
  if (result.kind === 'reset') return { kind: 'end', why: `server reset the connection (${result.code})` };
  return { kind: 'error', reason: result.reason.includes(what) ? result.reason : `${what}: ${result.reason}` };
}

/**
 * Whose order the server follows: one hello offering the found groups reversed. The server's own
 * first choice back means it enforces its order; our first choice means it follows the client.
 * TLS 1.3 decides when it has two groups or more; else TLS <= 1.2.
 */
async function preference(
  ep: TlsEndpoint,
  scan13: GroupScan | null,
  scan12: GroupScan | null,
  suites12: readonly number[],
  ask: AskHello,
): Promise<boolean | null> {
  if (scan13 && !scan13.error && scan13.found.length >= 2) {
    return orderFrom(scan13.found, await pickTls13(ep, [...scan13.found].reverse(), ask));
  }
  if (scan12 && !scan12.error) return legacyOrder(ep, scan12, suites12, ask);
  return null;
}

function groupsFacts(scan13: GroupScan | null, scan12: GroupScan | null, serverPreference: boolean | null): GroupsFacts['groups'] {
  const scans = [scan13, scan12].filter((s): s is GroupScan => s !== null);
  if (scans.length === 0) {
    return {
      status: 'not-applicable',
      reason: 'the server accepts neither TLS 1.3 nor an ECDHE suite',
      supported: [],
      serverPreference: null,
    };
  }
  const supported: GroupFacts[] = [];
  for (const scan of scans) {
    for (const code of scan.found) {
      const known = supported.find((g) => g.code === code);
      if (known) known.versions.push(scan.version);
      else supported.push(groupFacts(code, scan.version));
    }
  }
  const errors = scans.flatMap((s) => (s.error ? [s.error] : []));
  if (errors.length > 0) return { status: 'error', reason: errors.join('; '), supported, serverPreference: null };
  return { status: 'ok', supported, serverPreference };
}

function groupFacts(code: number, version: TlsVersion): GroupFacts {
  const g = namedGroup(code);
  // A code outside our table can only come from a server ignoring supported_groups in TLS <= 1.2.
  return { code, name: groupName(code), kind: g?.kind ?? 'ecdhe', bits: g?.bits ?? 0, versions: [version] };
}

function pqFacts(scan13: GroupScan | null): GroupsFacts['pq'] {
  // No TLS 1.3, no hybrid key exchange: a fact, not a failure to find out (protocols says why).
  if (!scan13) return { status: 'ok', hybrid: false, groups: [] };
  if (scan13.error) return { status: 'error', reason: scan13.error, hybrid: false, groups: [] };
  const pq = scan13.found.map((c) => namedGroup(c)).filter((g) => g !== undefined && (g.kind === 'hybrid-pq' || g.kind === 'pq'));
  return {
    status: 'ok',
    // ML-KEM hybrids (FIPS 203) only: the Kyber drafts were pre-standard and are being withdrawn.
    hybrid: pq.some((g) => g?.kind === 'hybrid-pq' && g.name.includes('MLKEM')),
    groups: pq.map((g) => g!.name),
  };
}

function hex(code: number): string {
  return `0x${code.toString(16).padStart(4, '0')}`;
}
