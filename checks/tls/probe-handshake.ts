// The endpoint check's one full TLS connection: opened through the injected dialer with a
// per-connection deadline, its SecureContext built once per anchor set, not per connection. Which other
// versions the server accepts is asked without node:tls, by probe-hello.ts.

import { constants } from 'node:crypto';
import { connect as tlsConnect, createSecureContext, type ConnectionOptions, type SecureContext, type TLSSocket } from 'node:tls';
import { ProbeError, type AnchorSet, type CheckContext } from '../../src/core/types.js';
import { connectForTls, type TlsDialTarget } from './starttls.js';

/** Where to connect and what to put in SNI (null for IP literals, which SNI must not carry). */
export interface TlsEndpoint extends TlsDialTarget {
  servername: string | null;
}

// Anonymous suites are left out of the main offer: a server preferring them would send no
// certificate, and the certificate is what this check is about.
const MAIN_CIPHERS = 'ALL:!aNULL:@SECLEVEL=0';

const mainContexts = new WeakMap<AnchorSet, SecureContext>();

function secureContextFor(anchors: AnchorSet): SecureContext {
  // The main connection's OpenSSL verdict is reported as a cross-check of our own path building,
  // so it verifies against exactly the anchors we use.
  let ctx = mainContexts.get(anchors);
  if (!ctx) {
    ctx = createSecureContext({
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.3',
      ciphers: MAIN_CIPHERS,
      // OpenSSL 3 refuses servers without RFC 5746 renegotiation_info; those are the servers the
      // enumeration must still reach to report insecure renegotiation, and this connection never renegotiates.
      secureOptions: constants.SSL_OP_LEGACY_SERVER_CONNECT,
      ca: anchors.certificates.map((c) => c.toString()),
    });
    mainContexts.set(anchors, ctx);
  }
  return ctx;
}

/** The handshake failed after TCP connected. */
class HandshakeError extends ProbeError {
  constructor(kind: 'protocol' | 'connectivity' | 'timeout', message: string) {
    super(kind, message);
    this.name = 'HandshakeError';
  }
}

export interface OpenOptions {
  requestOCSP?: boolean;
  /** Cancels this connection early (e.g. the main handshake failed and side probes are moot). */
  signal: AbortSignal;
}

/** An established connection; its deadline keeps running until close() — reads use `signal`. */
export interface TlsConnection {
  socket: TLSSocket;
  /** Aborted when the per-connection deadline passes or the caller's signal aborts. */
  signal: AbortSignal;
  ocspResponse: Buffer | null;
  close(): void;
}

export async function openTls(ctx: CheckContext, ep: TlsEndpoint, opts: OpenOptions): Promise<TlsConnection> {
  const secureContext = secureContextFor(ctx.trust.public);
  const raw = await connectForTls(ctx, ep, opts.signal);
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new HandshakeError('timeout', `no TLS handshake within ${ctx.timeoutMs} ms`)),
    ctx.timeoutMs,
  );
  const onAbort = (): void => deadline.abort(abortReason(opts.signal));
  if (opts.signal.aborted) onAbort();
  else opts.signal.addEventListener('abort', onAbort, { once: true });

  let socket: TLSSocket;
  try {
    // requestOCSP is honoured by tls.connect but missing from @types/node's ConnectionOptions.
    const options: ConnectionOptions & { requestOCSP?: boolean } = {
      socket: raw,
      secureContext,
      // Without an explicit servername Node sends none when the socket is handed over; IP literals
      // must not be sent as SNI (RFC 6066 §3).
      ...(ep.servername ? { servername: ep.servername } : {}),
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      requestOCSP: opts.requestOCSP ?? false,
      // Node refuses DH groups under 1024 bits after the handshake; a scanner must see and record them.
      minDHSize: 1,
    };
    socket = tlsConnect(options);
  } catch (err) {
    clearTimeout(timer);
    raw.destroy();
    throw new ProbeError('internal', `cannot start TLS: ${(err as Error).message}`);
  }
  // Late resets must never surface as uncaught 'error' events.
  socket.on('error', () => undefined);
  // When the chain verifies, Node's onConnectSecure builds getPeerCertificate(true) — every
  // certificate as a JS object, ~0.6 ms of CPU, close to half the client's cost of the handshake —
  // only to hand it to checkServerIdentity, which is disabled above. Shadowed until the handshake
  // ends; the TLS check reads certificates through getPeerX509Certificate() instead.
  Object.defineProperty(socket, 'getPeerCertificate', { value: () => ({}), configurable: true, writable: true });
  const unshadow = (): boolean => delete (socket as unknown as Record<string, unknown>).getPeerCertificate;

  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    opts.signal.removeEventListener('abort', onAbort);
    socket.destroy();
    raw.destroy();
  };
  deadline.signal.addEventListener('abort', () => socket.destroy(), { once: true });

  let ocspResponse: Buffer | null = null;
  socket.on('OCSPResponse', (resp: Buffer | null | undefined) => {
    ocspResponse = resp?.length ? resp : null;
  });

  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => {
        cleanup();
        reject(err);
      };
      const onSecure = (): void => {
        cleanup();
        resolve();
      };
      const onError = (err: NodeJS.ErrnoException): void => fail(classify(err));
      const onClose = (): void => fail(new HandshakeError('connectivity', 'server closed the connection during the TLS handshake'));
      const onDeadline = (): void => fail(abortReason(deadline.signal));
      const cleanup = (): void => {
        unshadow();
        socket.off('secureConnect', onSecure);
        socket.off('error', onError);
        socket.off('close', onClose);
        deadline.signal.removeEventListener('abort', onDeadline);
      };
      if (deadline.signal.aborted) return onDeadline();
      socket.once('secureConnect', onSecure);
      socket.once('error', onError);
      socket.once('close', onClose);
      deadline.signal.addEventListener('abort', onDeadline, { once: true });
    });
  } catch (err) {
    close();
    throw err;
  }
  return { socket, signal: deadline.signal, ocspResponse, close };
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new ProbeError('timeout', typeof reason === 'string' ? reason : 'aborted');
}

/** Errors OpenSSL raises for our own configuration rather than for anything the server did. */
const LOCAL_ERRORS = new Set(['ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'ERR_SSL_NO_CIPHERS_AVAILABLE', 'ERR_SSL_NO_CIPHER_MATCH']);

function classify(err: NodeJS.ErrnoException): ProbeError {
  const code = err.code ?? '';
  const what = 'TLS handshake';
  if (LOCAL_ERRORS.has(code)) return new ProbeError('internal', `${what} could not be offered: ${err.message}`);
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') {
    return new HandshakeError('connectivity', `${what}: server reset the connection (${code})`);
  }
  if (code === 'ERR_TLS_DH_PARAM_SIZE') return new HandshakeError('protocol', `${what}: ${err.message}`);
  return new HandshakeError('protocol', `${what} failed: ${opensslReason(err.message)}${code ? ` (${code})` : ''}`);
}

/** "…:error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:file.c:1601:SSL alert number 70" → the reason text. */
function opensslReason(message: string): string {
  const m = /^[0-9A-F]+:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):[^:]*:\d+:?(.*)$/s.exec(message.trim());
  if (!m) return message.trim();
  const alert = /SSL alert number (\d+)/.exec(m[2] ?? '');
  return alert ? `${m[1]} (alert ${alert[1]})` : (m[1] ?? message);
}
