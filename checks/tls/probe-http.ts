// One HTTP request on the already-established main connection: HSTS costs no extra handshake.

import type { CheckContext, Target } from '../../src/core/types.js';
import type { HstsFacts } from './facts.js';
import { parseHsts, parseHttpHead } from './hsts.js';
import type { TlsConnection } from './probe-handshake.js';

const MAX_HEAD = 64 * 1024;

const EMPTY: Omit<HstsFacts, 'status'> = {
  httpStatus: null,
  present: false,
  header: null,
  maxAge: null,
  includeSubDomains: false,
  preload: false,
};

type ReadOutcome =
  | { kind: 'head'; head: string }
  | { kind: 'not-http' }
  | { kind: 'too-large' }
  | { kind: 'closed'; bytes: number }
  | { kind: 'timeout' };

/** Host header value: IPv6 literals bracketed, the port only when not 443. */
export function hostHeader(host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return port === 443 ? h : `${h}:${port}`;
}

export async function probeHsts(conn: TlsConnection, target: Target, ctx: CheckContext): Promise<HstsFacts> {
  // A bare host:port may run any protocol over TLS; only an HTTP answer makes HSTS meaningful there.
  const httpExpected = target.scheme === 'https';
  const notApplicable = (reason: string): HstsFacts => ({ status: 'not-applicable', reason, ...EMPTY });
  const error = (reason: string): HstsFacts => ({ status: 'error', reason, ...EMPTY });
  // Mail after STARTTLS: an HTTP request would be an SMTP protocol error, and HSTS means nothing there.
  if (target.scheme === 'smtp') return notApplicable('an SMTP endpoint: HSTS applies to HTTP only');

  const path = (target.path || '/').replace(/[\x00-\x20\x7f]/g, (c) => encodeURIComponent(c));
  const request =
    `GET ${path.startsWith('/') ? path : `/${path}`} HTTP/1.1\r\n` +
    `Host: ${hostHeader(target.host, target.port)}\r\n` +
    `User-Agent: ${ctx.userAgent.replace(/[\r\n]/g, ' ')}\r\n` +
    'Accept: */*\r\n' +
    'Connection: close\r\n\r\n';

  const outcome = await readHead(conn, request);
  switch (outcome.kind) {
    case 'head': {
      const head = parseHttpHead(outcome.head);
      if (!head) return httpExpected ? error('reply is not an HTTP response') : notApplicable('service does not speak HTTP');
      const values = head.headers.get('strict-transport-security') ?? [];
      // RFC 6797 §8.1: only the first STS header of a response is processed.
      const first = values[0] ?? null;
      const parsed = first === null ? null : parseHsts(first);
      return {
        status: 'ok',
        httpStatus: head.status,
        present: first !== null,
        header: first,
        maxAge: parsed?.maxAge ?? null,
        includeSubDomains: parsed?.includeSubDomains ?? false,
        preload: parsed?.preload ?? false,
      };
    }
    case 'not-http':
      return httpExpected ? error('reply is not an HTTP response') : notApplicable('service does not speak HTTP');
    case 'too-large':
      return error(`HTTP response headers exceed ${MAX_HEAD / 1024} KiB`);
    case 'closed':
      if (!httpExpected) return notApplicable('service closed the connection without an HTTP response');
      return error(
        outcome.bytes
          ? 'connection closed in the middle of the HTTP response headers'
          : 'server closed the connection without an HTTP response',
      );
    case 'timeout':
      if (!httpExpected) return notApplicable(`no HTTP response within ${ctx.timeoutMs} ms`);
      return error(`no complete HTTP response headers within ${ctx.timeoutMs} ms`);
  }
}

function readHead(conn: TlsConnection, request: string): Promise<ReadOutcome> {
  const { socket, signal } = conn;
  return new Promise<ReadOutcome>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (o: ReadOutcome): void => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      signal.removeEventListener('abort', onTimeout);
      resolve(o);
    };
    const onData = (chunk: Buffer): void => {
      // Where the blank line can start: three bytes back, in case it straddles chunks.
      const from = Math.max(0, size - 3);
      chunks.push(chunk);
      size += chunk.length;
      const buf = Buffer.concat(chunks, size);
      if (buf.length >= 5 && buf.subarray(0, 5).toString('latin1') !== 'HTTP/') {
        finish({ kind: 'not-http' });
        return;
      }
      const end = buf.indexOf('\r\n\r\n', from, 'latin1');
      if (end >= 0 && end <= MAX_HEAD) {
        finish({ kind: 'head', head: buf.subarray(0, end).toString('latin1') });
        return;
      }
      if (size > MAX_HEAD) {
        finish({ kind: 'too-large' });
        return;
      }
      chunks.length = 0;
      chunks.push(buf);
    };
    const onEnd = (): void => {
      if (size >= 5 || size === 0) {
        finish({ kind: 'closed', bytes: size });
        return;
      }
      const start = Buffer.concat(chunks, size).toString('latin1');
      finish('HTTP/'.startsWith(start) ? { kind: 'closed', bytes: size } : { kind: 'not-http' });
    };
    const onTimeout = (): void => finish({ kind: 'timeout' });
    if (signal.aborted) return onTimeout();
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    signal.addEventListener('abort', onTimeout, { once: true });
    socket.write(request);
  });
}
