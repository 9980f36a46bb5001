// Which cipher suites a server accepts in one protocol version, and whose order it follows — with
// hand-built hellos and no crypto on our side, as sslscan and testssl.sh do:
// - offer every catalogued suite the version can negotiate; the ServerHello names one; offer the rest
//   again without it; repeat until the server refuses. k accepted suites cost k+1 connections per bundle.
// - Some servers (old ASAs, some load balancers) fail on hellos listing 128 suites or more (testssl.sh's
//   note), so the catalogue is offered in bundles of at most 126 suites plus the renegotiation SCSV,
//   the suites servers actually deploy first so a typical server's suites are all in the first bundle.
// - Order: one more hello offering the accepted suites reversed. A server following the client's order
//   takes the first of them; one enforcing its own order takes its favourite again.
// TLS 1.3 asks the same way through HelloRetryRequests (an empty key_share): the server names the suite
// without computing a key exchange. The probe gathers facts only; the TLS pack judges them.

import { enumerableSuites, suiteFacts } from './cipher-suites.js';
import { buildClientHello, SIGALGS_12_WIDE, VERSION_CODES, versionName, type HelloOptions, type HelloVersion } from './client-hello.js';
import { alertName, type ServerAnswer } from './server-hello.js';
import type { SuiteFacts, VersionSuites } from './facts.js';
import type { ExchangeResult } from './hello-exchange.js';
import { NAMED_GROUPS } from './named-groups.js';

/** One hello over one new connection (counted, bounded, through the dialer) and its outcome. */
export type AskHello = (hello: Buffer, what: string) => Promise<ExchangeResult<ServerAnswer>>;

export type ServerHelloAnswer = Extract<ServerAnswer, { kind: 'server-hello' }>;

/** What one version's scan found. */
export interface SuiteScan {
  facts: VersionSuites;
  /** The ServerHellos it received: renegotiation_info, EMS and the compression method are read from them. */
  hellos: ServerHelloAnswer[];
}

/** Below the 128 suites some servers choke on, the SCSV included. */
const BUNDLE = 126;

const SSL3_CODE = 0x0300;

/** Groups worth offering: TLS <= 1.2 negotiates curves (and RFC 7919 ffdhe) there; TLS 1.3 any group. */
const GROUPS_12 = NAMED_GROUPS.filter((g) => g.kind === 'ecdhe' || g.kind === 'ffdhe').map((g) => g.code);
const GROUPS_13 = NAMED_GROUPS.map((g) => g.code);

/**
 * Hello options for a suite scan: a wide group and signature list, so no accepted suite is refused for
 * lack of a common curve or signature scheme; DEFLATE offered before TLS 1.3, so every ServerHello
 * also says whether the server compresses (RFC 3749) at no extra connection.
 */
function helloOptions(version: HelloVersion, suites: readonly number[]): HelloOptions {
  if (version === 'TLSv1.3') return { suites, groups: GROUPS_13, keyShares: [] };
  return { suites, groups: GROUPS_12, compression: [1, 0], ...(version === 'TLSv1.2' ? { signatureAlgorithms: SIGALGS_12_WIDE } : {}) };
}

/**
 * Rank for the offering order: suites with certificate-based (EC)DHE or RSA key exchange and the
 * ciphers servers actually run first, then static and anonymous DH, then PSK, SRP, Kerberos, GOST and
 * the rest. Inside a rank, catalogue (code) order.
 */
function deployRank(s: SuiteFacts): number {
  const common = /^(AES_(128|256)_(GCM|CBC)|CHACHA20_POLY1305|3DES_EDE_CBC|RC4_128)$/.test(s.cipher);
  if (['ECDHE', 'DHE', 'RSA', 'TLS13'].includes(s.kex) && ['RSA', 'ECDSA', 'DSS', 'TLS13'].includes(s.auth)) return common ? 0 : 1;
  if (s.auth === 'anon' || s.kex === 'ECDH' || s.kex === 'DH') return 2;
  return 3;
}

