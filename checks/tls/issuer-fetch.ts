// AIA caIssuers downloads (RFC 5280 §4.2.2.1), as browsers complete a chain a server sent short.
// Every download goes through the scan's resolver and dialer — --resolve pins, the per-host limit and
// the network rule hold as for the probes themselves — and is bounded in bytes, time and redirects
// (none are followed). Answers are kept for the run: one missing intermediate is usually missing on
// many endpoints of the same agency, and a CA's web site should not see one download per endpoint.

import http from 'node:http';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { parseSignedData } from '../../src/pki/signed-data.js';
import type { CheckContext, IssuerDownload, IssuerSource } from '../../src/core/types.js';

/** Certificates and PKCS#7 bundles of a CA are a few KiB; a body larger than this is not one. */
export const MAX_ISSUER_BYTES = 64 * 1024;
/** Distinct URLs remembered per run; beyond it answers are fetched again (bounded memory). */
const MAX_CACHED = 512;

const unreachable = (reason: string): IssuerDownload => ({ ok: false, reason, settled: false });
const refused = (reason: string): IssuerDownload => ({ ok: false, reason, settled: true });

type FetchContext = Pick<CheckContext, 'resolver' | 'dialer' | 'timeoutMs' | 'signal' | 'userAgent'>;

/** Per-run cache of caIssuers downloads. */
export class IssuerFetcher implements IssuerSource {
  private readonly cache = new Map<string, Promise<IssuerDownload>>();

  /**
   * The certificates at `url`. The download itself is bounded by the per-connection timeout, not by
   * the asking target's deadline, so an endpoint that runs out of time does not spoil the answer for
   * the next one; the caller stops waiting when its own deadline passes.
   */
  fetch(url: string, ctx: FetchContext): Promise<IssuerDownload> {
    let pending = this.cache.get(url);
    if (!pending) {
      pending = download(url, ctx);
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(url, pending);
    }
    return untilAborted(pending, ctx.signal);
  }
}

function untilAborted(pending: Promise<IssuerDownload>, signal: AbortSignal): Promise<IssuerDownload> {
  if (signal.aborted) return Promise.resolve(unreachable('the target deadline passed'));
  return new Promise((resolve) => {
    const onAbort = (): void => resolve(unreachable('the target deadline passed'));
    signal.addEventListener('abort', onAbort, { once: true });
    void pending.then((r) => {
      signal.removeEventListener('abort', onAbort);
      resolve(r);
    });
  });
}

async function download(raw: string, ctx: FetchContext): Promise<IssuerDownload> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refused('not a URL');
  }
  // RFC 5280 §4.2.2.1: caIssuers over HTTP (LDAP aside); https could loop back into validation.
  if (url.protocol !== 'http:') return refused(`${url.protocol.replace(/:$/, '')} is not fetched (only http)`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : 80;
  const deadline = AbortSignal.timeout(ctx.timeoutMs);
  let address: string;
  try {
    const addresses = await ctx.resolver.resolve(host, port, deadline);
    const first = addresses[0];
    if (!first) return unreachable(`${host} has no address`);
    address = first.address;
  } catch (err) {
    return unreachable(`${host} could not be resolved: ${(err as Error).message}`);
  }
  return new Promise<IssuerDownload>((resolve) => {
    let settled = false;
    const finish = (r: IssuerDownload): void => {
      if (settled) return;
      settled = true;
      deadline.removeEventListener('abort', onTimeout);
      req.destroy();
      resolve(r);
    };
    const onTimeout = (): void => finish(unreachable(`no complete answer within ${ctx.timeoutMs} ms`));
    const req = http.request({
      method: 'GET',
      host: address,
      port,
      path: `${url.pathname}${url.search}`,
      headers: { host: isIP(host) === 6 ? `[${host}]${url.port ? `:${port}` : ''}` : url.host, 'user-agent': ctx.userAgent, accept: '*/*' },
      // The scan's dialer opens the connection: node:http never connects on its own.
      createConnection: (_opts, oncreate: (err: Error | null, socket: Duplex) => void) => {
        ctx.dialer.connect({ address, port, timeoutMs: ctx.timeoutMs, signal: deadline }).then(
          (socket) => oncreate(null, socket),
          (err: Error) => oncreate(err, undefined as unknown as Duplex),
        );
        return undefined;
      },
    });
    deadline.addEventListener('abort', onTimeout, { once: true });
    req.on('error', (err) => finish(unreachable(err.message)));
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return finish(refused(`HTTP ${res.statusCode ?? '?'}`));
      }
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > MAX_ISSUER_BYTES) return finish(refused(`the answer is larger than ${MAX_ISSUER_BYTES / 1024} KiB`));
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ISSUER_BYTES) return finish(refused(`the answer is larger than ${MAX_ISSUER_BYTES / 1024} KiB`));
        chunks.push(chunk);
      });
      res.on('error', (err) => finish(unreachable(err.message)));
      res.on('end', () => {
        const certificates = certificatesIn(Buffer.concat(chunks, size));
        finish(certificates.length ? { ok: true, certificates } : refused('the answer holds no certificate'));
      });
    });
    req.end();
  });
}

const PEM_BLOCK = /-----BEGIN (CERTIFICATE|PKCS7)-----([\s\S]*?)-----END \1-----/g;

/**
 * Certificates in a caIssuers answer: one DER certificate (application/pkix-cert), a certs-only
 * PKCS#7 bundle (application/pkcs7-mime), or the PEM form of either that some CAs serve. Whether a
 * certificate is well formed is path building's business; here it only has to be a DER SEQUENCE.
 */
export function certificatesIn(body: Buffer): Buffer[] {
  const text = body.subarray(0, 11).toString('latin1');
  if (text === '-----BEGIN ') {
    const out: Buffer[] = [];
    for (const m of body.toString('latin1').matchAll(PEM_BLOCK)) {
      const der = Buffer.from((m[2] ?? '').replace(/\s+/g, ''), 'base64');
      out.push(...(m[1] === 'PKCS7' ? bundle(der) : [der]));
    }
    return out;
  }
  if (body[0] !== 0x30) return [];
  const inBundle = bundle(body);
  return inBundle.length ? inBundle : [body];
}

function bundle(der: Buffer): Buffer[] {
  try {
    return parseSignedData(der, 'none').certificates;
  } catch {
    return [];
  }
}
