// Key-exchange groups, DH size and PQ hybrid support found by probeGroups, against real servers on
// loopback: node:tls (OpenSSL 3.0 in Node 22), `openssl s_server` 3.0 with an `openssl s_client
// -groups` loop as the oracle, and a Node 24 process (OpenSSL 3.5) that negotiates X25519MLKEM768.

import { execFile, spawn } from 'node:child_process';
import { getDiffieHellman } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type tls from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeGroups, type AcceptedForGroups, type GroupsFacts } from '../../../checks/tls/enum-groups.js';
import type { TlsVersion } from '../../../checks/tls/facts.js';
import { exchangeHello } from '../../../checks/tls/hello-exchange.js';
import { NAMED_GROUPS } from '../../../checks/tls/named-groups.js';
import type { TlsEndpoint } from '../../../checks/tls/probe-handshake.js';
import { startOpensslServer, type OpensslServer } from '../../../src/lab/openssl-server.js';
import { issueCertificate, type IssuedCert } from '../../../src/lab/pki.js';
import { dhParamsPem } from '../../../src/lab/dh-params.js';
import { closeAll, serveRaw, serveScripted, serveTls, testContext } from './farm.js';
import { record, serverHello } from './hello-bytes.js';
import { nodeServerProcess, pqNode } from './node-process.js';

const run = promisify(execFile);
const HOST = 'groups.lab.test';
let rsa: IssuedCert;
let dir: string;
const files = { cert: '', key: '' };
const processes: OpensslServer[] = [];

beforeAll(async () => {
  rsa = await issueCertificate({ subjectCN: HOST, sans: { dns: [HOST] }, key: { type: 'rsa' } });
  dir = await mkdtemp(join(tmpdir(), 'govscan-groups-'));
  files.cert = join(dir, 'cert.pem');
  files.key = join(dir, 'key.pem');
  await writeFile(files.cert, rsa.certPem);
  await writeFile(files.key, rsa.keyPem);
});

afterEach(closeAll);

afterAll(async () => {
  await Promise.all(processes.splice(0).map((p) => p.close()));
  await rm(dir, { recursive: true, force: true });
});

function ep(port: number): TlsEndpoint {
  return { address: '127.0.0.1', port, servername: HOST };
}

/** probeGroups with a fresh context; also checks that every connection was counted. */
async function probe(port: number, accepted: AcceptedForGroups, timeoutMs = 5_000): Promise<GroupsFacts & { connections: number }> {
  const ctx = testContext({ anchors: [], timeoutMs });
  const signal = new AbortController().signal;
  let connections = 0;
  const facts = await probeGroups(ep(port), accepted, (hello, reader, what) => {
    connections++;
    return exchangeHello(ctx, ep(port), hello, reader, what, signal);
  });
  expect(connections).toBe(ctx.dials);
  return { ...facts, connections };
}

/** Group names per version, as the facts list them. */
function byVersion(facts: GroupsFacts): Partial<Record<TlsVersion, string[]>> {
  const out: Partial<Record<TlsVersion, string[]>> = {};
  for (const g of facts.groups.supported) for (const v of g.versions) (out[v] ??= []).push(g.name);
  return out;
}

const MODERN: AcceptedForGroups = { versions: ['TLSv1.2', 'TLSv1.3'], dheSuites12: [], ecdheSuites12: [0xc02f, 0xc030] };
const DHE_ONLY: AcceptedForGroups = { versions: ['TLSv1.2'], dheSuites12: [0x009e], ecdheSuites12: [] };