/** The bundles `version` is offered in, most deployed suites first. */
export function suiteBundles(version: HelloVersion): number[][] {
  const codes = enumerableSuites(version)
    .map((code) => ({ code, rank: deployRank(suiteFacts(code)) }))
    .sort((a, b) => a.rank - b.rank || a.code - b.code)
    .map((s) => s.code);
  const bundles: number[][] = [];
  for (let i = 0; i < codes.length; i += BUNDLE) bundles.push(codes.slice(i, i + BUNDLE));
  return bundles;
}

/** One round: the suite the server picks from `offered`, that it refuses them all, or that the question stays open. */
type Pick =
  | { kind: 'suite'; code: number; hello: ServerHelloAnswer }
  /**
   * `hangUp`: no alert, the server closed or reset the connection — a refusal, or a server that has
   * started dropping connections (rate limits, resets after a number of hellos).
   */
  | { kind: 'end'; reason: string; hangUp?: boolean }
  | { kind: 'error'; reason: string };

async function pick(version: HelloVersion, servername: string | null, offered: readonly number[], ask: AskHello): Promise<Pick> {
  const what = `${version} ClientHello`;
  const hello = buildClientHello(version, servername, helloOptions(version, offered));
  const result = await ask(hello, what);
  switch (result.kind) {
    case 'error':
      return { kind: 'error', reason: result.reason };
    case 'closed':
      return { kind: 'end', reason: `server closed the connection in answer to the ${what}`, hangUp: true };
    case 'reset':
      return { kind: 'end', reason: `server reset the connection in answer to the ${what} (${result.code})`, hangUp: true };
  }
  const answer = result.answer;
  switch (answer.kind) {
    case 'alert':
      return { kind: 'end', reason: `server refused the ${what} with alert ${alertName(answer.description)} (${answer.description})` };
    case 'not-tls':
      return { kind: 'error', reason: `not TLS: the server answered the ${what} with ${answer.detail}` };
    case 'malformed':
      return { kind: 'error', reason: `${what}: ${answer.detail}` };
  }
  const wanted = version === 'SSLv3' ? SSL3_CODE : VERSION_CODES[version];
  if (answer.version !== wanted) return { kind: 'end', reason: `server chose ${versionName(answer.version)} in answer to the ${what}` };
  // A suite we did not offer is a broken server, not a finding about the ones we did.
  if (!offered.includes(answer.cipher)) {
    return { kind: 'error', reason: `server chose ${suiteFacts(answer.cipher).iana}, which the ${what} did not offer` };
  }
  return { kind: 'suite', code: answer.cipher, hello: answer };
}

/**
 * Every suite in `offered` the server accepts, by offering the rest until it refuses. The order found is
 * the server's order when it enforces one, else `offered`'s. Bounded: each round removes one suite.
 */
async function drain(
  version: HelloVersion,
  servername: string | null,
  offered: readonly number[],
  ask: AskHello,
  hellos: ServerHelloAnswer[],
): Promise<{ found: number[]; error?: string; refusal?: string; hungUp?: boolean }> {
  const found: number[] = [];
  let remaining = [...offered];
  while (remaining.length > 0) {
    const p = await pick(version, servername, remaining, ask);
    if (p.kind === 'end') return { found, refusal: p.reason, hungUp: p.hangUp === true };
    if (p.kind === 'error') return { found, error: p.reason };
    found.push(p.code);
    hellos.push(p.hello);
    remaining = remaining.filter((c) => c !== p.code);
  }
  return { found };
}

/**
 * Finds the suites `version` accepts and whose order counts. Never throws; every connection goes
 * through `ask`. An error (a timeout, an answer that is not TLS) ends the scan with what was found so
 * far and status 'error'.
 */
