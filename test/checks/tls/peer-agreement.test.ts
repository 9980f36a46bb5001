// Peer agreement on the TLS lab (issue 14): for every lab configuration, the cipher suites accepted
// per version as govscan's enumeration, sslscan and nmap's ssl-enum-ciphers find them are the same
// set, and all match what the configuration fixes (versions, DH size, server order, groups). Where a
// tool's output differs from the truth, PEER_QUIRKS, SSLSCAN_NOT_RUN and GOVSCAN_GAPS say why;
// nothing is skipped.
// Slow by nature (the peers make hundreds of handshakes against single-threaded s_server processes):
// one lab and one peer run per tool are shared by the whole file.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TLS_LAB_CONFIGS, startTlsLab, type TlsLab, type TlsLabConfig } from '../../../src/lab/tls-lab.js';
import { tlsEndpointCheck } from '../../../checks/tls/checks.js';
import type { TlsFacts } from '../../../checks/tls/facts.js';
import { target, testContext } from './farm.js';
import { PEER_VERSIONS, nmapEndpoints, sslscanEndpoint, type PeerEnumeration, type PeerVersion } from '../../../bench/tls/peer-tools.js';

/** Where a peer's raw output is not the endpoint's truth, keyed tool:config:version, with the reason. */
const PEER_QUIRKS: Record<string, string> = {
  'sslscan:tls13-all-suites:TLSv1.3':
    'sslscan 2.0.7 prints TLS_CHACHA20_POLY1305_SHA256 twice when the server enforces an order that puts it between CCM and GCM suites; its list is compared as a set',
};

/** Configurations sslscan is not run on, with the reason; they are checked against their configuration instead. */
const SSLSCAN_NOT_RUN: Record<string, string> = {
  legacy:
    'sslscan 2.0.7 links OpenSSL 3.0, which can offer neither SSL 3.0 nor RC4, DES, 3DES, IDEA or export suites, and it stalls for over a minute on a server that never finishes a handshake; nmap and the configured list (the truth for a scripted server) are compared instead',
};

/**
 * Lab endpoints govscan cannot enumerate today, with the reason. The test asserts that its scan of
 * them ends in an error (so their rules are "not tested", never passed); a fix makes it fail here.
 */
const GOVSCAN_GAPS: Record<string, string> = {
  'null-anon':
    "tls.endpoint's main handshake is node:tls, which offers no NULL or anonymous suite; the server refuses it and the check throws before the enumeration runs, so the endpoint is not tested instead of failing on its suites (follow-up: enumerate even when the main handshake fails)",
  legacy:
    'the same: the scripted server never completes a handshake (it has no key exchange), so the node:tls main handshake fails (a real server without RFC 5746 renegotiation_info is reached: SSL_OP_LEGACY_SERVER_CONNECT) and the check throws before the enumeration runs',
};

let lab: TlsLab;
const sslscan = new Map<string, PeerEnumeration>();
const nmap = new Map<string, PeerEnumeration>();
const govscan = new Map<string, TlsFacts | Error>();

