// The hand-built ClientHello and the reader of the server's first records, on bytes alone.

import { describe, expect, it } from 'vitest';
import { buildClientHello } from '../../../checks/tls/client-hello.js';
import { alertName, ServerHelloReader, type ServerAnswer } from '../../../checks/tls/server-hello.js';
import { cipherName, OFFERED } from '../../../checks/tls/cipher-suites.js';
import { judgeAnswer } from '../../../checks/tls/probe-hello.js';
import { TLS_VERSIONS } from '../../../checks/tls/facts.js';
import { parseClientHello, record, serverHello } from './hello-bytes.js';

describe('buildClientHello', () => {
  it('offers exactly the probed version', () => {
    for (const [version, legacy] of [
      ['TLSv1', 0x0301],
      ['TLSv1.1', 0x0302],
      ['TLSv1.2', 0x0303],
    ] as const) {
      const hello = parseClientHello(buildClientHello(version, 'portal.lab.test'));
      expect(hello.recordVersion).toBe(0x0301);
      expect(hello.legacyVersion).toBe(legacy);
      expect(hello.extensions.has(0x002b)).toBe(false);
      expect(hello.extensions.has(0x0033)).toBe(false);
      expect(hello.sessionId.length).toBe(0);
      expect(hello.compression).toEqual([0]);
    }
    const h13 = parseClientHello(buildClientHello('TLSv1.3', 'portal.lab.test'));
    expect(h13.recordVersion).toBe(0x0301);
    expect(h13.legacyVersion).toBe(0x0303);
    expect(h13.extensions.get(0x002b)?.toString('hex')).toBe('020304');
    // key_share: one x25519 entry of 32 bytes.
    const share = h13.extensions.get(0x0033);
    // An empty client_shares list: the server must answer with a HelloRetryRequest, doing no key exchange.
    expect(share?.toString('hex')).toBe('0000');
    expect(h13.extensions.get(0x002d)?.toString('hex')).toBe('0101');
    expect(h13.sessionId.length).toBe(32);
  });

  it('offers the suites of its version plus the renegotiation SCSV', () => {
    const h10 = parseClientHello(buildClientHello('TLSv1', null));
    expect(h10.suites).toContain(0xc013); // ECDHE-RSA-AES128-SHA
    expect(h10.suites).toContain(0xc009); // ECDHE-ECDSA-AES128-SHA
    expect(h10.suites).toContain(0x000a); // DES-CBC3-SHA
    expect(h10.suites).toContain(0x0033); // DHE-RSA-AES128-SHA
    expect(h10.suites).not.toContain(0xc02f); // GCM is TLS 1.2's
    expect(h10.suites.at(-1)).toBe(0x00ff);
    const h12 = parseClientHello(buildClientHello('TLSv1.2', null));
    expect(h12.suites.slice(0, 2)).toEqual([0xc02b, 0xc02f]);
    expect(h12.suites).toContain(0xcca8); // ECDHE-RSA-CHACHA20-POLY1305
    expect(h12.suites).toContain(0x009c); // AES128-GCM-SHA256 (RSA key exchange)
    expect(h12.suites).not.toContain(0x1301);
    const h13 = parseClientHello(buildClientHello('TLSv1.3', null));
    expect(h13.suites.slice(0, 3)).toEqual([0x1301, 0x1302, 0x1303]);
    expect(h13.suites).toContain(0xc02f);
    for (const v of TLS_VERSIONS) for (const s of OFFERED[v]) expect(cipherName(s.code)).toBe(s.openssl);
  });

  it('sends SNI for names only, and the extensions each version needs', () => {
    const named = parseClientHello(buildClientHello('TLSv1.2', 'portal.lab.test'));
    expect(named.serverName).toBe('portal.lab.test');
    expect(parseClientHello(buildClientHello('TLSv1.2', null)).serverName).toBeNull();
    for (const v of TLS_VERSIONS) {
      const h = parseClientHello(buildClientHello(v, 'a.lab.test'));
      expect(h.extensions.get(0x000a)?.toString('hex'), v).toBe('000a001d0017001800190100');
      expect(h.extensions.get(0x000b)?.toString('hex'), v).toBe('0100');
      expect(h.extensions.get(0xff01)?.toString('hex'), v).toBe('00');
      expect(h.extensions.get(0x0017)?.length, v).toBe(0);
      // signature_algorithms is a TLS 1.2 extension: not sent to 1.0/1.1 servers.
      expect(h.extensions.has(0x000d), v).toBe(v === 'TLSv1.2' || v === 'TLSv1.3');
      // WebSphere 7/8 refuse a hello whose last extension is empty.
      expect([...h.extensions.values()].at(-1)?.length, v).toBeGreaterThan(0);
    }
    const sigalgs = parseClientHello(buildClientHello('TLSv1.3', null)).extensions.get(0x000d)!;
    const schemes = Array.from({ length: sigalgs.readUInt16BE(0) / 2 }, (_, i) => sigalgs.readUInt16BE(2 + 2 * i));
    expect(schemes).toEqual(expect.arrayContaining([0x0804, 0x0403, 0x0807, 0x0401]));
  });

  it('never sends a hello of 256–511 bytes (F5 hang), padding past it', () => {
    for (const v of TLS_VERSIONS) {
      for (const name of [null, 'a.b', 'x'.repeat(40) + '.lab.test', 'y'.repeat(120) + '.lab.test', 'z'.repeat(250)]) {
        const bytes = buildClientHello(v, name);
        const handshakeLen = bytes.length - 5;
        expect(handshakeLen > 0xff && handshakeLen < 0x200, `${v} ${String(name)}: ${handshakeLen}`).toBe(false);
        parseClientHello(bytes); // still well-formed
      }
    }
  });

  it('offers the suites, groups, key shares and compression a probe asks for', () => {
    const h = parseClientHello(
      buildClientHello('TLSv1.2', 'a.lab.test', { suites: [0x0005, 0x000a], groups: [0x0017], compression: [1, 0] }),
    );
    expect(h.suites).toEqual([0x0005, 0x000a, 0x00ff]);
    expect(h.extensions.get(0x000a)?.toString('hex')).toBe('00020017');
    expect(h.compression).toEqual([1, 0]);
    expect(h.serverName).toBe('a.lab.test');
    const bare = parseClientHello(buildClientHello('TLSv1.2', null, { suites: [0xc02f], scsv: false, groups: [] }));
    expect(bare.suites).toEqual([0xc02f]);
    expect(bare.extensions.has(0x000a)).toBe(false);
    // TLS 1.3: one group, its key share entry, nothing else changes.
    const key = Buffer.alloc(32, 0xab);
    const h13 = parseClientHello(
      buildClientHello('TLSv1.3', null, { suites: [0x1303], groups: [0x001d], keyShares: [{ group: 0x001d, key }] }),
    );
    expect(h13.suites).toEqual([0x1303, 0x00ff]);
    expect(h13.extensions.get(0x0033)?.toString('hex')).toBe(`0024001d0020${key.toString('hex')}`);
    expect(h13.extensions.get(0x002b)?.toString('hex')).toBe('020304');
    // Without options a 1.3 hello still carries an empty key_share.
    expect(
      parseClientHello(buildClientHello('TLSv1.3', null, {}))
        .extensions.get(0x0033)
        ?.toString('hex'),
    ).toBe('0000');
  });

  it('builds an SSL 3.0 hello: version 0x0300 in record and body, no extensions', () => {
    const bytes = buildClientHello('SSLv3', 'a.lab.test', { suites: [0x000a, 0x0005] });
    expect(bytes.readUInt16BE(1)).toBe(0x0300);
    const hs = bytes.subarray(5);
    expect(hs[0]).toBe(1);
    expect(hs.readUIntBE(1, 3)).toBe(hs.length - 4);
    const body = hs.subarray(4);
    expect(body.readUInt16BE(0)).toBe(0x0300);
    expect(body[34]).toBe(0); // empty session id
    expect(body.readUInt16BE(35)).toBe(6);
    expect(body.subarray(37, 43).toString('hex')).toBe('000a000500ff');
    // Compression methods end the message: SSL 3.0 has no extensions block.
    expect(body.subarray(43).toString('hex')).toBe('0100');
  });

  it('uses fresh randoms', () => {
    const a = parseClientHello(buildClientHello('TLSv1.3', null));
    const b = parseClientHello(buildClientHello('TLSv1.3', null));
    expect(a.random.equals(b.random)).toBe(false);
    expect(a.sessionId.equals(b.sessionId)).toBe(false);
  });
});

