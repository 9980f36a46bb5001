// The enumeration against real node:tls servers on loopback whose suites, versions and order are set:
// the accepted suites per version and their order are asserted exactly.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate, type IssuedCert } from '../../../src/lab/pki.js';
import { enumerateEndpoint } from '../../../checks/tls/enumerate.js';
import { probeVersionHello } from '../../../checks/tls/probe-hello.js';
import { TLS_VERSIONS, type EnumerationFacts, type ProtocolProbe, type TlsVersion } from '../../../checks/tls/facts.js';
import type { TlsEndpoint } from '../../../checks/tls/probe-handshake.js';
import { closeAll, serveTls, testContext, type TestContext } from './farm.js';
import net from 'node:net';
import type tls from 'node:tls';
import { startScriptedTls } from '../../../src/lab/scripted-tls.js';
import { alertRecord, parseClientHello, record, serverHello } from '../../../src/lab/tls-records.js';
import { closeAll as closeLabServers, SocketTracker } from '../../../src/lab/servers.js';

const HOST = 'enum.lab.test';
let rsa: IssuedCert;
let ec: IssuedCert;

beforeAll(async () => {
  rsa = await issueCertificate({ subjectCN: HOST, sans: { dns: [HOST] } });
  ec = await issueCertificate({ subjectCN: HOST, sans: { dns: [HOST] }, key: { type: 'ec' } });
});
const tracker = new SocketTracker();
const labServers: net.Server[] = [];
afterAll(async () => {
  await closeAll();
  await closeLabServers(labServers, tracker);
});

/** The version probes, then the enumeration, as probe-endpoint runs them. */
async function enumerate(options: tls.TlsOptions, cert: IssuedCert = rsa): Promise<{ facts: EnumerationFacts; ctx: TestContext }> {
  // Two groups unless a test says otherwise, so the group scans' connections do not depend on the
  // default group list of the OpenSSL this Node carries.
  const srv = await serveTls({ chain: [cert], tls: { ecdhCurve: 'X25519:P-256', ...options } });
  return enumeratePort(srv.port);
}

async function enumeratePort(port: number, timeoutMs = 5_000): Promise<{ facts: EnumerationFacts; ctx: TestContext }> {
  const ctx = testContext({ anchors: [], timeoutMs });
  const ep: TlsEndpoint = { address: '127.0.0.1', port, servername: HOST };
  const signal = new AbortController().signal;
  const protocols = Object.fromEntries(
    await Promise.all(TLS_VERSIONS.map(async (v) => [v, await probeVersionHello(ctx, ep, v, signal)] as const)),
  ) as Record<TlsVersion, ProtocolProbe>;
  const probes = ctx.dials;
  const facts = await enumerateEndpoint(ctx, ep, protocols, signal);
  expect(facts.connections).toBe(ctx.dials - probes);
  return { facts, ctx };
}

const names = (facts: EnumerationFacts, v: TlsVersion): string[] => facts.versions[v].suites.map((s) => s.iana);

const I = {
  ecdheRsaAes128Gcm: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  ecdheRsaAes256Gcm: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  ecdheRsaChacha: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  ecdheRsaAes128Sha: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  rsaAes128Sha: 'TLS_RSA_WITH_AES_128_CBC_SHA',
  rsaAes256Sha: 'TLS_RSA_WITH_AES_256_CBC_SHA',
};

/** Protocol features every node:tls server shows: no SSL 2/3, secure renegotiation, EMS, no compression. */
function expectNodeBasics(facts: EnumerationFacts): void {
  expect(facts.status).toBe('ok');
  expect(facts.ssl2).toMatchObject({ status: 'ok', accepted: false });
  expect(facts.ssl3).toMatchObject({ status: 'ok', accepted: false });
  expect(facts.renegotiation).toEqual({ status: 'ok', secure: true });
  expect(facts.extendedMasterSecret).toEqual({ status: 'ok', supported: true });
  expect(facts.compression).toEqual({ status: 'ok', accepted: false });
}

