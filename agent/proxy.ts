// The agent behind an agency's HTTP proxy: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case, the
// lower-case one first, as curl and undici read them) choose a proxy per server URL, and the
// connection to the server is a CONNECT tunnel through it. The tunnel is built inside node's own
// http(s) Agent (createConnection), so the request path, the extra trust anchors, the deadline and
// the capped answer stay those of http.ts and the small loop process loads no HTTP library.

import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type ClientRequestArgs } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions as HttpsRequestOptions } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { Duplex } from 'node:stream';

export type ProxyEnv = Readonly<Record<string, string | undefined>>;

/** The proxy to use for `target`, or null (none set, or NO_PROXY names the server). */
export function proxyFor(target: URL, env: ProxyEnv = process.env): URL | null {
  const pick = (...names: string[]): string | undefined => names.map((n) => env[n]?.trim()).find((v) => v);
  const http = pick('http_proxy', 'HTTP_PROXY');
  // As undici's EnvHttpProxyAgent: an https URL with no HTTPS proxy set goes through the HTTP one.
  const chosen = target.protocol === 'https:' ? (pick('https_proxy', 'HTTPS_PROXY') ?? http) : http;
  if (!chosen) return null;
  if (bypassed(target, pick('no_proxy', 'NO_PROXY') ?? '')) return null;
  // `proxy.example:3128` without a scheme means http://, as curl reads it.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(chosen) ? chosen : `http://${chosen}`;
  const proxy = URL.canParse(withScheme) ? new URL(withScheme) : null;
  if (!proxy || !/^https?:$/.test(proxy.protocol) || !proxy.hostname) throw new ProxySettingError(chosen);
  return proxy;
}

export class ProxySettingError extends Error {
  /** The setting as it may be shown: any user name and password cut off. */
  readonly value: string;
  constructor(setting: string) {
    super(`the proxy setting ${shown(setting)} is no http:// or https:// URL`);
    this.value = shown(setting);
  }
}

/** A proxy URL fit for a log line: scheme, host and port, never the user name or password. */
export function proxyOrigin(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

function shown(value: string): string {
  // A setting that does not parse may still hold a password: show only what precedes any '@'.
  const at = value.lastIndexOf('@');
  return at < 0 ? value : `…@${value.slice(at + 1)}`;
}

/**
 * NO_PROXY as curl and undici read it: entries split by commas or spaces; `*` bypasses every
 * server; an entry (with or without a leading `.` or `*.`) matches that host and its subdomains;
 * `host:port` only that port; IPv6 literals with or without brackets.
 */
export function bypassed(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.toLowerCase().split(/[\s,]+/)) {
    if (!raw) continue;
    if (raw === '*') return true;
    let entry = raw;
    let entryPort = '';
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) {
      entry = bracketed[1]!;
      entryPort = bracketed[2] ?? '';
    } else if (!isIP(entry)) {
      const m = /^(.*):(\d+)$/.exec(entry);
      if (m) {
        entry = m[1]!;
        entryPort = m[2]!;
      }
    }
    entry = entry.replace(/^\*?\./, '');
    if (entryPort && entryPort !== port) continue;
    if (host === entry || (!isIP(host) && host.endsWith(`.${entry}`))) return true;
  }
  return false;
}

type Callback = (err: Error | null, socket?: Duplex) => void;

/** Why a CONNECT failed, with the proxy named (never its credentials). */
class ProxyError extends Error {
  readonly code = 'EPROXY';
  constructor(message: string) {
    super(message);
  }
}

/**
 * Opens `host:port` through `proxy` with CONNECT; `then` gets the tunnel's socket. Returns the
 * CONNECT request so a pool closing meanwhile can cut it.
 */
