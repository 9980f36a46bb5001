// One POST over HTTP or HTTPS with node's own client (no dependency to load in the small loop
// process), extra trust anchors for the server, a deadline and a capped answer.

import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { InputError } from '../src/core/errors.js';
import { format } from '../src/core/i18n/index.js';
import type { AgentLog } from './log.js';
import { AGENT_MESSAGES as M } from './messages.js';
import { HttpsTunnelAgent, HttpTunnelAgent, proxyFor, proxyOrigin, ProxySettingError, type ProxyEnv } from './proxy.js';

export interface HttpAnswer {
  status: number;
  text: string;
  retryAfter: string | undefined;
  /** The media type alone (`text/html`), lower-case; '' when the answer names none. */
  contentType: string;
}

const MAX_ANSWER_BYTES = 64 * 1024;

/** Proxies already named in the log: a resident loop says it once, not at every drain. */
const announced = new Set<string>();

/**
 * A connection pool for one server; `ca` adds PEM anchors to the public roots (never replaces
 * them). Through the proxy that HTTPS_PROXY/HTTP_PROXY/NO_PROXY choose for this server, if any.
 */
export function agentFor(
  url: URL,
  ca: readonly string[] = [],
  keepAlive = false,
  log?: AgentLog,
  env: ProxyEnv = process.env,
): HttpAgent | HttpsAgent {
  let proxy: URL | null;
  try {
    proxy = proxyFor(url, env);
  } catch (err) {
    if (err instanceof ProxySettingError)
      throw InputError.unlocated({ en: format(M.badProxy.en, { value: err.value }), vi: format(M.badProxy.vi, { value: err.value }) });
    throw err;
  }
  const opts = { keepAlive, maxSockets: 1 };
  if (proxy && log) {
    const key = `${url.origin} ${proxyOrigin(proxy)}`;
    if (!announced.has(key)) {
      announced.add(key);
      log.info(M.viaProxy, { server: url.origin, proxy: proxyOrigin(proxy) });
    }
  }
  if (url.protocol !== 'https:') return proxy ? new HttpTunnelAgent(proxy, opts) : new HttpAgent(opts);
  const tls = { ...opts, ...(ca.length ? { ca: [...rootCertificates, ...ca] } : {}) };
  return proxy ? new HttpsTunnelAgent(proxy, tls) : new HttpsAgent(tls);
}

export function post(
  url: URL,
  body: Buffer,
  opts: { agent: HttpAgent | HttpsAgent; headers: Record<string, string>; signal: AbortSignal },
): Promise<HttpAnswer> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent: opts.agent,
      signal: opts.signal,
      headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...opts.headers },
    });
    req.on('response', (res) => {
      readCapped(res, opts.signal).then(
        (text) =>
          resolve({
            status: res.statusCode ?? 0,
            text,
            retryAfter: headerValue(res.headers['retry-after']),
            contentType: (res.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '',
          }),
        reject,
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function readCapped(res: IncomingMessage, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onAbort = (): void => {
      res.destroy();
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_ANSWER_BYTES) chunks.push(c);
    });
    res.on('end', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    res.on('error', (e) => {
      signal.removeEventListener('abort', onAbort);
      reject(e);
    });
  });
}

/** A network error as a short reason: the code (ECONNREFUSED…) and what it says. */
export function describeError(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  if (e?.code) return e.message && !e.message.includes(e.code) ? `${e.code} ${e.message}` : e.message || e.code;
  return e instanceof Error ? e.message : String(err);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