async function eachLimited<T>(items: T[], inFlight: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

beforeAll(async () => {
  lab = await startTlsLab();
  const started = performance.now();
  const byPort = new Map(lab.endpoints.map((e) => [e.port, e.config.name]));
  const nmapRun = nmapEndpoints(
    '127.0.0.1',
    lab.endpoints.map((e) => e.port),
  ).then((found) => {
    for (const [port, result] of found) nmap.set(byPort.get(port) ?? String(port), result);
    console.log(`nmap ssl-enum-ciphers: ${lab.endpoints.length} endpoints in ${(performance.now() - started) / 1000} s`);
  });
  // sslscan takes one endpoint per run; three at a time keeps the two CI cores busy without starving nmap.
  const forSslscan = lab.endpoints.filter((e) => !SSLSCAN_NOT_RUN[e.config.name]);
  await Promise.all([
    nmapRun,
    eachLimited(forSslscan, 3, async (e) => void sslscan.set(e.config.name, await sslscanEndpoint(e.address, e.port))),
  ]);
  console.log(`peers done in ${(performance.now() - started) / 1000} s`);
  // govscan after the peers, so no s_server (one connection at a time) has three scanners queued on it.
  await eachLimited(lab.endpoints, 4, async (e) => {
    const ctx = testContext({ anchors: [lab.root], hosts: { [e.host]: e.address }, timeoutMs: 5_000 });
    const facts = await tlsEndpointCheck.run(target(e.host, e.port, 'tls'), ctx).catch((err: unknown) => err as Error);
    govscan.set(e.config.name, facts);
  });
  console.log(`peers and govscan done in ${(performance.now() - started) / 1000} s`);
}, 600_000);

afterAll(async () => {
  await lab?.close();
});

const hex = (codes: Iterable<number>): string[] =>
  [...new Set(codes)].sort((a, b) => a - b).map((c) => `0x${c.toString(16).padStart(4, '0')}`);

function duplicates(codes: number[] = []): number[] {
  return codes.filter((c, i) => codes.indexOf(c) !== i);
}

function acceptedVersions(config: TlsLabConfig): PeerVersion[] {
  return PEER_VERSIONS.filter((v) => (config.expect.versions as string[]).includes(v));
}

describe('TLS lab', () => {
  it('has at least ten configurations, each named once and started on loopback', () => {
    expect(TLS_LAB_CONFIGS.length).toBeGreaterThanOrEqual(10);
    expect(new Set(TLS_LAB_CONFIGS.map((c) => c.name)).size).toBe(TLS_LAB_CONFIGS.length);
    expect(lab.endpoints.map((e) => e.config.name)).toEqual(TLS_LAB_CONFIGS.map((c) => c.name));
    for (const e of lab.endpoints) expect(e.address).toBe('127.0.0.1');
  });
});

const peerChecked = TLS_LAB_CONFIGS.filter((c) => !SSLSCAN_NOT_RUN[c.name]);
const scripted = TLS_LAB_CONFIGS.filter((c) => c.server.kind === 'scripted');

describe.each(peerChecked.map((c) => [c.name, c] as const))('%s', (name, config) => {
  it('sslscan and nmap accept the same cipher suites per version', () => {
    const a = sslscan.get(name);
    const b = nmap.get(name);
    expect(a, 'sslscan result').toBeDefined();
    expect(b, 'nmap result').toBeDefined();
    for (const peer of [a!, b!]) {
      expect(peer.unknown, `${peer.tool} printed suites without a known code point`).toEqual([]);
      for (const v of PEER_VERSIONS) {
        const dup = duplicates(peer.suites[v]);
        if (dup.length) expect(PEER_QUIRKS[`${peer.tool}:${name}:${v}`], `${peer.tool} lists ${hex(dup)} twice in ${v}`).toBeDefined();
      }
    }
    for (const v of PEER_VERSIONS) expect({ v, suites: hex(a!.suites[v] ?? []) }).toEqual({ v, suites: hex(b!.suites[v] ?? []) });
    // Every accepted version has suites; none is accepted that the configuration leaves out.
    for (const v of acceptedVersions(config)) expect(a!.suites[v]?.length ?? 0, `${v} suites`).toBeGreaterThan(0);
  });

  it('both peers find exactly the versions the configuration enables', () => {
    expect(sslscan.get(name)?.versions).toEqual(acceptedVersions(config));
    expect(nmap.get(name)?.versions).toEqual(acceptedVersions(config));
  });

  it('the DH size, server order and groups the configuration fixes are what the peers see', () => {
    const a = sslscan.get(name)!;
    const b = nmap.get(name)!;
    const { dhBits, serverPreference, groups } = config.expect;
    if (dhBits !== undefined) {
      expect(a.dhBits).toEqual([dhBits]);
      expect(b.dhBits).toEqual([dhBits]);
    }
    // nmap alone reports the order; every lab version accepts at least two suites, so it can tell.
    for (const v of acceptedVersions(config)) expect({ v, server: b.serverPreference[v] }).toEqual({ v, server: serverPreference });
    if (groups) {
      expect(a.groups).toEqual(groups);
      expect(b.groups).toEqual(groups);
    }
  });
});

describe.each(scripted.map((c) => [c.name, c] as const))('%s (scripted)', (name, config) => {
  it('nmap finds exactly the configured suites per version, in the server order, and DEFLATE', () => {
    if (config.server.kind !== 'scripted') throw new Error('not scripted');
    const b = nmap.get(name)!;
    expect(b.unknown).toEqual([]);
    expect(b.versions).toEqual(acceptedVersions(config));
    for (const v of acceptedVersions(config)) {
      // nmap lists suites by name; the order it found them in is the server's (it removes each choice and asks again).
      expect({ v, suites: hex(b.suites[v] ?? []) }).toEqual({ v, suites: hex(config.server.behaviour.suites) });
      expect(b.serverPreference[v]).toBe(true);
    }
    expect(b.compression).toBe(config.expect.compression);
  });
});

const GOVSCAN_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

describe.each(TLS_LAB_CONFIGS.map((c) => [c.name, c] as const))('%s: govscan', (name, config) => {
  it('enumerates the same cipher suites per version as nmap (and so sslscan), with the configured order', () => {
    const result = govscan.get(name);
    expect(result, 'govscan result').toBeDefined();
    if (GOVSCAN_GAPS[name]) {
      expect(result).toBeInstanceOf(Error);
      return;
    }
    if (result instanceof Error) throw result;
    const e = result!.enumeration;
    expect(e?.status, e?.reason).toBe('ok');
    const peer = nmap.get(name)!;
    const accepted = acceptedVersions(config);
    for (const v of GOVSCAN_VERSIONS) {
      const found = e!.versions[v];
      expect({ v, suites: hex(found.suites.map((s) => s.code)) }).toEqual({ v, suites: hex(peer.suites[v] ?? []) });
      if (accepted.includes(v)) {
        expect({ v, status: found.status, serverPreference: found.serverPreference }).toEqual({
          v,
          status: 'ok',
          serverPreference: config.expect.serverPreference,
        });
      } else expect({ v, status: found.status }).toEqual({ v, status: 'not-applicable' });
    }
    expect(e!.ssl3.accepted).toBe(accepted.includes('SSLv3'));
  });
});
