import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import http from 'node:http';
import tls from 'node:tls';
import { existsSync, readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import { SCENARIOS, startFarm, type Farm, type FarmEndpoint } from '../../src/lab/farm.js';
import { startPlainFarm } from '../../src/lab/bench-farm.js';
import { HSTS_VALUE } from '../../src/lab/servers.js';
import { issueCertificate, type IssuedCert } from '../../src/lab/pki.js';
import { handshake, httpsGet, mustHandshake, readOcsp, signatureOid, type Peer } from './tls-client.js';

const DAY = 86_400_000;

let farm: Farm;
let startMs: number;
/** A CA that signed nothing the farm serves: trusting only it makes a client show the chain as sent. */
let stranger: IssuedCert;

function ep(name: string): FarmEndpoint {
  const found = farm.endpoints.find((e) => e.scenario.name === name);
  if (!found) throw new Error(`no endpoint ${name}`);
  return found;
}

function asPeer(e: FarmEndpoint): Peer {
  return { address: e.address, port: e.port, host: e.host };
}

const publicOnly = (): tls.ConnectionOptions => ({ ca: [farm.publicRoot.certPem] });
const asSent = (): tls.ConnectionOptions => ({ ca: [stranger.certPem] });
const days = (a: string, b: string): number => (new Date(b).getTime() - new Date(a).getTime()) / DAY;

beforeAll(async () => {
  const t0 = performance.now();
  farm = await startFarm();
  startMs = performance.now() - t0;
  stranger = await issueCertificate({ subjectCN: 'Stranger CA', isCA: true, key: { type: 'ec' } });
}, 30_000);

afterAll(async () => {
  await farm?.close();
});

describe('scenario catalogue', () => {
  it('names every scenario once, under farm.test, with hostile ones expecting no rule', () => {
    const names = SCENARIOS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const s of SCENARIOS) {
      expect(s.hostname).toBe(`${s.name}.farm.test`);
      expect(s.description.length).toBeGreaterThan(0);
      if (s.hostile) expect(s.expectedRules).toEqual([]);
      for (const rule of s.expectedRules) expect(rule).toMatch(/^TLS-[A-Z0-9-]+$/);
    }
    expect(SCENARIOS.find((s) => s.name === 'no-forward-secrecy')?.expectedRules.sort()).toEqual([
      'TLS-CIPHER-INSUFFICIENT',
      'TLS-CIPHER-ORDER',
      'TLS-NO-FORWARD-SECRECY',
      'TLS-PQ-KEX-MISSING',
      'TLS-PROTO-NO-TLS13',
    ]);
  });

  it('starts one loopback endpoint per scenario on distinct ports', () => {
    // The start time is printed for the record; speed is the benchmarks' business, not a test's.
    console.info(`startFarm (${farm.endpoints.length} endpoints, cold): ${startMs.toFixed(0)} ms`);
    expect(farm.endpoints.map((e) => e.scenario.name)).toEqual(SCENARIOS.map((s) => s.name));
    expect(new Set(farm.endpoints.map((e) => e.port)).size).toBe(SCENARIOS.length);
    for (const e of farm.endpoints) {
      expect(e.address).toBe('127.0.0.1');
      expect(e.url).toBe(`https://${e.host}:${e.port}/`);
    }
  });

  it('writes the two roots as PEM files', () => {
    expect(new X509Certificate(readFileSync(farm.publicRootPemFile)).fingerprint256).toBe(farm.publicRoot.cert.fingerprint256);
    expect(new X509Certificate(readFileSync(farm.nationalRootPemFile)).fingerprint256).toBe(farm.nationalRoot.cert.fingerprint256);
    expect(farm.publicRoot.cert.subject).not.toBe(farm.nationalRoot.cert.subject);
  });

  it('rejects an unknown scenario name', async () => {
    await expect(startFarm({ scenarios: ['no-such-thing'] })).rejects.toThrow(/unknown farm scenario/);
  });
});