describe('suite enumeration against node:tls servers', () => {
  const TLS12_SUITES = 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256';

  it('TLS 1.2 with the server’s order: every suite in that order, one connection per suite and per refusal', async () => {
    const { facts } = await enumerate({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: TLS12_SUITES, honorCipherOrder: true });
    expectNodeBasics(facts);
    expect(names(facts, 'TLSv1.2')).toEqual([I.ecdheRsaAes256Gcm, I.ecdheRsaChacha, I.rsaAes128Sha, I.ecdheRsaAes128Gcm]);
    expect(facts.versions['TLSv1.2'].serverPreference).toBe(true);
    for (const v of ['TLSv1', 'TLSv1.1', 'TLSv1.3'] as const)
      expect(facts.versions[v]).toMatchObject({ status: 'not-applicable', suites: [] });
    // Groups of the ECDHE suites' ServerKeyExchanges, in the server's order (enum-groups.test.ts tests them in depth).
    expect(facts.groups).toMatchObject({ status: 'ok', serverPreference: true, supported: [{ name: 'x25519' }, { name: 'secp256r1' }] });
    expect(facts.dh).toMatchObject({ status: 'not-applicable' });
    expect(facts.pq).toMatchObject({ status: 'ok', hybrid: false });
    // SSLv2 1, SSLv3 1, TLS 1.2: 4 suites + 3 bundles refused + 1 order check; groups: 2 + 1 refusal + 1 order check.
    expect(facts.connections).toBe(14);
  });

  it('TLS 1.2 following the client’s order: the same suites, serverPreference false', async () => {
    const { facts } = await enumerate({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: TLS12_SUITES, honorCipherOrder: false });
    expect(names(facts, 'TLSv1.2').sort()).toEqual([I.ecdheRsaAes256Gcm, I.ecdheRsaChacha, I.rsaAes128Sha, I.ecdheRsaAes128Gcm].sort());
    expect(facts.versions['TLSv1.2'].serverPreference).toBe(false);
  });

  it('TLS 1.3 through HelloRetryRequests: the configured suites in the server’s order', async () => {
    const { facts } = await enumerate({
      minVersion: 'TLSv1.3',
      ciphers: 'TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256',
      honorCipherOrder: true,
    });
    expect(facts.status).toBe('ok');
    expect(names(facts, 'TLSv1.3')).toEqual(['TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256']);
    expect(facts.versions['TLSv1.3'].suites[0]).toMatchObject({ kex: 'TLS13', auth: 'TLS13', cipher: 'CHACHA20_POLY1305', mac: 'AEAD' });
    expect(facts.versions['TLSv1.3'].serverPreference).toBe(true);
    // Nothing below 1.3: renegotiation, compression and EMS do not apply.
    expect(facts.renegotiation).toMatchObject({ status: 'not-applicable', secure: null });
    expect(facts.compression).toMatchObject({ status: 'not-applicable', accepted: null });
    expect(facts.extendedMasterSecret).toMatchObject({ status: 'not-applicable', supported: null });
    // SSLv2 1, SSLv3 1, TLS 1.3: 2 suites + 1 refusal + 1 order check; groups: 2 + 1 refusal + 1 order check.
    expect(facts.connections).toBe(10);
  });

  it('a legacy server: TLS 1.0, 1.1 and 1.2 with CBC suites and static RSA', async () => {
    const { facts } = await enumerate({
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-RSA-AES128-SHA:AES256-SHA:AES128-SHA:@SECLEVEL=0',
      honorCipherOrder: true,
    });
    expectNodeBasics(facts);
    for (const v of ['TLSv1', 'TLSv1.1', 'TLSv1.2'] as const) {
      expect(names(facts, v), v).toEqual([I.ecdheRsaAes128Sha, I.rsaAes256Sha, I.rsaAes128Sha]);
      expect(facts.versions[v].serverPreference, v).toBe(true);
    }
    expect(facts.versions['TLSv1'].suites[2]).toMatchObject({ cipher: 'AES_128_CBC', bits: 128, kex: 'RSA', mac: 'SHA1', export: false });
    expect(facts.versions['TLSv1.3']).toMatchObject({ status: 'not-applicable' });
    // SSLv2 1, SSLv3 1; TLS 1.0 and 1.1: 3 + 2 bundles + 1; TLS 1.2: 3 + 3 bundles + 1; groups (TLS 1.2): 2 + 1 + 1.
    expect(facts.connections).toBe(25);
  });

  it('an ECDSA server: ECDHE-ECDSA suites only', async () => {
    const { facts } = await enumerate(
      {
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.2',
        ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256',
      },
      ec,
    );
    // node:tls servers enforce their order unless told otherwise (honorCipherOrder defaults to true).
    expect(names(facts, 'TLSv1.2')).toEqual(['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA']);
    expect(facts.versions['TLSv1.2'].serverPreference).toBe(true);
    expect(facts.versions['TLSv1.2'].suites.every((s) => s.auth === 'ECDSA')).toBe(true);
  });

  it('a DHE server', async () => {
    const { facts } = await enumerate({
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
      ciphers: 'DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-SHA256',
      dhparam: 'auto',
      honorCipherOrder: true,
    });
    expect(names(facts, 'TLSv1.2')).toEqual(['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256']);
    expect(facts.versions['TLSv1.2'].suites[0]).toMatchObject({ kex: 'DHE', auth: 'RSA' });
    // dhparam 'auto': OpenSSL takes the RFC 3526 group matching the certificate's strength (RSA-2048: 2048 bits).
    expect(facts.dh).toEqual({ status: 'ok', bits: 2048, group: 'rfc3526-2048' });
    expect(facts.groups).toMatchObject({ status: 'not-applicable', supported: [] });
  });
});