async function dhServer(dhparam: string | Buffer): Promise<number> {
  const srv = await serveTls({
    chain: [rsa],
    tls: { maxVersion: 'TLSv1.2', ciphers: 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0', dhparam },
  });
  return srv.port;
}

describe('groups of node:tls servers', () => {
  it('finds both curves on TLS 1.3 and 1.2; in TLS 1.3 OpenSSL asks for its own first choice', async () => {
    const srv = await serveTls({ chain: [rsa], tls: { ecdhCurve: 'P-384:X25519' } });
    const facts = await probe(srv.port, MODERN);
    expect(facts.groups).toEqual({
      status: 'ok',
      supported: [
        { code: 0x0018, name: 'secp384r1', kind: 'ecdhe', bits: 384, versions: ['TLSv1.3', 'TLSv1.2'] },
        { code: 0x001d, name: 'x25519', kind: 'ecdhe', bits: 256, versions: ['TLSv1.3', 'TLSv1.2'] },
      ],
      // OpenSSL picks a HelloRetryRequest's group by its own list, whatever the client's order.
      serverPreference: true,
    });
    expect(facts.pq).toEqual({ status: 'ok', hybrid: false, groups: [] });
    expect(facts.dh).toMatchObject({ status: 'not-applicable', bits: null, group: null });
    // k+1 hellos per version for k groups, and one reversed hello for the order.
    expect(facts.connections).toBe(3 + 3 + 1);
  });

  it('in TLS 1.2 follows the client order unless the server enforces its own', async () => {
    const tls12 = { versions: ['TLSv1.2'], dheSuites12: [], ecdheSuites12: [0xc02f] } satisfies AcceptedForGroups;
    // Node servers enforce their order unless told not to (honorCipherOrder defaults to true).
    const client = await serveTls({ chain: [rsa], tls: { maxVersion: 'TLSv1.2', ecdhCurve: 'P-384:X25519', honorCipherOrder: false } });
    const server = await serveTls({ chain: [rsa], tls: { maxVersion: 'TLSv1.2', ecdhCurve: 'P-384:X25519' } });
    const [byClient, byServer] = await Promise.all([probe(client.port, tls12), probe(server.port, tls12)]);
    expect(byClient.groups.supported.map((g) => g.name)).toEqual(['x25519', 'secp384r1']);
    expect(byClient.groups.serverPreference).toBe(false);
    expect(byServer.groups.supported.map((g) => g.name)).toEqual(['secp384r1', 'x25519']);
    expect(byServer.groups.serverPreference).toBe(true);
    for (const f of [byClient, byServer]) {
      expect(f.groups.supported.every((g) => g.versions.join() === 'TLSv1.2')).toBe(true);
      expect(f.connections).toBe(3 + 1);
    }
  });

  it('lists the curves of an ECDSA-only TLS 1.2 server past its certificate curve', async () => {
    // The certificate is on P-256: a TLS 1.2 hello without secp256r1 is refused whatever else it lists.
    const ecdsa = await issueCertificate({ subjectCN: HOST, sans: { dns: [HOST] }, key: { type: 'ec', curve: 'P-256' } });
    const accepted = { versions: ['TLSv1.2'], dheSuites12: [], ecdheSuites12: [0xc02b, 0xc02c] } satisfies AcceptedForGroups;
    const curves = { maxVersion: 'TLSv1.2', ecdhCurve: 'X25519:P-384:P-256' } as const;
    const client = await serveTls({ chain: [ecdsa], tls: { ...curves, honorCipherOrder: false } });
    const byClient = await probe(client.port, accepted);
    expect(byClient.groups).toMatchObject({ status: 'ok', serverPreference: false });
    expect(byClient.groups.supported.map((g) => g.name)).toEqual(['x25519', 'secp256r1', 'secp384r1']);
    // Ranked below the certificate's curve by a server enforcing its order, secp384r1 cannot be seen:
    // an error, so no rule passes on a list that may be short.
    const server = await serveTls({ chain: [ecdsa], tls: { ...curves, ecdhCurve: 'X25519:P-256:P-384' } });
    const byServer = await probe(server.port, accepted);
    expect(byServer.groups).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('only an ECDSA certificate, on secp256r1'),
      supported: [{ name: 'x25519' }, { name: 'secp256r1' }],
    });
  });

  it('reads the DH prime of a DHE-only server: its size, and its RFC name when it has one', async () => {
    const fixture = (name: string) => readFile(new URL(`../../fixtures/tls/${name}`, import.meta.url));
    const ffdhe2048 = (await run('openssl', ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048'])).stdout;
    const cases: Array<[string | Buffer, { bits: number; group: string | null }]> = [
      [await fixture('dh1024-custom.pem'), { bits: 1024, group: null }],
      [await fixture('dh2048-custom.pem'), { bits: 2048, group: null }],
      [dhParamsPem(getDiffieHellman('modp2').getPrime()), { bits: 1024, group: 'rfc2409-1024' }],
      [dhParamsPem(getDiffieHellman('modp14').getPrime()), { bits: 2048, group: 'rfc3526-2048' }],
      [ffdhe2048, { bits: 2048, group: 'ffdhe2048' }],
    ];
    for (const [params, expected] of cases) {
      const facts = await probe(await dhServer(params), DHE_ONLY);
      expect(facts.dh, expected.group ?? `${expected.bits} bits`).toEqual({ status: 'ok', ...expected });
      expect(facts.groups).toMatchObject({ status: 'not-applicable', supported: [] });
      expect(facts.connections).toBe(1);
    }
  });

  it('asks a TLS 1.0-only server with TLS 1.0 suites of its own', async () => {
    const srv = await serveTls({
      chain: [rsa],
      tls: {
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1',
        ciphers: 'ECDHE-RSA-AES128-SHA:DHE-RSA-AES128-SHA:@SECLEVEL=0',
        ecdhCurve: 'secp521r1',
        dhparam: dhParamsPem(getDiffieHellman('modp2').getPrime()),
      },
    });
    const facts = await probe(srv.port, { versions: ['TLSv1'], dheSuites12: [], ecdheSuites12: [] });
    expect(facts.groups).toEqual({
      status: 'ok',
      supported: [{ code: 0x0019, name: 'secp521r1', kind: 'ecdhe', bits: 521, versions: ['TLSv1'] }],
      serverPreference: null,
    });
    expect(facts.dh).toEqual({ status: 'ok', bits: 1024, group: 'rfc2409-1024' });
    expect(facts.pq).toEqual({ status: 'ok', hybrid: false, groups: [] });
  });
});

// What the oracle can ask with OpenSSL 3.0's s_client: in TLS 1.3 the groups RFC 8446 defines (OpenSSL
// 3.0 offers no other there), in TLS 1.2 every curve it has a TLS code point for — all of ours but
// GOST, SM2 and the TLS 1.3 brainpool codes. ML-KEM needs OpenSSL 3.5 (see the PQ tests below).
const ORACLE_13 = [
  'x25519',
  'x448',
  'secp256r1',
  'secp384r1',
  'secp521r1',
  'ffdhe2048',
  'ffdhe3072',
  'ffdhe4096',
  'ffdhe6144',
  'ffdhe8192',
];
const ORACLE_12 = NAMED_GROUPS.filter((g) => g.kind === 'ecdhe' && !/^GC|SM2|tls13$/.test(g.name)).map((g) => g.name);

/** The groups `openssl s_client -groups <one>` can handshake with, per version: the oracle of the agreement test. */
async function opensslClientGroups(port: number): Promise<Record<'TLSv1.2' | 'TLSv1.3', string[]>> {
  const out: Record<'TLSv1.2' | 'TLSv1.3', string[]> = { 'TLSv1.3': [], 'TLSv1.2': [] };
  const tries = [
    ...ORACLE_13.map((name) => ({ name, version: 'TLSv1.3' as const })),
    ...ORACLE_12.map((name) => ({ name, version: 'TLSv1.2' as const })),
  ];
  // A few at a time: each s_client start costs 100-300 ms of a shared core.
  for (let i = 0; i < tries.length; i += 8) {
    const batch = tries.slice(i, i + 8);
    const ok = await Promise.all(
      batch.map(({ name, version }) => {
        // TLS 1.2: ECDHE suites only, or a server without the curve would still answer with DHE or RSA.
        const versionArgs = version === 'TLSv1.3' ? ['-tls1_3'] : ['-tls1_2', '-cipher', 'ECDHE:@SECLEVEL=0'];
        const args = ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', HOST, '-groups', name, ...versionArgs];
        return new Promise<boolean>((resolve) => {
          const child = spawn('openssl', args, { stdio: ['pipe', 'ignore', 'ignore'] });
          child.stdin.end();
          // Exit 0: the handshake completed with that one group.
          child.once('close', (code) => resolve(code === 0));
        });
      }),
    );
    for (const [j, t] of batch.entries()) if (ok[j]) out[t.version].push(t.name);
  }
  return out;
}

describe('groups of openssl s_server', () => {
  async function start(args: string[]): Promise<number> {
    const srv = await startOpensslServer({ address: '127.0.0.1', certFile: files.cert, keyFile: files.key, args });
    processes.push(srv);
    return srv.port;
  }

  it('agree with an openssl s_client -groups loop over the same endpoint', async () => {
    const port = await start(['-groups', 'X25519:secp521r1:ffdhe3072:brainpoolP256r1:secp224r1', '-cipher', 'ECDHE:@SECLEVEL=0']);
    const facts = await probe(port, MODERN);
    expect(facts.groups.status).toBe('ok');
    const found = byVersion(facts);
    // OpenSSL 3.0 keeps brainpool (r1) and secp224r1 out of TLS 1.3, and ffdhe out of TLS 1.2 ECDHE.
    expect(found).toEqual({
      'TLSv1.3': ['x25519', 'secp521r1', 'ffdhe3072'],
      'TLSv1.2': ['x25519', 'secp521r1', 'brainpoolP256r1', 'secp224r1'],
    });
    const oracle = await opensslClientGroups(port);
    for (const v of ['TLSv1.3', 'TLSv1.2'] as const) expect([...(found[v] ?? [])].sort(), v).toEqual([...oracle[v]].sort());
    expect(facts.pq).toEqual({ status: 'ok', hybrid: false, groups: [] });
  });

  it('OpenSSL 3.0 defaults: five curves and five ffdhe groups, no hybrid', async () => {
    const facts = await probe(await start([]), MODERN);
    // In the order of the facts: TLS 1.3's, the server's (OpenSSL 3.0 lists secp521r1 before secp384r1).
    expect(byVersion(facts)).toEqual({
      'TLSv1.3': ['x25519', 'secp256r1', 'x448', 'secp521r1', 'secp384r1', 'ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192'],
      'TLSv1.2': ['x25519', 'secp256r1', 'x448', 'secp521r1', 'secp384r1'],
    });
    expect(facts.groups.serverPreference).toBe(true);
    expect(facts.pq).toEqual({ status: 'ok', hybrid: false, groups: [] });
  });
});

/** node:tls in a child process of `node` with this file's certificate. */
function nodeServer(node: string, options: tls.TlsOptions = {}): Promise<{ port: number; openssl: string }> {
  return nodeServerProcess(node, rsa, options, (handle) => processes.push({ port: 0, ...handle }));
}

describe('post-quantum hybrid key exchange', () => {
  it('finds X25519MLKEM768 on a Node 24 (OpenSSL 3.5) server, first in its order', async () => {
    const srv = await nodeServer(pqNode());
    expect(srv.openssl).toMatch(/^3\.([5-9]|\d\d)\./);
    const facts = await probe(srv.port, MODERN);
    expect(facts.pq).toEqual({ status: 'ok', hybrid: true, groups: ['X25519MLKEM768'] });
    const first = facts.groups.supported[0];
    expect(first).toEqual({ code: 0x11ec, name: 'X25519MLKEM768', kind: 'hybrid-pq', bits: 768, versions: ['TLSv1.3'] });
    // The hybrid is TLS 1.3's; TLS 1.2 has the classic curves only.
    expect(byVersion(facts)['TLSv1.2']).not.toContain('X25519MLKEM768');
    expect(byVersion(facts)['TLSv1.2']).toContain('x25519');
  });

  it('finds none on the same server limited to classic groups, nor on OpenSSL 3.0', async () => {
    const classic = await nodeServer(pqNode(), { ecdhCurve: 'X25519:P-256' });
    const facts = await probe(classic.port, MODERN);
    expect(facts.pq).toEqual({ status: 'ok', hybrid: false, groups: [] });
    expect(facts.groups.supported.map((g) => g.name)).toEqual(['x25519', 'secp256r1']);
    const openssl30 = await startOpensslServer({ address: '127.0.0.1', certFile: files.cert, keyFile: files.key, args: [] });
    processes.push(openssl30);
    expect((await probe(openssl30.port, MODERN)).pq).toEqual({ status: 'ok', hybrid: false, groups: [] });
  });
});

describe('groups of servers that misbehave', () => {
  const TLS13_ONLY: AcceptedForGroups = { versions: ['TLSv1.3'], dheSuites12: [], ecdheSuites12: [] };
  const hrr = (group: number): Buffer =>
    record(22, serverHello({ version: 0x0303, cipher: 0x1301, supportedVersion: 0x0304, helloRetry: true, keyShareGroup: group }));

  it('a HelloRetryRequest for a group not offered ends the scan as an error, keeping what was found', async () => {
    // Always asks for x25519, also after we stopped offering it.
    const srv = await serveScripted({ answer: (_h, s) => void s.write(hrr(0x001d)) });
    const facts = await probe(srv.port, TLS13_ONLY);
    expect(facts.groups).toMatchObject({
      status: 'error',
      reason: 'TLSv1.3 group probe: the server asked for x25519, which was not offered',
      supported: [{ name: 'x25519', versions: ['TLSv1.3'] }],
      serverPreference: null,
    });
    expect(facts.pq).toMatchObject({ status: 'error', hybrid: false });
    expect(facts.connections).toBe(2);
  });

  it('a refusal of the first hello, which offers every group, is an error and not an empty list', async () => {
    const srv = await serveScripted({ answer: (_h, s) => s.end(record(21, Buffer.from([2, 40]))) });
    const facts = await probe(srv.port, { versions: ['TLSv1.2', 'TLSv1.3'], dheSuites12: [], ecdheSuites12: [0xc02f] });
    expect(facts.groups).toEqual({
      status: 'error',
      reason:
        'TLSv1.3 group probe: the server refused a hello offering every group govscan knows (handshake_failure), though it accepted the version before; ' +
        'TLSv1.2 ECDHE group probe: the server refused a hello offering every group govscan knows (handshake_failure), though it accepted the version before',
      supported: [],
      serverPreference: null,
    });
    expect(facts.pq.status).toBe('error');
  });

  it('a reset after the first group counts as a refusal: the groups found stand', async () => {
    let n = 0;
    const srv = await serveScripted({ answer: (_h, s) => (n++ === 0 ? void s.write(hrr(0x0017)) : s.resetAndDestroy()) });
    const facts = await probe(srv.port, TLS13_ONLY);
    expect(facts.groups).toEqual({
      status: 'ok',
      supported: [{ code: 0x0017, name: 'secp256r1', kind: 'ecdhe', bits: 256, versions: ['TLSv1.3'] }],
      serverPreference: null,
    });
  });

  it('a silent server costs one timeout per scan, run side by side', async () => {
    const srv = await serveRaw({});
    const all: AcceptedForGroups = { versions: ['TLSv1.2', 'TLSv1.3'], dheSuites12: [0x009e], ecdheSuites12: [0xc02f] };
    const started = performance.now();
    const facts = await probe(srv.port, all, 300);
    expect(facts.groups).toMatchObject({ status: 'error', supported: [], serverPreference: null });
    expect(facts.groups.reason).toBe(
      'no answer to the TLSv1.3 group probe within 300 ms; no answer to the TLSv1.2 ECDHE group probe within 300 ms',
    );
    expect(facts.dh).toEqual({ status: 'error', reason: 'no answer to the TLSv1.2 DHE probe within 300 ms', bits: null, group: null });
    expect(facts.pq.status).toBe('error');
    // The TLS 1.3, ECDHE and DHE hellos: one each, then no more.
    expect(facts.connections).toBe(3);
    // Side by side, so about one timeout, not three; the margin is wide for a loaded machine.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('garbage after the ServerHello is an error of the DHE probe', async () => {
    const srv = await serveScripted({
      answer: (_h, s) =>
        void s.write(Buffer.concat([record(22, serverHello({ version: 0x0303, cipher: 0x009e })), Buffer.from('garbage!')])),
    });
    const facts = await probe(srv.port, DHE_ONLY);
    expect(facts.dh).toEqual({
      status: 'error',
      reason: 'TLSv1.2 DHE probe: bytes starting 67617262 after the ServerHello',
      bits: null,
      group: null,
    });
  });

  it('a TLS 1.2 suite list cut short leaves a missing kind of suite unknown, not absent', async () => {
    const srv = await serveRaw({});
    const facts = await probe(srv.port, {
      versions: ['TLSv1.2'],
      dheSuites12: [],
      ecdheSuites12: [],
      suites12Error: 'no answer within 300 ms',
    });
    expect(facts.groups).toMatchObject({
      status: 'error',
      reason: 'whether TLS 1.2 accepts ECDHE suites is not known: no answer within 300 ms',
    });
    expect(facts.dh).toMatchObject({ status: 'error', reason: 'whether TLS 1.2 accepts DHE suites is not known: no answer within 300 ms' });
    expect(facts.connections).toBe(0);
  });

  it('stops when the signal aborts', async () => {
    const srv = await serveRaw({});
    const controller = new AbortController();
    const ctx = testContext({ anchors: [], timeoutMs: 30_000 });
    const pending = probeGroups(ep(srv.port), MODERN, (hello, reader, what) =>
      exchangeHello(ctx, ep(srv.port), hello, reader, what, controller.signal),
    );
    setTimeout(() => controller.abort(new Error('target deadline passed')), 50);
    const facts = await pending;
    expect(facts.groups).toMatchObject({ status: 'error', reason: expect.stringContaining('target deadline passed') });
  });
});
