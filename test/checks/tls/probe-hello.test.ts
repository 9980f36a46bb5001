// The ClientHello version probes against real Node (OpenSSL) TLS servers and scripted TCP servers on
// loopback, with node:tls handshakes as the oracle for "accepts this version".

import { beforeAll, afterEach, describe, expect, it } from 'vitest';
import tls from 'node:tls';
import { issueCertificate, type IssuedCert } from '../../../src/lab/pki.js';
import { probeVersionHello } from '../../../checks/tls/probe-hello.js';
import { TLS_VERSIONS, type ProtocolProbe, type TlsVersion } from '../../../checks/tls/facts.js';
import type { TlsEndpoint } from '../../../checks/tls/probe-handshake.js';
import { closeAll, serveRaw, serveScripted, serveTls, testContext } from './farm.js';
import { parseClientHello, record, serverHello } from './hello-bytes.js';

const HOST = 'hello.lab.test';
let rsa: IssuedCert;
let ecdsa: IssuedCert;

beforeAll(async () => {
  rsa = await issueCertificate({ subjectCN: HOST, sans: { dns: [HOST] }, key: { type: 'rsa' } });
  ecdsa = await issueCertificate({ subjectCN: HOST, sans: { dns: [HOST] }, key: { type: 'ec' } });
});

afterEach(closeAll);