describe('protocol weaknesses no node:tls server shows', () => {
  it('an SSL 3.0 / TLS 1.0 server of the 1990s: SSL 3.0 with its suites, export and RC4, DEFLATE, no renegotiation_info', async () => {
    // RC4-MD5, RC4-SHA, DES-CBC3-SHA, IDEA-CBC-SHA, DES-CBC-SHA, EXP-RC4-MD5, EXP-RC2-CBC-MD5, EXP-DES-CBC-SHA, AES128-SHA
    const suites = [0x0004, 0x0005, 0x000a, 0x0007, 0x0009, 0x0003, 0x0006, 0x0008, 0x002f];
    const { server, port } = await startScriptedTls(
      { kind: 'legacy', versions: [0x0300, 0x0301], suites, compression: true, renegotiationInfo: false, certificates: [rsa.der] },
      '127.0.0.1',
      tracker,
    );
    labServers.push(server);
    const { facts } = await enumeratePort(port);
    expect(facts.status).toBe('ok');
    expect(facts.ssl3.accepted).toBe(true);
    expect(facts.ssl3.suites?.map((s) => s.code)).toEqual(suites);
    expect(facts.versions.TLSv1.suites.map((s) => s.code)).toEqual(suites);
    expect(facts.versions.TLSv1.serverPreference).toBe(true);
    expect(facts.versions.TLSv1.suites.filter((s) => s.export).map((s) => s.openssl)).toEqual([
      'EXP-RC4-MD5',
      'EXP-RC2-CBC-MD5',
      'EXP-DES-CBC-SHA',
    ]);
    expect(facts.versions.TLSv1.suites[0]).toMatchObject({ iana: 'TLS_RSA_WITH_RC4_128_MD5', cipher: 'RC4_128', mac: 'MD5' });
    for (const v of ['TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const) expect(facts.versions[v].status, v).toBe('not-applicable');
    expect(facts.compression).toEqual({ status: 'ok', accepted: true });
    expect(facts.renegotiation).toEqual({ status: 'ok', secure: false });
    expect(facts.extendedMasterSecret).toEqual({ status: 'ok', supported: false });
    expect(facts.ssl2).toMatchObject({ status: 'ok', accepted: false });
  });

  it('SSL 2.0: a SERVER-HELLO in answer to the v2 CLIENT-HELLO', async () => {
    const hellos: Buffer[] = [];
    // The SERVER-HELLO of an SSL 2.0 server: 2-byte header, type 4, session-id-hit 0, X.509 certificate, version
    // 2, certificate length 1, cipher specs 3 bytes (RC4_128_WITH_MD5), connection id 16 bytes.
    const body = Buffer.concat([
      Buffer.from([4, 0, 1, 0, 2, 0, 1, 0, 3, 0, 16]),
      Buffer.from([0x30]),
      Buffer.from([1, 0, 0x80]),
      Buffer.alloc(16, 7),
    ]);
    const serverHello2 = Buffer.concat([Buffer.from([0x80 | (body.length >> 8), body.length & 0xff]), body]);
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', (chunk) => {
        hellos.push(chunk);
        // SSL 2.0 records start with the length's top bit set; anything else gets a TLS handshake_failure alert.
        socket.end((chunk[0] as number) & 0x80 ? serverHello2 : Buffer.from([21, 3, 1, 0, 2, 2, 40]));
      });
    });
    tracker.track(server);
    labServers.push(server);
    server.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { facts } = await enumeratePort((server.address() as net.AddressInfo).port);
    expect(facts.ssl2).toEqual({ status: 'ok', accepted: true });
    // The v2 CLIENT-HELLO: message 1, version 2, 8 cipher kinds (24 bytes), no session id, 16-byte challenge.
    const v2 = hellos.find((h) => (h[0] as number) & 0x80)!;
    expect(v2.subarray(2, 11).toString('hex')).toBe('010002001800000010');
    expect(v2.length).toBe(2 + 9 + 24 + 16);
    // No TLS version is spoken: SSL 3.0 refused too, nothing else asked.
    expect(facts.ssl3).toMatchObject({ status: 'ok', accepted: false });
  });

  it('a server that stops answering mid-scan costs one timeout: the scan ends with an error and what it found', async () => {
    let answered = 0;
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', (chunk) => {
        if (chunk[0] !== 22) return void socket.destroy();
        const hello = parseClientHello(chunk);
        if (hello.legacyVersion !== 0x0303) return void socket.end(alertRecord(70, 0x0301));
        // Two version probes (1.2, and 1.3 answered with 1.2), then four suites of the scan; then silence.
        if (answered++ >= 6) return;
        const suite = hello.suites.find((c) => c !== 0x00ff) ?? 0x002f;
        socket.write(record(22, serverHello({ version: 0x0303, cipher: suite })));
      });
    });
    tracker.track(server);
    labServers.push(server);
    server.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { facts } = await enumeratePort((server.address() as net.AddressInfo).port, 500);
    expect(facts.versions['TLSv1.2']).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('no answer'),
      serverPreference: null,
    });
    expect(facts.versions['TLSv1.2'].suites).toHaveLength(4);
    // Nothing was asked after the silence: groups are not tried, and renegotiation/compression/EMS are read
    // from the ServerHellos that did come.
    expect(facts.groups).toMatchObject({ status: 'error', reason: expect.stringContaining('not sent') });
    expect(facts.renegotiation).toMatchObject({ status: 'ok', secure: true });
    // SSLv2 1, SSLv3 1, TLS 1.2: 4 answered + one silent hello per bundle drained side by side (3), timing out together.
    expect(facts.connections).toBe(9);
  });

  it('a slow server that accepts every suite: the scan stops before the target deadline with what it found', async () => {
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', (chunk) => {
        if (chunk[0] !== 22) return void socket.destroy();
        const hello = parseClientHello(chunk);
        if (hello.legacyVersion !== 0x0303) return void socket.end(alertRecord(70, 0x0301));
        const suite = hello.suites.find((c) => c !== 0x00ff) ?? 0x002f;
        setTimeout(() => socket.end(record(22, serverHello({ version: 0x0303, cipher: suite }))), 60);
      });
    });
    tracker.track(server);
    labServers.push(server);
    server.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const ctx = testContext({ anchors: [], timeoutMs: 250 });
    const ep: TlsEndpoint = { address: '127.0.0.1', port: (server.address() as net.AddressInfo).port, servername: HOST };
    const signal = new AbortController().signal;
    const protocols = Object.fromEntries(
      await Promise.all(TLS_VERSIONS.map(async (v) => [v, await probeVersionHello(ctx, ep, v, signal)] as const)),
    ) as Record<TlsVersion, ProtocolProbe>;
    // 352 TLS 1.2 suites at 60 ms each would take far longer than this target has left.
    ctx.deadlineAt = Date.now() + 1_500;
    const facts = await enumerateEndpoint(ctx, ep, protocols, signal);
    expect(facts.versions['TLSv1.2']).toMatchObject({ status: 'error', reason: expect.stringContaining('--target-timeout') });
    expect(facts.versions['TLSv1.2'].suites.length).toBeGreaterThan(0);
    expect(facts.connections).toBeLessThan(100);
    expect(facts.groups.status).toBe('error');
  });
});
