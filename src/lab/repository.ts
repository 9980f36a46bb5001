// The farm's loopback "CA web site": AIA caIssuers downloads and an OCSP responder (RFC 6960 GET and
// POST), so a scanner that follows AIA or asks OCSP stays on this machine.

import http from 'node:http';
import { createHash } from 'node:crypto';
import * as pkijs from 'pkijs';
import type { IssuedCert } from './pki.js';
import { listen, urlHost, type SocketTracker } from './servers.js';

export interface Repository {
  url: string;
  caIssuersUrl(ca: IssuedCert): string;
  ocspUrl: string;
  addCa(ca: IssuedCert): void;
  addOcsp(cert: IssuedCert, response: Buffer): void;
  server: http.Server;
}

function caSlug(ca: IssuedCert): string {
  return createHash('sha256').update(ca.der).digest('hex').slice(0, 16);
}

const OCSP_UNAUTHORIZED = Buffer.from([0x30, 0x03, 0x0a, 0x01, 0x06]);
const OCSP_MALFORMED = Buffer.from([0x30, 0x03, 0x0a, 0x01, 0x01]);

function ocspAnswer(request: Buffer, responses: Map<string, Buffer>): Buffer {
  try {
    const parsed = pkijs.OCSPRequest.fromBER(new Uint8Array(request));
    const first = parsed.tbsRequest.requestList[0];
    if (!first) return OCSP_MALFORMED;
    const serial = Buffer.from(first.reqCert.serialNumber.valueBlock.valueHexView).toString('hex');
    return responses.get(serial) ?? OCSP_UNAUTHORIZED;
  } catch {
    return OCSP_MALFORMED;
  }
}

/** The loopback "CA web site": AIA caIssuers downloads and an OCSP responder (RFC 6960 GET and POST). */
export async function startRepository(address: string, tracker: SocketTracker): Promise<Repository> {
  const cas = new Map<string, Buffer>();
  const responses = new Map<string, Buffer>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const send = (status: number, type: string, body: Buffer | string): void => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    const caMatch = /^\/ca\/([0-9a-f]+)\.crt$/.exec(path);
    if (req.method === 'GET' && caMatch) {
      const der = cas.get(caMatch[1]!);
      return der ? send(200, 'application/pkix-cert', der) : send(404, 'text/plain', 'not found\n');
    }
    if (path.startsWith('/ocsp')) {
      if (req.method === 'GET') {
        const encoded = decodeURIComponent(path.slice('/ocsp/'.length));
        return send(200, 'application/ocsp-response', ocspAnswer(Buffer.from(encoded, 'base64'), responses));
      }
      if (req.method === 'POST') {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > 65_536) req.destroy();
          else chunks.push(chunk);
        });
        req.on('end', () => send(200, 'application/ocsp-response', ocspAnswer(Buffer.concat(chunks), responses)));
        return;
      }
    }
    send(404, 'text/plain', 'not found\n');
  });
  tracker.track(server);
  const port = await listen(server, address);
  const url = `http://${urlHost(address)}:${port}`;
  return {
    url,
    server,
    ocspUrl: `${url}/ocsp`,
    caIssuersUrl: (ca) => `${url}/ca/${caSlug(ca)}.crt`,
    addCa: (ca) => void cas.set(caSlug(ca), ca.der),
    addOcsp: (cert, response) =>
      void responses.set(Buffer.from(cert.x509?.serialNumber ?? cert.cert.serialNumber, 'hex').toString('hex'), response),
  };
}