const LEGACY: tls.TlsOptions = { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' };

function ep(port: number, servername: string | null = HOST, address = '127.0.0.1'): TlsEndpoint {
  return { address, port, servername };
}

async function probeAll(port: number, timeoutMs = 2_000): Promise<Record<TlsVersion, ProtocolProbe>> {
  const ctx = testContext({ anchors: [], timeoutMs });
  const signal = new AbortController().signal;
  const results = await Promise.all(TLS_VERSIONS.map((v) => probeVersionHello(ctx, ep(port), v, signal)));
  expect(ctx.dials).toBe(TLS_VERSIONS.length);
  return Object.fromEntries(TLS_VERSIONS.map((v, i) => [v, results[i]])) as Record<TlsVersion, ProtocolProbe>;
}

const accepted = (r: Record<TlsVersion, ProtocolProbe>): Record<TlsVersion, boolean | undefined> =>
  Object.fromEntries(TLS_VERSIONS.map((v) => [v, r[v].accepted])) as Record<TlsVersion, boolean | undefined>;

/** What a node:tls client limited to `version` concludes: the oracle the hello probe must agree with. */
function nodeAccepts(port: number, version: TlsVersion): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tls.connect({
      host: '127.0.0.1',
      port,
      servername: HOST,
      minVersion: version,
      maxVersion: version,
      ciphers: 'ALL:@SECLEVEL=0',
      rejectUnauthorized: false,
    });
    s.once('secureConnect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('ClientHello version probes against OpenSSL servers', () => {
  it('a server allowing TLS 1.0 at security level 0 accepts all four versions', async () => {
    const srv = await serveTls({ chain: [rsa], tls: LEGACY });
    const r = await probeAll(srv.port);
    for (const v of TLS_VERSIONS) expect(r[v], v).toMatchObject({ status: 'ok', accepted: true });
    // OpenSSL picks by its own preference among the suites we offer; each is named, none by a bare code.
    expect(r.TLSv1.cipher).toMatch(/^ECDHE-RSA-AES(128|256)-SHA$/);
    expect(r['TLSv1.1'].cipher).toMatch(/^ECDHE-RSA-AES(128|256)-SHA$/);
    expect(r['TLSv1.2'].cipher).toMatch(/^ECDHE-RSA-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$/);
    expect(r['TLSv1.3'].cipher).toMatch(/^TLS_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)$/);
  });

  it('a TLS 1.2-only server refuses 1.3, 1.1 and 1.0', async () => {
    const srv = await serveTls({ chain: [rsa], tls: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' } });
    const r = await probeAll(srv.port);
    expect(accepted(r)).toEqual({ TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': false });
    for (const v of TLS_VERSIONS) expect(r[v].status).toBe('ok');
    expect(r.TLSv1.reason).toMatch(/alert protocol_version \(70\)/);
    // A server that knows TLS 1.3 reads only supported_versions, which names 1.3 alone.
    expect(r['TLSv1.3'].reason).toMatch(/alert protocol_version \(70\)/);
  });

  it('a TLS 1.3-only server accepts only 1.3', async () => {
    const srv = await serveTls({ chain: [rsa], tls: { minVersion: 'TLSv1.3' } });
    const r = await probeAll(srv.port);
    expect(accepted(r)).toEqual({ TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': false, 'TLSv1.3': true });
    expect(r['TLSv1.2']).toMatchObject({ status: 'ok', reason: expect.stringMatching(/alert protocol_version/) });
  });

  it('a TLS 1.3 server without x25519 answers with a HelloRetryRequest, which counts', async () => {
    const srv = await serveTls({
      chain: [rsa],
      tls: { minVersion: 'TLSv1.3', ecdhCurve: 'P-384', ciphers: 'TLS_CHACHA20_POLY1305_SHA256' },
    });
    const r = await probeAll(srv.port);
    expect(r['TLSv1.3']).toEqual({ status: 'ok', accepted: true, cipher: 'TLS_CHACHA20_POLY1305_SHA256' });
  });

  it('an ECDSA-only server answers every probe', async () => {
    const srv = await serveTls({ chain: [ecdsa], tls: LEGACY });
    const r = await probeAll(srv.port);
    for (const v of TLS_VERSIONS) expect(r[v], v).toMatchObject({ status: 'ok', accepted: true });
    expect(r.TLSv1.cipher).toMatch(/^ECDHE-ECDSA-AES(128|256)-SHA$/);
    expect(r['TLSv1.2'].cipher).toMatch(/^ECDHE-ECDSA-/);
  });

  it('a server with RSA key exchange only still answers the 1.2 probe', async () => {
    const srv = await serveTls({ chain: [rsa], tls: { maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256:AES256-SHA256' } });
    const r = await probeAll(srv.port);
    expect(r['TLSv1.2']).toEqual({ status: 'ok', accepted: true, cipher: 'AES128-GCM-SHA256' });
    expect(r['TLSv1.3'].accepted).toBe(false);
  });

  it('agrees with node:tls handshakes on every server shape', async () => {
    const shapes: tls.TlsOptions[] = [
      LEGACY,
      { ...LEGACY, maxVersion: 'TLSv1.1' },
      { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.2', ciphers: 'DEFAULT@SECLEVEL=0' },
      { minVersion: 'TLSv1.2' },
      { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-CHACHA20-POLY1305' },
      { minVersion: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256' },
    ];
    for (const shape of shapes) {
      const srv = await serveTls({ chain: [rsa], tls: shape });
      const r = await probeAll(srv.port);
      const oracle = Object.fromEntries(await Promise.all(TLS_VERSIONS.map(async (v) => [v, await nodeAccepts(srv.port, v)] as const)));
      expect(accepted(r), JSON.stringify(shape)).toEqual(oracle);
    }
  });
});

describe('ClientHello version probes on what is not a willing TLS server', () => {
  it('a silent server is an error after the timeout', async () => {
    const srv = await serveRaw({});
    const started = performance.now();
    const r = await probeVersionHello(testContext({ anchors: [], timeoutMs: 300 }), ep(srv.port), 'TLSv1.2', new AbortController().signal);
    const ms = performance.now() - started;
    expect(r).toEqual({ status: 'error', reason: 'no answer to the TLSv1.2 ClientHello within 300 ms' });
    // It waited for the timeout and not for the socket's own (minutes): the margin is wide because
    // the test shares two cores with live servers.
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(10_000);
  });

  it('garbage, HTTP and SSLv2 replies are "not TLS"', async () => {
    const ctx = testContext({ anchors: [], timeoutMs: 2_000 });
    const signal = new AbortController().signal;
    const garbage = await serveRaw({ reply: Buffer.from('\xde\xad\xbe\xef garbage that is not a TLS record', 'latin1') });
    expect(await probeVersionHello(ctx, ep(garbage.port), 'TLSv1.2', signal)).toMatchObject({
      status: 'error',
      reason: expect.stringMatching(/^not TLS/),
    });
    const http = await serveScripted({ answer: (_h, s) => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n') });
    expect(await probeVersionHello(ctx, ep(http.port), 'TLSv1.3', signal)).toEqual({
      status: 'error',
      reason: 'not TLS: the server answered the TLSv1.3 ClientHello with an HTTP reply',
    });
    const sslv2 = await serveScripted({ answer: (_h, s) => s.write(Buffer.from([0x80, 0x2e, 0x04, 0x00, 0x01, 0x00, 0x02, 0x00])) });
    expect(await probeVersionHello(ctx, ep(sslv2.port), 'TLSv1', signal)).toMatchObject({
      status: 'error',
      reason: expect.stringMatching(/^not TLS.*SSLv2/),
    });
  });

  it('a server that hangs up or resets refuses the version', async () => {
    const ctx = testContext({ anchors: [], timeoutMs: 2_000 });
    const signal = new AbortController().signal;
    const closer = await serveScripted({ answer: (_h, s) => s.end() });
    expect(await probeVersionHello(ctx, ep(closer.port), 'TLSv1', signal)).toMatchObject({
      status: 'ok',
      accepted: false,
      reason: expect.stringMatching(/closed/),
    });
    const resetter = await serveScripted({ answer: (_h, s) => s.resetAndDestroy() });
    expect(await probeVersionHello(ctx, ep(resetter.port), 'TLSv1.1', signal)).toMatchObject({ status: 'ok', accepted: false });
  });

  it('reads a ServerHello dribbled in one-byte records over many writes', async () => {
    const hello = serverHello({ version: 0x0302, cipher: 0xc014 });
    const srv = await serveScripted({
      answer: (_h, s) => {
        const parts = [...hello].map((b) => record(22, Buffer.from([b]), 0x0302));
        let i = 0;
        const next = (): void => {
          if (i < parts.length && !s.destroyed) s.write(parts[i++]!, () => setImmediate(next));
        };
        next();
      },
    });
    const r = await probeVersionHello(testContext({ anchors: [] }), ep(srv.port), 'TLSv1.1', new AbortController().signal);
    expect(r).toEqual({ status: 'ok', accepted: true, cipher: 'ECDHE-RSA-AES256-SHA' });
  });

  it('stops reading after 64 KiB without a ServerHello', async () => {
    const warnings = Buffer.concat(Array.from({ length: 20_000 }, () => record(21, Buffer.from([1, 112]))));
    const srv = await serveScripted({ answer: (_h, s) => s.write(warnings) });
    const r = await probeVersionHello(testContext({ anchors: [] }), ep(srv.port), 'TLSv1.2', new AbortController().signal);
    expect(r).toEqual({ status: 'error', reason: 'TLSv1.2 probe: no ServerHello in the first 65536 bytes' });
  });

  it('sends SNI for a name and none for an IP literal, over IPv4 and IPv6', async () => {
    const alert = (_h: Buffer, s: import('node:net').Socket): void => void s.end(record(21, Buffer.from([2, 70])));
    const v4 = await serveScripted({ answer: alert });
    const v6 = await serveScripted({ host: '::1', answer: alert });
    const ctx = testContext({ anchors: [] });
    const signal = new AbortController().signal;
    await probeVersionHello(ctx, ep(v4.port), 'TLSv1.2', signal);
    await probeVersionHello(ctx, ep(v4.port, null), 'TLSv1.3', signal);
    expect(await probeVersionHello(ctx, ep(v6.port, null, '::1'), 'TLSv1', signal)).toMatchObject({ status: 'ok', accepted: false });
    expect(v4.hellos.map((h) => parseClientHello(h).serverName)).toEqual([HOST, null]);
    expect(parseClientHello(v6.hellos[0]!).legacyVersion).toBe(0x0301);
  });

  it('ends at once when the signal aborts, and reports a refused connect as an error', async () => {
    const srv = await serveRaw({});
    const controller = new AbortController();
    const pending = probeVersionHello(testContext({ anchors: [], timeoutMs: 30_000 }), ep(srv.port), 'TLSv1.3', controller.signal);
    setTimeout(() => controller.abort(new Error('target deadline passed')), 50);
    const started = performance.now();
    expect(await pending).toEqual({ status: 'error', reason: 'target deadline passed' });
    // Ended by the abort, far before the 30 s probe timeout.
    expect(performance.now() - started).toBeLessThan(10_000);

    const gone = await serveRaw({});
    const port = gone.port;
    await gone.close();
    expect(await probeVersionHello(testContext({ anchors: [] }), ep(port), 'TLSv1', new AbortController().signal)).toMatchObject({
      status: 'error',
    });
  });
});