describe('baseline endpoints', () => {
  for (const name of ['good-rsa', 'good-ecdsa', 'good-ed25519']) {
    it(`${name}: trusted via the public root, hostname ok, TLS 1.2 + 1.3 with ECDHE, leaf + intermediate sent, OCSP stapled, HSTS`, async () => {
      const e = ep(name);
      for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
        const hs = await mustHandshake(asPeer(e), { ...publicOnly(), minVersion: version, maxVersion: version });
        expect(hs.protocol).toBe(version);
        expect(hs.authorized).toBe(true);
        expect(
          tls.checkServerIdentity(e.host, { subject: { CN: '' }, subjectaltname: hs.leaf.subjectAltName } as tls.PeerCertificate),
        ).toBeUndefined();
        if (version === 'TLSv1.2') expect(hs.cipher).toMatch(/^ECDHE-/);
        expectEphemeralEcdh(version, hs.ephemeral);
        expect(hs.ocsp).not.toBeNull();
      }
      for (const version of ['TLSv1', 'TLSv1.1'] as const) {
        const hs = await handshake(asPeer(e), { minVersion: version, maxVersion: version, ciphers: 'DEFAULT@SECLEVEL=0' });
        expect(hs.ok, version).toBe(false);
      }
      const sent = await mustHandshake(asPeer(e), asSent());
      expect(sent.chain).toHaveLength(2);
      const [leaf, intermediate] = sent.chain as [X509Certificate, X509Certificate];
      expect(leaf.checkIssued(intermediate)).toBe(true);
      expect(intermediate.checkIssued(farm.publicRoot.cert)).toBe(true);
      expect(leaf.subjectAltName).toBe(`DNS:${e.host}`);
      expect(leaf.keyUsage).toContain('1.3.6.1.5.5.7.3.1');
      expect(signatureOid(leaf)).toMatch(/^1\.2\.840\.113549\.1\.1\.11$|^1\.2\.840\.10045\.4\.3\.2$/);
      expect(Math.round(days(leaf.validFrom, leaf.validTo))).toBe(90);
      expect(Math.round(days(new Date().toISOString(), leaf.validTo))).toBe(80);
      const ocsp = await readOcsp(sent.ocsp!, leaf, intermediate);
      expect(ocsp).toMatchObject({ responseStatus: 0, certStatus: 'good', signatureValid: true });
      const res = await httpsGet(asPeer(e));
      expect(res.status).toBe(200);
      expect(res.headers['strict-transport-security']).toBe(HSTS_VALUE);
      expect(res.body).toContain(name);
    });
  }

  it('key types: RSA-2048, ECDSA P-256 leaf and intermediate, Ed25519', async () => {
    const rsa = await mustHandshake(asPeer(ep('good-rsa')), asSent());
    expect(rsa.leaf.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const ec = await mustHandshake(asPeer(ep('good-ecdsa')), asSent());
    expect(ec.chain.map((c) => c.publicKey.asymmetricKeyDetails?.namedCurve)).toEqual(['prime256v1', 'prime256v1']);
    const ed = await mustHandshake(asPeer(ep('good-ed25519')), asSent());
    expect(ed.leaf.publicKey.asymmetricKeyType).toBe('ed25519');
  });
});