export async function enumerateSuites(
  version: HelloVersion,
  servername: string | null,
  ask: AskHello,
  /**
   * False when the scan also decides whether the version is spoken at all (SSL 3.0): a server that
   * accepts none of the first bundle — every suite but the PSK, SRP, Kerberos and GOST ones — counts as
   * refusing the version, which saves a connection per endpoint.
   */
  knownAccepted = true,
): Promise<SuiteScan> {
  const hellos: ServerHelloAnswer[] = [];
  const bundles = suiteBundles(version);
  const drainAll = (list: number[][]) => Promise.all(list.map((bundle) => drain(version, servername, bundle, ask, hellos)));
  // Bundles are drained side by side (fewer round trips one after the other on a distant server); a
  // detection scan asks the first bundle alone, and the others only when it found the version spoken.
  const first = knownAccepted ? null : await drain(version, servername, bundles[0] ?? [], ask, hellos);
  const drained = !first
    ? await drainAll(bundles)
    : first.found.length === 0 || first.error
      ? [first]
      : [first, ...(await drainAll(bundles.slice(1)))];
  const perBundle = drained.map((d) => d.found);
  const refusal = drained.findLast((d) => d.refusal)?.refusal ?? '';
  const error = drained.find((d) => d.error)?.error;
  const hungUp = drained.some((d) => d.hungUp === true);
  if (error) return { facts: versionFacts('error', perBundle.flat(), null, error), hellos };
  let accepted = perBundle.flat();
  // Nothing accepted of a version the probes saw accepted: the list is not known, it is not empty.
  if (accepted.length === 0 && knownAccepted)
    return {
      facts: versionFacts('error', accepted, null, `the version is accepted but every suite offer was refused: ${refusal}`),
      hellos,
    };
  // Nothing accepted: the last refusal says how the server refused.
  if (accepted.length === 0) return { facts: versionFacts('ok', accepted, null, refusal || undefined), hellos };
  if (accepted.length < 2) {
    // A hang-up may be a server that drops connections from now on: the one suite it took must still be taken.
    if (hungUp) {
      const again = await pick(version, servername, accepted, ask);
      if (again.kind !== 'suite') return { facts: versionFacts('error', accepted, null, incomplete(again.reason)), hellos };
    }
    return { facts: versionFacts('ok', accepted, null), hellos };
  }

  const reversed = [...accepted].reverse().slice(0, BUNDLE);
  const order = await pick(version, servername, reversed, ask);
  if (order.kind !== 'suite') {
    // The server refused suites it had just accepted one by one, or did not answer: whatever made it
    // stop (resets mid-scan, a rate limit) may have cut the list short too, so it is not a finding.
    return { facts: versionFacts('error', accepted, null, order.kind === 'error' ? order.reason : incomplete(order.reason)), hellos };
  }
  hellos.push(order.hello);
  const serverPreference = order.code !== reversed[0];
  // Found in several bundles, a server's own order is known only inside each: ask once more over all.
  if (serverPreference && perBundle.filter((b) => b.length > 0).length > 1) {
    const again = await drain(version, servername, accepted, ask, hellos);
    if (again.error) return { facts: versionFacts('error', accepted, serverPreference, again.error), hellos };
    accepted = [...again.found, ...accepted.filter((c) => !again.found.includes(c))];
  }
  return { facts: versionFacts('ok', accepted, serverPreference), hellos };
}

function incomplete(why: string): string {
  return `the server refused suites it had accepted moments before (${why}); the list may be incomplete`;
}

function versionFacts(status: 'ok' | 'error', codes: readonly number[], serverPreference: boolean | null, reason?: string): VersionSuites {
  return {
    status,
    ...(reason !== undefined ? { reason } : {}),
    suites: codes.map(suiteFacts),
    serverPreference,
  };
}

/** A scan for a version the probes found refused or could not settle. */
export function notScanned(status: 'error' | 'not-applicable', reason: string): VersionSuites {
  return { status, reason, suites: [], serverPreference: null };
}
