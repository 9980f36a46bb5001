// The endpoint probe: one "offer everything" handshake that also carries the HTTP request, plus one
// ClientHello probe per protocol version the main one did not establish (probe-hello.ts: a hand-built
// hello, read up to the ServerHello, no crypto — a full node:tls handshake per version made the client
// CPU-bound). Versions the main handshake almost never settles (1.0, 1.1) start alongside it; the one of
// 1.2/1.3 it did not pick starts as soon as it is known. So the validity part costs four connections in
// about two round trips, and a dead one costs one timeout, not one per probe. Then, unless --tls-quick,
// the enumeration (enumerate.ts) scans the accepted versions' suites, SSL 2/3 and the protocol features.

import type { X509Certificate } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ProbeError, type CheckContext, type Target } from '../../src/core/types.js';
import { factsOf } from '../../src/pki/certificate.js';
import { matchHostname } from '../../src/pki/hostname.js';
import { parseOcspResponse, type ParsedOcspResponse } from '../../src/pki/ocsp.js';
import { leafIssuer, verifyOcspResponse, type OcspVerification } from '../../src/pki/ocsp-verify.js';
import { ParsedCert } from '../../src/pki/parsed.js';
import { buildPath } from '../../src/pki/path.js';
import { completeChain } from './chain-completion.js';
import { enumerateEndpoint, quickEnumeration } from './enumerate.js';
import { TLS_VERSIONS, type NegotiatedFacts, type OcspFacts, type ProtocolProbe, type TlsFacts, type TlsVersion } from './facts.js';
import { openTls, type TlsConnection, type TlsEndpoint } from './probe-handshake.js';
import { probeVersionHello } from './probe-hello.js';
import { probeHsts } from './probe-http.js';

/** A server's certificate is judged for TLS server authentication. */
const SERVER = { usage: 'serverAuth' } as const;

/** OpenSSL stops reading a Certificate message at 100 KiB; this only bounds a malformed chain walk. */
const MAX_CHAIN = 1024;