function readAll(chunks: Buffer[], max?: number): { answer: ServerAnswer | null; reader: ServerHelloReader } {
  const reader = new ServerHelloReader(max);
  let answer: ServerAnswer | null = null;
  for (const c of chunks) {
    answer = reader.push(c);
    if (answer) break;
  }
  return { answer, reader };
}

const bytewise = (b: Buffer): Buffer[] => Array.from(b, (x) => Buffer.from([x]));

describe('ServerHelloReader', () => {
  const hello12 = serverHello({ version: 0x0303, cipher: 0xc02f });

  it('reads a ServerHello followed by more handshake messages in the same record', () => {
    const certificate = Buffer.concat([Buffer.from([11, 0, 0, 3]), Buffer.from([0, 0, 0])]);
    const done = Buffer.from([14, 0, 0, 0]);
    const { answer } = readAll([record(22, Buffer.concat([hello12, certificate, done]))]);
    expect(answer).toEqual({
      kind: 'server-hello',
      version: 0x0303,
      legacyVersion: 0x0303,
      cipher: 0xc02f,
      helloRetry: false,
      compression: 0,
      extensions: [0xff01],
      keyShareGroup: null,
    });
  });

  it('reads a ServerHello split across records and across reads', () => {
    const fragments = [hello12.subarray(0, 3), hello12.subarray(3, 40), hello12.subarray(40)];
    const wire = Buffer.concat(fragments.map((f) => record(22, f)));
    expect(readAll([wire]).answer).toMatchObject({ kind: 'server-hello', cipher: 0xc02f });
    const { answer, reader } = readAll(bytewise(wire));
    expect(answer).toMatchObject({ kind: 'server-hello', version: 0x0303 });
    expect(reader.received).toBe(wire.length);
  });

  it('takes the version from supported_versions and spots a HelloRetryRequest', () => {
    const sh13 = serverHello({ version: 0x0303, cipher: 0x1301, supportedVersion: 0x0304 });
    expect(readAll([record(22, sh13)]).answer).toMatchObject({
      kind: 'server-hello',
      version: 0x0304,
      legacyVersion: 0x0303,
      helloRetry: false,
    });
    const hrr = serverHello({ version: 0x0303, cipher: 0x1302, supportedVersion: 0x0304, helloRetry: true });
    expect(readAll([record(22, hrr)]).answer).toMatchObject({ kind: 'server-hello', version: 0x0304, helloRetry: true, cipher: 0x1302 });
  });

  it('skips warning alerts and HelloRequests before the ServerHello, stops at a fatal alert', () => {
    const warning = record(21, Buffer.from([1, 112])); // unrecognized_name, a warning
    const helloRequest = record(22, Buffer.from([0, 0, 0, 0]));
    expect(readAll([Buffer.concat([warning, helloRequest, record(22, hello12)])]).answer).toMatchObject({ kind: 'server-hello' });
    expect(readAll([record(21, Buffer.from([2, 70]))]).answer).toEqual({ kind: 'alert', level: 2, description: 70 });
    expect(readAll([record(21, Buffer.from([1, 0]))]).answer).toEqual({ kind: 'alert', level: 1, description: 0 });
    expect(alertName(70)).toBe('protocol_version');
  });

  it('reports compression, the extensions present and the key_share group', () => {
    const deflate = serverHello({ version: 0x0301, cipher: 0x0005, compression: 1, renegotiationInfo: false, extendedMasterSecret: true });
    expect(readAll([record(22, deflate)]).answer).toMatchObject({ compression: 1, extensions: [0x0017], keyShareGroup: null });
    const bare = serverHello({ version: 0x0300, cipher: 0x000a, noExtensions: true });
    expect(readAll([record(22, bare, 0x0300)]).answer).toMatchObject({
      kind: 'server-hello',
      version: 0x0300,
      compression: 0,
      extensions: [],
    });
    // HelloRetryRequest: key_share holds the selected group alone.
    const hrr = serverHello({ version: 0x0303, cipher: 0x1301, supportedVersion: 0x0304, helloRetry: true, keyShareGroup: 0x11ec });
    expect(readAll([record(22, hrr)]).answer).toMatchObject({
      helloRetry: true,
      keyShareGroup: 0x11ec,
      extensions: [0xff01, 0x002b, 0x0033],
    });
    const sh13 = serverHello({ version: 0x0303, cipher: 0x1301, supportedVersion: 0x0304, keyShareGroup: 0x001d });
    expect(readAll([record(22, sh13)]).answer).toMatchObject({ helloRetry: false, keyShareGroup: 0x001d });
    // A HelloRetryRequest whose key_share is a whole entry is malformed.
    const badHrr = Buffer.from(sh13);
    hrr.copy(badHrr, 6, 6, 38); // the HelloRetryRequest random on a ServerHello carrying a full key share
    expect(readAll([record(22, badHrr)]).answer).toMatchObject({ kind: 'malformed', detail: expect.stringContaining('key_share') });
  });

  it('keeps what followed the ServerHello for a reader of later messages', () => {
    const certificate = Buffer.from([11, 0, 0, 3, 0, 0, 0]);
    const keyExchangeHead = Buffer.from([12, 0, 0, 9, 3]);
    const next = record(22, Buffer.from([14, 0, 0, 0]));
    const { reader } = readAll([Buffer.concat([record(22, Buffer.concat([hello12, certificate, keyExchangeHead])), next])]);
    const rest = reader.remainder();
    expect(rest.handshake.equals(Buffer.concat([certificate, keyExchangeHead]))).toBe(true);
    expect(rest.records.equals(next)).toBe(true);
  });

  it('waits for a whole record', () => {
    const wire = record(22, hello12);
    expect(readAll([wire.subarray(0, wire.length - 1)]).answer).toBeNull();
  });

  it('calls HTTP, SSLv2 and random bytes "not TLS"', () => {
    const http = readAll([Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')]).answer;
    expect(http).toEqual({ kind: 'not-tls', detail: 'an HTTP reply' });
    // SSLv2 SERVER-HELLO: 2-byte header with the top bit set, then message type 4.
    const sslv2 = readAll([Buffer.from([0x80, 0x2e, 0x04, 0x00, 0x01, 0x00, 0x02])]).answer;
    expect(sslv2).toEqual({ kind: 'not-tls', detail: 'an SSLv2 reply' });
    expect(readAll([Buffer.from('220 smtp ready\r\n')]).answer).toMatchObject({
      kind: 'not-tls',
      detail: expect.stringContaining('220 smtp'),
    });
    expect(readAll([Buffer.from([0x16, 0x07, 0x01])]).answer).toMatchObject({ kind: 'not-tls' });
    expect(readAll([Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff])]).answer).toMatchObject({
      kind: 'not-tls',
      detail: expect.stringContaining('record length'),
    });
  });

  it('rejects what is TLS-shaped but not an answer to a ClientHello', () => {
    expect(readAll([record(20, Buffer.from([1]))]).answer).toMatchObject({
      kind: 'malformed',
      detail: expect.stringContaining('ChangeCipherSpec'),
    });
    expect(readAll([record(22, Buffer.from([11, 0, 0, 0]))]).answer).toMatchObject({
      kind: 'malformed',
      detail: expect.stringContaining('type 11'),
    });
    expect(readAll([record(22, Buffer.from([2, 0, 0, 4, 3, 3, 0, 0]))]).answer).toMatchObject({
      kind: 'malformed',
      detail: expect.stringContaining('too short'),
    });
    const badExt = Buffer.from(hello12);
    badExt.writeUInt16BE(0x0fff, 4 + 70); // extensions length beyond the message
    expect(readAll([record(22, badExt)]).answer).toMatchObject({ kind: 'malformed', detail: expect.stringContaining('overrun') });
  });

  it('gives up after the byte cap', () => {
    const warnings = Buffer.concat(Array.from({ length: 2000 }, () => record(21, Buffer.from([1, 112]))));
    const { answer, reader } = readAll(bytewise(warnings), 1024);
    expect(answer).toMatchObject({ kind: 'malformed', detail: 'no ServerHello in the first 1024 bytes' });
    expect(reader.received).toBe(1024);
    // A handshake message longer than the cap is refused on its header, before its body arrives.
    expect(readAll([record(22, Buffer.from([2, 0x01, 0x00, 0x00]))], 1024).answer).toMatchObject({ kind: 'malformed' });
  });
});