function tunnel(proxy: URL, host: string, port: number, ca: ConnectionOptions['ca'], then: Callback): ClientRequest {
  const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const headers: Record<string, string> = { host: authority };
  if (proxy.username || proxy.password) {
    const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(user).toString('base64')}`;
  }
  const request = proxy.protocol === 'https:' ? httpsRequest : httpRequest;
  const req = request({
    host: proxy.hostname.replace(/^\[|\]$/g, ''),
    port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
    method: 'CONNECT',
    path: authority,
    headers,
    agent: false,
    ...(proxy.protocol === 'https:' && ca ? { ca } : {}),
  });
  let settled = false;
  const done = (err: Error | null, socket?: Duplex): void => {
    if (settled) return;
    settled = true;
    then(err, socket);
  };
  req.once('connect', (res, socket: Socket, head: Buffer) => {
    if (res.statusCode !== 200) {
      socket.destroy();
      done(new ProxyError(`proxy ${proxyOrigin(proxy)} answered CONNECT ${authority} with HTTP ${res.statusCode ?? 0}`));
      return;
    }
    // Bytes the proxy sent past its answer belong to the server's side of the tunnel.
    if (head.length) socket.unshift(head);
    done(null, socket);
  });
  req.once('response', (res) => {
    res.resume();
    done(new ProxyError(`proxy ${proxyOrigin(proxy)} answered CONNECT ${authority} with HTTP ${res.statusCode ?? 0}`));
  });
  req.once('error', (err: NodeJS.ErrnoException) =>
    done(Object.assign(new ProxyError(`proxy ${proxyOrigin(proxy)}: ${err.code ?? err.message}`), { cause: err })),
  );
  req.once('close', () => done(new ProxyError(`proxy ${proxyOrigin(proxy)} closed the connection before answering CONNECT ${authority}`)));
  req.end();
  return req;
}

type OnCreate = (err: Error | null, stream: Duplex) => void;

/** Node's pool takes a failure through the same callback, with no stream (its typings want one). */
function handOver(oncreate: OnCreate | undefined, err: Error | null, stream?: Duplex): void {
  if (!oncreate) return;
  if (err || !stream) oncreate(err ?? new ProxyError('no tunnel'), undefined as unknown as Duplex);
  else oncreate(null, stream);
}

/** CONNECT requests still opening, so that destroying a pool also ends the tunnels it asked for. */
class OpenTunnels {
  private readonly pending = new Set<ClientRequest>();

  constructor(private readonly proxy: URL) {}

  /** Opens a tunnel to the request's host and port; `then` gets the socket and the host (brackets removed). */
  open(
    options: { host?: string | null; port?: number | string | null },
    defaultPort: number,
    ca: ConnectionOptions['ca'],
    then: (err: Error | null, socket: Duplex | undefined, host: string) => void,
  ): void {
    const host = (options.host ?? 'localhost').replace(/^\[|\]$/g, '');
    const req = tunnel(this.proxy, host, Number(options.port ?? defaultPort), ca, (err, socket) => {
      this.pending.delete(req);
      then(err, socket, host);
    });
    this.pending.add(req);
  }

  destroyAll(): void {
    for (const req of this.pending) req.destroy();
    this.pending.clear();
  }
}

/** A pool whose connections to the server are tunnels through the proxy (TLS to the server inside it). */
export class HttpsTunnelAgent extends HttpsAgent {
  private readonly tunnels: OpenTunnels;

  constructor(proxy: URL, opts: ConstructorParameters<typeof HttpsAgent>[0]) {
    super(opts);
    this.tunnels = new OpenTunnels(proxy);
  }

  override createConnection(options: HttpsRequestOptions, callback?: OnCreate): undefined {
    this.tunnels.open(options, 443, this.options.ca, (err, socket, host) => {
      if (err || !socket) return handOver(callback, err);
      // The server's certificate is checked against the server's name, as without a proxy.
      const servername = options.servername || (isIP(host) ? undefined : host);
      const secure = tlsConnect({ ...(options as ConnectionOptions), socket, ...(servername ? { servername } : {}) });
      handOver(callback, null, secure);
    });
    return undefined;
  }

  override destroy(): void {
    this.tunnels.destroyAll();
    super.destroy();
  }
}

/** The same for a plain-HTTP server (a test or a loopback setup): the tunnel is the connection. */
export class HttpTunnelAgent extends HttpAgent {
  private readonly tunnels: OpenTunnels;

  constructor(proxy: URL, opts: ConstructorParameters<typeof HttpAgent>[0]) {
    super(opts);
    this.tunnels = new OpenTunnels(proxy);
  }

  override createConnection(options: ClientRequestArgs, callback?: OnCreate): undefined {
    this.tunnels.open(options, 80, undefined, (err, socket) => handOver(callback, err, socket));
    return undefined;
  }

  override destroy(): void {
    this.tunnels.destroyAll();
    super.destroy();
  }
}