describe('one defect per scenario', () => {
  it('expired / not-yet-valid / expiring-* / long-lifetime have the promised dates', async () => {
    const now = Date.now();
    const leafOf = async (name: string): Promise<X509Certificate> => (await mustHandshake(asPeer(ep(name)), publicOnly())).leaf;
    const toDays = (iso: string): number => Math.round((new Date(iso).getTime() - now) / DAY);
    const expired = await leafOf('expired');
    expect(toDays(expired.validTo)).toBe(-2);
    expect((await mustHandshake(asPeer(ep('expired')), publicOnly())).authorizationError).toBe('CERT_HAS_EXPIRED');
    const future = await leafOf('not-yet-valid');
    expect(toDays(future.validFrom)).toBe(5);
    expect(toDays((await leafOf('expiring-soon')).validTo)).toBe(20);
    expect(toDays((await leafOf('expiring-critical')).validTo)).toBe(3);
    const long = await leafOf('long-lifetime');
    expect(Math.round(days(long.validFrom, long.validTo))).toBe(800);
    expect(new Date(long.validFrom).getTime()).toBeLessThan(now);
    for (const name of ['expiring-soon', 'expiring-critical', 'long-lifetime']) {
      expect((await mustHandshake(asPeer(ep(name)), publicOnly())).authorized, name).toBe(true);
    }
  });

  it('wrong-host names another host; no-san has no SAN but CN = hostname', async () => {
    const wrong = await mustHandshake(asPeer(ep('wrong-host')), publicOnly());
    expect(wrong.authorizationError).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(wrong.leaf.subjectAltName).not.toContain('wrong-host.farm.test');
    expect(wrong.leaf.subject).not.toContain('wrong-host.farm.test');
    const noSan = await mustHandshake(asPeer(ep('no-san')), publicOnly());
    expect(noSan.leaf.subjectAltName).toBeUndefined();
    expect(noSan.leaf.subject).toBe('CN=no-san.farm.test');
    // With no SAN extension at all, Node (like the rule) falls back to the CN, so the name matches.
    expect(noSan.authorized).toBe(true);
  });

  it('untrusted-root sends its own root; national-root-only chains to the national root', async () => {
    const untrusted = await mustHandshake(asPeer(ep('untrusted-root')), asSent());
    expect(untrusted.chain).toHaveLength(3);
    const privateRoot = untrusted.chain[2]!;
    expect(privateRoot.checkIssued(privateRoot)).toBe(true);
    expect(privateRoot.fingerprint256).not.toBe(farm.publicRoot.cert.fingerprint256);
    expect(
      (await mustHandshake(asPeer(ep('untrusted-root')), { ca: [farm.publicRoot.certPem, farm.nationalRoot.certPem] })).authorized,
    ).toBe(false);

    const national = ep('national-root-only');
    expect((await mustHandshake(asPeer(national), publicOnly())).authorizationError).toBe('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    expect((await mustHandshake(asPeer(national), { ca: [farm.nationalRoot.certPem] })).authorized).toBe(true);
    expect((await mustHandshake(asPeer(national), asSent())).chain).toHaveLength(2);
  });

  it('incomplete-chain sends only the leaf; self-signed sends a leaf that signed itself', async () => {
    const incomplete = await mustHandshake(asPeer(ep('incomplete-chain')), asSent());
    expect(incomplete.chain).toHaveLength(1);
    expect((await mustHandshake(asPeer(ep('incomplete-chain')), publicOnly())).authorizationError).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    const self = await mustHandshake(asPeer(ep('self-signed')), publicOnly());
    expect(self.authorizationError).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(self.leaf.issuer).toBe(self.leaf.subject);
    expect(self.leaf.verify(self.leaf.publicKey)).toBe(true);
    expect(self.leaf.ca).toBe(false);
    expect(self.ocsp).not.toBeNull();
  });

  it('weak-key has RSA-1024; sha1-signature is signed with SHA-1 and still handshakes', async () => {
    const weak = await mustHandshake(asPeer(ep('weak-key')), publicOnly());
    expect(weak.leaf.publicKey.asymmetricKeyDetails?.modulusLength).toBe(1024);
    const sha1 = await mustHandshake(asPeer(ep('sha1-signature')), publicOnly());
    expect(signatureOid(sha1.leaf)).toBe('1.2.840.113549.1.1.5');
    expect(sha1.protocol).toBe('TLSv1.3');
  });

  it('legacy-protocols completes TLS 1.0 and 1.1 handshakes, still with ECDHE', async () => {
    for (const version of ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const) {
      const hs = await mustHandshake(asPeer(ep('legacy-protocols')), {
        ciphers: 'DEFAULT@SECLEVEL=0',
        minVersion: version,
        maxVersion: version,
      });
      expect(hs.protocol).toBe(version);
      expectEphemeralEcdh(version, hs.ephemeral);
    }
  });

  it('no-tls13 refuses 1.3 and speaks 1.2', async () => {
    const e = asPeer(ep('no-tls13'));
    expect((await handshake(e, { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' })).ok).toBe(false);
    expect((await mustHandshake(e)).protocol).toBe('TLSv1.2');
  });

  it('no-forward-secrecy negotiates RSA key exchange only, on TLS 1.2 only', async () => {
    const e = asPeer(ep('no-forward-secrecy'));
    const hs = await mustHandshake(e);
    expect(hs.protocol).toBe('TLSv1.2');
    // The server follows the client's order (GOOD_TLS): Node's client puts AES-256 first among static RSA suites.
    expect(hs.cipher).toBe('AES256-GCM-SHA384');
    expect(hs.ephemeral).toEqual({});
    expect((await handshake(e, { ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-SHA' })).ok).toBe(
      false,
    );
    expect((await handshake(e, { minVersion: 'TLSv1.3' })).ok).toBe(false);
  });

  it('no-hsts omits the header; no-ocsp-stapling staples nothing', async () => {
    const res = await httpsGet(asPeer(ep('no-hsts')));
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toBeUndefined();
    const hs = await mustHandshake(asPeer(ep('no-ocsp-stapling')), publicOnly());
    expect(hs.authorized).toBe(true);
    expect(hs.ocsp).toBeNull();
  });
});

describe('OCSP staples', () => {
  it('ocsp-delegated staples a response signed by a responder the intermediate certified for OCSPSigning', async () => {
    const hs = await mustHandshake(asPeer(ep('ocsp-delegated')), asSent());
    const [leaf, intermediate] = hs.chain as [X509Certificate, X509Certificate];
    const probe = await readOcsp(hs.ocsp!, leaf, intermediate);
    expect(probe.included).toHaveLength(1);
    const responder = probe.included[0]!;
    expect(probe.signatureValid).toBe(false);
    expect(await readOcsp(hs.ocsp!, leaf, intermediate, responder)).toMatchObject({ certStatus: 'good', signatureValid: true });
    expect(responder.checkIssued(intermediate)).toBe(true);
    expect(responder.verify(intermediate.publicKey)).toBe(true);
    expect(responder.keyUsage).toEqual(['1.3.6.1.5.5.7.3.9']);
    expect(responder.ca).toBe(false);
  });

  it("ocsp-forged staples 'revoked', naming the intermediate but signed with the server's own key", async () => {
    const hs = await mustHandshake(asPeer(ep('ocsp-forged')), asSent());
    const [leaf, intermediate] = hs.chain as [X509Certificate, X509Certificate];
    expect(await readOcsp(hs.ocsp!, leaf, intermediate)).toMatchObject({ certStatus: 'revoked', signatureValid: false, included: [] });
    expect((await readOcsp(hs.ocsp!, leaf, intermediate, leaf)).signatureValid).toBe(true);
  });

  it('ocsp-stale staples an issuer-signed response whose nextUpdate passed three days ago', async () => {
    const hs = await mustHandshake(asPeer(ep('ocsp-stale')), asSent());
    const [leaf, intermediate] = hs.chain as [X509Certificate, X509Certificate];
    const ocsp = await readOcsp(hs.ocsp!, leaf, intermediate);
    expect(ocsp).toMatchObject({ certStatus: 'good', signatureValid: true });
    expect(Math.round((Date.now() - ocsp.nextUpdate!.getTime()) / DAY)).toBe(3);
  });
});

describe('hostile endpoints', () => {
  it('silent accepts TCP and answers nothing within 500 ms', async () => {
    const e = ep('silent');
    const started = Date.now();
    const hs = await handshake(asPeer(e), { timeoutMs: 500 });
    expect(hs).toEqual({ ok: false, error: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(490);
  });

  it('garbage sends non-TLS bytes and keeps the socket open', async () => {
    const e = ep('garbage');
    const hs = await handshake(asPeer(e), { timeoutMs: 2000 });
    expect(hs.ok).toBe(false);
    expect(hs.ok ? '' : hs.error).not.toBe('timeout');
    const socket = net.connect(e.port, e.address);
    const chunks: Buffer[] = [];
    let ended = false;
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => (ended = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.destroy();
    const bytes = Buffer.concat(chunks);
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes[0]! < 20 || bytes[0]! > 24).toBe(true);
    expect(ended).toBe(false);
  });

  it('huge-chain sends 100 certificates that link up to the public root', async () => {
    const hs = await mustHandshake(asPeer(ep('huge-chain')), asSent());
    expect(hs.chain).toHaveLength(100);
    for (let i = 0; i + 1 < hs.chain.length; i++) expect(hs.chain[i]!.checkIssued(hs.chain[i + 1]!)).toBe(true);
    expect(hs.chain[99]!.checkIssued(farm.publicRoot.cert)).toBe(true);
    expect(hs.ocsp).not.toBeNull();
  });
});

describe('CA repository', () => {
  function get(url: string, body?: Buffer): Promise<{ status: number; type: string | undefined; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        { method: body ? 'POST' : 'GET', headers: body ? { 'content-type': 'application/ocsp-request' } : {} },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: Buffer.concat(chunks) }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('serves AIA caIssuers on loopback and answers OCSP requests for farm leaves', async () => {
    const hs = await mustHandshake(asPeer(ep('incomplete-chain')), asSent());
    const aia = hs.leaf.infoAccess ?? '';
    const caIssuers = /CA Issuers - URI:(\S+)/.exec(aia)?.[1];
    const ocspUrl = /OCSP - URI:(\S+)/.exec(aia)?.[1];
    expect(caIssuers).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(ocspUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const ca = await get(caIssuers!);
    expect(ca.status).toBe(200);
    const intermediate = new X509Certificate(ca.body);
    expect(hs.leaf.checkIssued(intermediate)).toBe(true);

    const request = new pkijs.OCSPRequest();
    await request.createForCertificate(pkijs.Certificate.fromBER(new Uint8Array(hs.leaf.raw)), {
      hashAlgorithm: 'SHA-1',
      issuerCertificate: pkijs.Certificate.fromBER(new Uint8Array(intermediate.raw)),
    });
    const answer = await get(ocspUrl!, Buffer.from(request.toSchema(true).toBER(false)));
    expect(answer.type).toBe('application/ocsp-response');
    expect(await readOcsp(answer.body, hs.leaf, intermediate)).toMatchObject({ certStatus: 'good', signatureValid: true });
    // The responder knows no-ocsp-stapling's leaf too: the server just does not staple it.
    const unstapled = await mustHandshake(asPeer(ep('no-ocsp-stapling')), asSent());
    const req2 = new pkijs.OCSPRequest();
    await req2.createForCertificate(pkijs.Certificate.fromBER(new Uint8Array(unstapled.leaf.raw)), {
      hashAlgorithm: 'SHA-1',
      issuerCertificate: pkijs.Certificate.fromBER(new Uint8Array(unstapled.chain[1]!.raw)),
    });
    const viaGet = await get(`${ocspUrl}/${encodeURIComponent(Buffer.from(req2.toSchema(true).toBER(false)).toString('base64'))}`);
    expect((await readOcsp(viaGet.body, unstapled.leaf, unstapled.chain[1]!)).certStatus).toBe('good');
  });
});

describe('lifecycle and options', () => {
  it('close() ends open connections, frees the ports and removes its temp files', async () => {
    const small = await startFarm({ scenarios: ['silent', 'good-rsa'] });
    const silent = small.endpoints[0]!;
    const hanging = net.connect(silent.port, silent.address);
    await new Promise((resolve) => hanging.once('connect', resolve));
    const closedByServer = new Promise((resolve) => hanging.once('close', resolve));
    // close() resolving only after the server ended the silent connection is the behaviour: a hung
    // client would hold close() (and this test) until the test timeout.
    await small.close();
    await closedByServer;
    expect(existsSync(small.publicRootPemFile)).toBe(false);
    const refused = await new Promise<string>((resolve) => {
      const s = net.connect(small.endpoints[1]!.port, '127.0.0.1');
      s.on('connect', () => {
        s.destroy();
        resolve('connected');
      });
      s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    await small.close();
  });

  it('dates follow opts.now', async () => {
    const now = new Date(Date.UTC(2030, 5, 15, 12));
    const small = await startFarm({ scenarios: ['expired', 'good-rsa'], now });
    try {
      const expired = await mustHandshake(asPeer(small.endpoints[0]!), asSent());
      expect(new Date(expired.leaf.validTo).getTime()).toBe(now.getTime() - 2 * DAY);
      const good = await mustHandshake(asPeer(small.endpoints[1]!), asSent());
      const ocsp = await readOcsp(good.ocsp!, good.leaf, good.chain[1]!);
      expect(ocsp.thisUpdate.getTime()).toBe(now.getTime() - 3_600_000);
    } finally {
      await small.close();
    }
  });

  it('listens on ::1 when asked', async () => {
    const small = await startFarm({ scenarios: ['good-ecdsa'], address: '::1' });
    try {
      const e = small.endpoints[0]!;
      expect(e.address).toBe('::1');
      const hs = await mustHandshake(asPeer(e), { ca: [small.publicRoot.certPem] });
      expect(hs.authorized).toBe(true);
    } finally {
      await small.close();
    }
  });
});

describe('startPlainFarm', () => {
  it('starts 200 good endpoints, all trusted via the public root', async () => {
    const t0 = performance.now();
    const bench = await startPlainFarm(200);
    const ms = performance.now() - t0;
    try {
      console.info(`startPlainFarm(200): ${ms.toFixed(0)} ms`);
      expect(bench.endpoints).toHaveLength(200);
      expect(new Set(bench.endpoints.map((e) => e.port)).size).toBe(200);
      expect(new Set(bench.endpoints.map((e) => e.host)).size).toBe(200);
      for (const e of [bench.endpoints[0]!, bench.endpoints[199]!]) {
        const hs = await mustHandshake(asPeer(e), { ca: [bench.publicRoot.certPem] });
        expect(hs.authorized).toBe(true);
        expect(hs.protocol).toBe('TLSv1.3');
        expect(hs.ocsp).not.toBeNull();
        expect((await httpsGet(asPeer(e))).headers['strict-transport-security']).toBe(HSTS_VALUE);
      }
    } finally {
      await bench.close();
    }
  }, 30_000);
});

/**
 * (EC)DHE below TLS 1.3. For TLS 1.3 Node's OpenSSL negotiates the hybrid X25519MLKEM768 group: Node 22
 * reports no key-exchange details ({}), Node 24 reports it as { type: 'TLSGroup', name: 'X25519MLKEM768' }.
 * All are ephemeral.
 */
function expectEphemeralEcdh(version: string, ephemeral: unknown): void {
  if (version === 'TLSv1.3' && ephemeral && Object.keys(ephemeral).length === 0) return;
  if (version === 'TLSv1.3' && (ephemeral as { type?: string } | null)?.type === 'TLSGroup') {
    expect(ephemeral).toMatchObject({ name: expect.stringMatching(/MLKEM|X25519|P-?256/i) });
    return;
  }
  expect(ephemeral).toMatchObject({ type: 'ECDH' });
}