describe('judgeAnswer', () => {
  const sh = (version: number, extra: Partial<Extract<ServerAnswer, { kind: 'server-hello' }>> = {}): ServerAnswer => ({
    kind: 'server-hello',
    version,
    legacyVersion: Math.min(version, 0x0303),
    cipher: 0xc013,
    helloRetry: false,
    compression: 0,
    extensions: [],
    keyShareGroup: null,
    ...extra,
  });

  it('accepts only the probed version', () => {
    expect(judgeAnswer(sh(0x0301), 'TLSv1')).toEqual({ status: 'ok', accepted: true, cipher: 'ECDHE-RSA-AES128-SHA' });
    expect(judgeAnswer(sh(0x0301), 'TLSv1.1')).toMatchObject({
      status: 'ok',
      accepted: false,
      reason: expect.stringContaining('chose TLSv1 '),
    });
    expect(judgeAnswer(sh(0x0300), 'TLSv1')).toMatchObject({ status: 'ok', accepted: false, reason: expect.stringContaining('SSLv3') });
    // A server that answers a 1.2 hello with 1.3 (supported_versions we never sent) does not take 1.2.
    expect(judgeAnswer(sh(0x0304, { cipher: 0x1301 }), 'TLSv1.2')).toMatchObject({ status: 'ok', accepted: false });
    expect(judgeAnswer(sh(0x0303, { cipher: 0xc02f }), 'TLSv1.3')).toMatchObject({
      status: 'ok',
      accepted: false,
      reason: expect.stringContaining('TLSv1.2'),
    });
    expect(judgeAnswer(sh(0x0304, { cipher: 0x1302 }), 'TLSv1.3')).toEqual({
      status: 'ok',
      accepted: true,
      cipher: 'TLS_AES_256_GCM_SHA384',
    });
    expect(judgeAnswer(sh(0x0304, { cipher: 0x1303, helloRetry: true }), 'TLSv1.3')).toEqual({
      status: 'ok',
      accepted: true,
      cipher: 'TLS_CHACHA20_POLY1305_SHA256',
    });
    // A suite outside the catalogue is named by its code; one OpenSSL never had by its IANA name.
    expect(judgeAnswer(sh(0x0303, { cipher: 0x0a0a }), 'TLSv1.2')).toMatchObject({ accepted: true, cipher: '0x0a0a' });
    expect(judgeAnswer(sh(0x0303, { cipher: 0xc07b }), 'TLSv1.2')).toMatchObject({ cipher: 'TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384' });
  });

  it('turns alerts into refusals and junk into errors', () => {
    expect(judgeAnswer({ kind: 'alert', level: 2, description: 70 }, 'TLSv1')).toEqual({
      status: 'ok',
      accepted: false,
      reason: 'server refused the TLSv1 ClientHello with fatal alert protocol_version (70)',
    });
    expect(judgeAnswer({ kind: 'not-tls', detail: 'an HTTP reply' }, 'TLSv1.2')).toEqual({
      status: 'error',
      reason: 'not TLS: the server answered the TLSv1.2 ClientHello with an HTTP reply',
    });
    expect(judgeAnswer({ kind: 'malformed', detail: 'truncated alert' }, 'TLSv1.2')).toEqual({
      status: 'error',
      reason: 'TLSv1.2 probe: truncated alert',
    });
  });
});