export async function probeEndpoint(target: Target, ctx: CheckContext): Promise<TlsFacts> {
  const observedAt = ctx.now();
  const addresses = await ctx.resolver.resolve(target.host, target.port, ctx.signal);
  const first = addresses[0];
  if (!first) throw new ProbeError('dns', `${target.host} has no address`);
  // SNI carries no IP literals and no trailing dot (RFC 6066 §3).
  const ep: TlsEndpoint = {
    address: first.address,
    port: target.port,
    servername: isIP(target.host) ? null : target.host.replace(/\.$/, ''),
    ...(target.scheme === 'smtp' ? { starttls: 'smtp' as const } : {}),
  };

  // Side probes end with the main handshake's failure: their answers would be thrown away.
  const side = new AbortController();
  // Each of up to five connections, and the dialer while connecting, listens on this signal.
  setMaxListeners(32, side.signal);
  const onOuterAbort = (): void => side.abort(ctx.signal.reason);
  if (ctx.signal.aborted) onOuterAbort();
  else ctx.signal.addEventListener('abort', onOuterAbort, { once: true });

  try {
    const mainPending = openTls(ctx, ep, { requestOCSP: true, signal: side.signal });
    const early: Partial<Record<TlsVersion, Promise<ProtocolProbe>>> = {
      TLSv1: probeVersionHello(ctx, ep, 'TLSv1', side.signal),
      'TLSv1.1': probeVersionHello(ctx, ep, 'TLSv1.1', side.signal),
    };
    let main: TlsConnection;
    try {
      main = await mainPending;
    } catch (err) {
      side.abort(new ProbeError('internal', 'main handshake failed'));
      await Promise.allSettled(Object.values(early));
      throw err instanceof ProbeError ? err : new ProbeError('internal', String(err));
    }

    try {
      const protocol = main.socket.getProtocol();
      if (!isTlsVersion(protocol)) throw new ProbeError('protocol', `server negotiated ${protocol ?? 'no protocol'}`);
      const negotiatedVersion = protocol;
      const late: Partial<Record<TlsVersion, Promise<ProtocolProbe>>> = {};
      for (const v of ['TLSv1.2', 'TLSv1.3'] as const) {
        if (v !== negotiatedVersion) late[v] = probeVersionHello(ctx, ep, v, side.signal);
      }
      // Everything read from the main socket is taken before the HTTP exchange may close it, and the
      // key exchange before the peer chain: on Node 22 reading the chain empties getEphemeralKeyInfo().
      const negotiated = negotiatedFacts(main.socket, negotiatedVersion);
      const sent = chainAsSent(main.socket);
      const leafCert = sent[0];
      if (!leafCert) throw new ProbeError('protocol', 'server sent no certificate');
      let leaf: ParsedCert;
      try {
        leaf = ParsedCert.fromDer(leafCert.raw, leafCert);
      } catch (err) {
        throw new ProbeError('protocol', `server certificate is unreadable: ${(err as Error).message}`);
      }
      const authorizationError = main.socket.authorized ? null : String(main.socket.authorizationError ?? 'unknown');
      const stapled = main.ocspResponse;

      const hstsPending = probeHsts(main, target, ctx).finally(() => main.close());
      const versionResults = { ...early, ...late };
      const [hsts, ...results] = await Promise.all([hstsPending, ...Object.values(versionResults)]);
      const byVersion = new Map(Object.keys(versionResults).map((v, i) => [v as TlsVersion, results[i] as ProtocolProbe]));

      const protocols = {} as Record<TlsVersion, ProtocolProbe>;
      for (const v of TLS_VERSIONS) {
        protocols[v] =
          v === negotiatedVersion
            ? { status: 'ok', accepted: true, cipher: negotiated.cipher }
            : (byVersion.get(v) ?? { status: 'error', reason: 'not probed' });
      }

      const chainDer = sent.map((c) => c.raw);
      const now = observedAt;
      const chainCerts = parseChain(sent);
      const certificates = chainCerts.map((c) => factsOf(c, now));
      const leafFacts = factsOf(leaf, now);
      // The same validation for the public store and for --ca-file anchors (src/pki/path.ts).
      const built = {
        public: { anchors: ctx.trust.public, built: buildPath(chainDer, ctx.trust.public, now, SERVER) },
        custom: ctx.trust.custom ? { anchors: ctx.trust.custom, built: buildPath(chainDer, ctx.trust.custom, now, SERVER) } : null,
      };
      const trust = { public: built.public.built.facts, custom: built.custom?.built.facts ?? null };
      // Chain completion (CA downloads) and the enumeration (the endpoint) wait on different servers.
      const [aia, enumeration] = await Promise.all([
        completeChain(chainDer, built, now, SERVER, ctx),
        ctx.tls?.quick ? quickEnumeration() : enumerateEndpoint(ctx, ep, protocols, side.signal),
      ]);
      const paths = [{ trust: trust.public, anchors: ctx.trust.public }];
      if (trust.custom && ctx.trust.custom) paths.push({ trust: trust.custom, anchors: ctx.trust.custom });

      return {
        observedAt: observedAt.toISOString(),
        endpoint: { host: target.host, port: target.port, address: first.address, family: first.family, sni: ep.servername },
        protocols,
        negotiated,
        chain: {
          source: 'wire',
          count: chainDer.length,
          ordered: isOrdered(chainCerts),
          certificates,
        },
        leaf: leafFacts,
        trust,
        aia,
        hostname: { name: target.host, ...matchHostname(target.host, leafFacts) },
        ocsp: stapled ? ocspFacts(stapled, leaf, leafIssuer(leaf, chainCerts, paths), now) : { ...NOT_STAPLED },
        hsts,
        platform: { authorizationError },
        enumeration,
      };
    } finally {
      main.close();
    }
  } finally {
    ctx.signal.removeEventListener('abort', onOuterAbort);
    // Probes still running (the main one threw after they started) must not outlive the check.
    side.abort(new ProbeError('internal', 'endpoint check finished'));
  }
}

