// One GET of a page over a chosen address, for the v4/v6 comparison. The certificate is not verified
// (TLS is the tls family's business; here only "is it the same site" matters), redirects are followed
// only on the same host and scheme, and at most 500 kB of body is read.

import { connect as tlsConnect, createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import { gunzipSync, inflateSync, brotliDecompressSync } from 'node:zlib';
import type { CheckContext, NetworkEnvironment } from '../../src/core/types.js';
import type { AddressFacts, PageFacts } from './facts.js';
import { assertDialable, dialPort } from './network.js';
import { errorText } from './probe-common.js';

const MAX_BODY = 500 * 1024;
const MAX_REDIRECTS = 3;

export interface Page {
  facts: PageFacts;
  body: string;
}

interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: Buffer;
  truncated: boolean;
}

export interface PageRequest {
  host: string;
  address: AddressFacts;
  port: number;
  scheme: 'http' | 'https';
  path: string;
}

/**
 * GET one page. `connected` is a socket already open to the address and port (the connect that found
 * the port open), used for the first request; redirects dial anew.
 */
export async function fetchPage(ctx: CheckContext, env: NetworkEnvironment, req: PageRequest, connected?: Socket): Promise<Page> {
  const base: PageFacts = {
    status: 'error',
    reason: null,
    address: req.address.address,
    httpStatus: null,
    bytes: 0,
    truncated: false,
    location: null,
    redirects: 0,
  };
  let path = req.path;
  let socket = connected;
  try {
    for (let redirects = 0; ; redirects++) {
      const first = socket;
      socket = undefined;
      const res = await getOnce(ctx, env, { ...req, path }, first);
      const location = res.headers.get('location') ?? null;
      if (res.status >= 300 && res.status < 400 && location && redirects < MAX_REDIRECTS) {
        const next = sameHostPath(location, req, path);
        if (next !== null) {
          path = next;
          continue;
        }
      }
      const body = decode(res);
      return {
        facts: {
          ...base,
          status: 'ok',
          httpStatus: res.status,
          bytes: res.body.length,
          truncated: res.truncated,
          location: res.status >= 300 && res.status < 400 ? location : null,
          redirects,
        },
        body: res.status >= 300 && res.status < 400 ? `${res.status} ${location ?? ''}` : body,
      };
    }
  } catch (err) {
    return { facts: { ...base, reason: errorText(err) }, body: '' };
  }
}

function sameHostPath(location: string, req: { host: string; port: number; scheme: string }, current: string): string | null {
  let url: URL;
  try {
    url = new URL(location, `${req.scheme}://${req.host}${current}`);
  } catch {
    return null;
  }
  const defaultPort = req.scheme === 'https' ? 443 : 80;
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  if (url.protocol !== `${req.scheme}:` || url.hostname.toLowerCase() !== req.host || port !== (req.port || defaultPort)) return null;
  return `${url.pathname}${url.search}`;
}

function decode(res: RawResponse): string {
  // A truncated compressed body cannot be inflated; compare what can be read as text.
  try {
    const enc = res.headers.get('content-encoding')?.toLowerCase();
    if (!res.truncated && enc === 'gzip') return gunzipSync(res.body).toString('utf8');
    if (!res.truncated && enc === 'deflate') return inflateSync(res.body).toString('utf8');
    if (!res.truncated && enc === 'br') return brotliDecompressSync(res.body).toString('utf8');
  } catch {
    // fall through: compare the raw bytes
  }
  return res.body.toString('utf8');
}

