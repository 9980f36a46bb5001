// A tiny TLS client for the lab tests: one handshake, everything the farm promises to show.

import tls from 'node:tls';
import https from 'node:https';
import { X509Certificate, verify } from 'node:crypto';
import * as pkijs from 'pkijs';

export interface Peer {
  address: string;
  port: number;
  host: string;
}

export type Handshake =
  | {
      ok: true;
      protocol: string | null;
      cipher: string;
      authorized: boolean;
      authorizationError: string | null;
      ocsp: Buffer | null;
      ephemeral: tls.EphemeralKeyInfo | object | null;
      leaf: X509Certificate;
      /** Certificates reachable from the leaf through issuer links, leaf first. */
      chain: X509Certificate[];
    }
  | { ok: false; error: string };

export function handshake(peer: Peer, opts: tls.ConnectionOptions & { timeoutMs?: number } = {}): Promise<Handshake> {
  const { timeoutMs = 3000, ...tlsOpts } = opts;
  return new Promise((resolve) => {
    let ocsp: Buffer | null = null;
    // tls.connect forwards requestOCSP to the TLSSocket; @types/node only lists it on TLSSocketOptions.
    const options: tls.ConnectionOptions & { requestOCSP?: boolean } = {
      host: peer.address,
      port: peer.port,
      servername: peer.host,
      rejectUnauthorized: false,
      requestOCSP: true,
      ...tlsOpts,
    };
    const socket = tls.connect(options);
    const done = (result: Handshake): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ ok: false, error: 'timeout' }), timeoutMs);
    socket.on('OCSPResponse', (response: Buffer) => {
      // Node passes null (despite its types) when the server staples nothing.
      ocsp = response?.length ? response : null;
    });
    socket.on('secureConnect', () => {
      // Before the chain: on Node 22 reading the peer chain empties the key-exchange details.
      const ephemeral = socket.getEphemeralKeyInfo();
      const chain: X509Certificate[] = [];
      let cert: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
      const seen = new Set<string>();
      while (cert?.raw && !seen.has(cert.fingerprint256)) {
        seen.add(cert.fingerprint256);
        chain.push(new X509Certificate(cert.raw));
        cert = cert.issuerCertificate;
      }
      const leaf = chain[0];
      if (!leaf) return done({ ok: false, error: 'no peer certificate' });
      done({
        ok: true,
        protocol: socket.getProtocol(),
        cipher: socket.getCipher().name,
        authorized: socket.authorized,
        authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
        ocsp,
        ephemeral,
        leaf,
        chain,
      });
    });
    socket.on('error', (err) => done({ ok: false, error: err.message }));
    socket.on('close', () => done({ ok: false, error: 'closed' }));
  });
}

export async function mustHandshake(
  peer: Peer,
  opts: tls.ConnectionOptions & { timeoutMs?: number } = {},
): Promise<Extract<Handshake, { ok: true }>> {
  const result = await handshake(peer, opts);
  if (!result.ok) throw new Error(`handshake with ${peer.host}:${peer.port} failed: ${result.error}`);
  return result;
}

export function httpsGet(peer: Peer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: peer.address,
        port: peer.port,
        servername: peer.host,
        headers: { host: `${peer.host}:${peer.port}` },
        path: '/',
        rejectUnauthorized: false,
        agent: false,
        timeout: 3000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

export interface OcspStatus {
  responseStatus: number;
  certStatus: 'good' | 'revoked' | 'unknown';
  signatureValid: boolean;
  thisUpdate: Date;
  nextUpdate: Date | undefined;
  /** Certificates the responder included (a delegated responder's). */
  included: X509Certificate[];
}

/**
 * Parses a DER OCSPResponse with pkijs and checks it answers for `leaf` of `issuer`, signed by
 * `signer` (the issuer unless a delegated responder is expected).
 */
export async function readOcsp(
  der: Buffer,
  leaf: X509Certificate,
  issuer: X509Certificate,
  signer: X509Certificate = issuer,
): Promise<OcspStatus> {
  const response = pkijs.OCSPResponse.fromBER(new Uint8Array(der));
  const responseStatus = response.responseStatus.valueBlock.valueDec;
  if (!response.responseBytes) throw new Error(`OCSP response status ${responseStatus} carries no response`);
  const basic = pkijs.BasicOCSPResponse.fromBER(response.responseBytes.response.valueBlock.valueHexView);
  const pkLeaf = pkijs.Certificate.fromBER(new Uint8Array(leaf.raw));
  const pkIssuer = pkijs.Certificate.fromBER(new Uint8Array(issuer.raw));
  const status = await basic.getCertificateStatus(pkLeaf, pkIssuer);
  if (!status.isForCertificate) throw new Error('OCSP response is for another certificate');
  const signatureValid = verifyOcspSignature(basic, signer);
  const included = (basic.certs ?? []).map((c) => new X509Certificate(Buffer.from(c.toSchema(true).toBER(false))));
  const single = basic.tbsResponseData.responses[0];
  if (!single) throw new Error('OCSP response has no SingleResponse');
  const certStatus = (['good', 'revoked', 'unknown'] as const)[status.status];
  if (!certStatus) throw new Error(`unexpected OCSP status ${status.status}`);
  return { responseStatus, certStatus, signatureValid, thisUpdate: single.thisUpdate, nextUpdate: single.nextUpdate, included };
}

export function signatureOid(cert: X509Certificate): string {
  return pkijs.Certificate.fromBER(new Uint8Array(cert.raw)).signatureAlgorithm.algorithmId;
}

const SIGNATURE_HASHES: Record<string, string | null> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.3.101.112': null,
};

// pkijs only verifies responses that embed their signer's certificate; a CA signing its own
// responses embeds none, so check the signature against the issuer's key directly.
function verifyOcspSignature(basic: pkijs.BasicOCSPResponse, issuer: X509Certificate): boolean {
  const oid = basic.signatureAlgorithm.algorithmId;
  const hash = SIGNATURE_HASHES[oid];
  if (hash === undefined) throw new Error(`unexpected OCSP signature algorithm ${oid}`);
  return verify(hash, basic.tbsResponseData.tbsView, issuer.publicKey, basic.signature.valueBlock.valueHexView);
}