function isTlsVersion(v: string | null): v is TlsVersion {
  return (TLS_VERSIONS as readonly (string | null)[]).includes(v);
}

function negotiatedFacts(socket: TLSSocket, protocol: TlsVersion): NegotiatedFacts {
  const cipher = socket.getCipher();
  const eph = socket.getEphemeralKeyInfo();
  const ephemeralKey =
    eph && 'type' in eph && eph.type
      ? {
          type: eph.type,
          name: 'name' in eph && typeof eph.name === 'string' ? eph.name : null,
          bits: typeof eph.size === 'number' ? eph.size : null,
        }
      : null;
  return {
    protocol,
    cipher: cipher.name,
    cipherStandard: cipher.standardName ?? null,
    // TLS 1.3 has only ephemeral key exchange; before it only (EC)DHE suites have it. The suite name
    // decides when the runtime reports no key-exchange details.
    forwardSecrecy:
      protocol === 'TLSv1.3' || ephemeralKey?.type === 'ECDH' || ephemeralKey?.type === 'DH' || /^(ECDHE|DHE|EDH)-/.test(cipher.name),
    ephemeralKey,
  };
}

/**
 * The certificates exactly as the server sent them (count, order, duplicates, strays), TLS 1.3
 * included: Node builds getPeerX509Certificate()'s issuerCertificate links from OpenSSL's peer chain,
 * which is the Certificate message in wire order. getPeerCertificate(true) cannot be used — it reorders
 * and completes the chain from the local store — and must not be called after this (Node moves the
 * certificates out of OpenSSL's stack while building these links).
 */
function chainAsSent(socket: TLSSocket): X509Certificate[] {
  const out: X509Certificate[] = [];
  let cert: X509Certificate | undefined = socket.getPeerX509Certificate();
  while (cert && out.length < MAX_CHAIN) {
    out.push(cert);
    cert = cert.issuerCertificate;
  }
  return out;
}

/** Certificates that parse; an unparseable one is left out of the facts (the count keeps it). */
function parseChain(sent: X509Certificate[]): ParsedCert[] {
  const out: ParsedCert[] = [];
  for (const cert of sent) {
    try {
      out.push(ParsedCert.fromDer(cert.raw, cert));
    } catch {
      // skipped
    }
  }
  return out;
}

function isOrdered(chain: ParsedCert[]): boolean {
  for (let i = 0; i + 1 < chain.length; i++) {
    const cert = chain[i] as ParsedCert;
    const next = chain[i + 1] as ParsedCert;
    if (!cert.claimsIssuer(next) || !cert.signedBy(next)) return false;
  }
  return true;
}

const NOT_STAPLED: OcspFacts = {
  status: 'ok',
  stapled: false,
  responseStatus: null,
  certStatus: null,
  thisUpdate: null,
  nextUpdate: null,
  signature: 'not-checked',
  responder: null,
  fresh: false,
  matchesLeaf: false,
  problem: null,
};

/** The staple as the leaf's `issuer` (null when neither sent nor an anchor) would vouch for it. */
function ocspFacts(stapled: Buffer, leaf: ParsedCert, issuer: ParsedCert | null, now: Date): OcspFacts {
  let parsed: ParsedOcspResponse;
  let v: OcspVerification;
  try {
    parsed = parseOcspResponse(stapled);
    // DER inside the response (an included certificate, a CertID) is read while verifying.
    v = verifyOcspResponse(parsed, leaf, issuer, now);
  } catch (err) {
    return { ...NOT_STAPLED, status: 'error', reason: `stapled OCSP response is unreadable: ${(err as Error).message}`, stapled: true };
  }
  return {
    status: 'ok',
    stapled: true,
    responseStatus: parsed.responseStatus,
    certStatus: v.single?.certStatus ?? null,
    thisUpdate: v.single?.thisUpdate ?? null,
    nextUpdate: v.single?.nextUpdate ?? null,
    signature: v.signature,
    responder: v.responder,
    fresh: v.fresh,
    matchesLeaf: v.matchesLeaf,
    problem: v.problem,
  };
}