/** One request on `connected` (closed afterwards, whatever happens) or on a new connection. */
async function getOnce(ctx: CheckContext, env: NetworkEnvironment, req: PageRequest, connected: Socket | undefined): Promise<RawResponse> {
  try {
    assertDialable(env, req.address);
  } catch (err) {
    connected?.destroy();
    throw err;
  }
  const raw =
    connected ??
    (await ctx.dialer.connect({
      address: req.address.address,
      port: dialPort(env, req.host, req.port),
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
    }));
  let socket: Socket | TLSSocket = raw;
  try {
    if (req.scheme === 'https') socket = await startTls(raw, req.host, ctx.timeoutMs);
    const hostHeader = req.port === (req.scheme === 'https' ? 443 : 80) ? req.host : `${req.host}:${req.port}`;
    const request =
      `GET ${req.path} HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: ${ctx.userAgent.replace(/[\r\n]/g, ' ')}\r\n` +
      'Accept: text/html,*/*\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n';
    return await readResponse(socket, request, ctx);
  } finally {
    socket.destroy();
    raw.destroy();
  }
}

let clientContext: SecureContext | undefined;
/**
 * One client context for every fetch: without it tls.connect builds a fresh one per handshake, which was
 * 7 % of a 1,000-domain scan's CPU. It carries no per-target state (no trust store: nothing is verified;
 * no session: tls.connect resumes only when handed one).
 */
function sharedContext(): SecureContext {
  clientContext ??= createSecureContext();
  return clientContext;
}

function startTls(socket: Socket, servername: string, timeoutMs: number): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    // Not verified on purpose: the comparison must work for a site whose certificate is the problem.
    const tls = tlsConnect({ socket, servername, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'], secureContext: sharedContext() });
    const timer = setTimeout(() => fail(new Error(`TLS handshake timed out after ${timeoutMs} ms`)), timeoutMs);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      tls.destroy();
      reject(new Error(`TLS handshake failed: ${err.message}`));
    };
    tls.once('error', fail);
    tls.once('secureConnect', () => {
      clearTimeout(timer);
      tls.off('error', fail);
      tls.on('error', () => undefined);
      resolve(tls);
    });
  });
}

function readResponse(socket: Socket, request: string, ctx: CheckContext): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const limit = MAX_BODY + 64 * 1024;
    const timer = setTimeout(() => finish(size > 0 ? null : new Error(`no HTTP response within ${ctx.timeoutMs} ms`)), ctx.timeoutMs);
    const onAbort = (): void => finish(new Error('target deadline passed during the HTTP exchange'));
    const finish = (err: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      socket.off('data', onData);
      if (err) {
        reject(err);
        return;
      }
      try {
        resolve(parse(Buffer.concat(chunks, size)));
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) finish(null);
    };
    socket.on('data', onData);
    socket.once('end', () => finish(null));
    socket.once('close', () => finish(null));
    socket.once('error', (e) => finish(size > 0 ? null : e));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    socket.write(request);
  });
}

function parse(buf: Buffer): RawResponse {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0 || buf.subarray(0, 5).toString('latin1') !== 'HTTP/')
    throw new Error(buf.length ? 'reply is not an HTTP response' : 'server closed the connection without a response');
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(lines[0] ?? '')?.[1]);
  if (!Number.isInteger(status)) throw new Error('malformed HTTP status line');
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  let body = buf.subarray(end + 4);
  if (headers.get('transfer-encoding')?.toLowerCase().includes('chunked')) body = dechunk(body);
  const length = Number(headers.get('content-length'));
  if (Number.isInteger(length) && length >= 0 && body.length > length) body = body.subarray(0, length);
  const truncated = body.length > MAX_BODY;
  return { status, headers, body: truncated ? body.subarray(0, MAX_BODY) : body, truncated };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let pos = 0;
  while (pos < data.length) {
    const eol = data.indexOf('\r\n', pos);
    if (eol < 0) break;
    const len = parseInt(data.subarray(pos, eol).toString('latin1'), 16);
    if (!Number.isFinite(len) || len <= 0) break;
    parts.push(data.subarray(eol + 2, Math.min(data.length, eol + 2 + len)));
    pos = eol + 2 + len + 2;
  }
  return Buffer.concat(parts);
}
