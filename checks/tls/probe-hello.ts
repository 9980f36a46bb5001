// "Does the server accept TLS version X?" asked with one hand-built ClientHello over a plain TCP
// connection: the server's first answer (a ServerHello naming a version, or an alert) settles it, so
// the probe closes as soon as that answer is in. A full node:tls handshake costs the client ~1.5 ms of
// CPU (key exchange, certificate parsing and verification); this costs a few microseconds.

import type { Socket } from 'node:net';
import type { CheckContext } from '../../src/core/types.js';
import { cipherName } from './cipher-suites.js';
import { alertName, buildClientHello, ServerHelloReader, VERSION_CODES, versionName, type ServerAnswer } from './client-hello.js';
import type { ProtocolProbe, TlsVersion } from './facts.js';
import type { TlsEndpoint } from './probe-handshake.js';
import { connectForTls } from './starttls.js';

/** Only the first handshake message matters; a server sending more than this before it is not TLS-sane. */
const MAX_ANSWER_BYTES = 65_536;

/** Codes of socket errors that mean the server dropped the connection — how some servers refuse a version. */
const HANG_UPS = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Offers exactly `version` and reports whether the server took it. Never throws: a refusal is
 * `{status: 'ok', accepted: false}`, anything that leaves the question open is `{status: 'error'}`.
 * The connection lives at most `ctx.timeoutMs` after connecting, and ends at once when `signal` aborts.
 */
export async function probeVersionHello(
  ctx: CheckContext,
  ep: TlsEndpoint,
  version: TlsVersion,
  signal: AbortSignal,
): Promise<ProtocolProbe> {
  let socket: Socket;
  try {
    socket = await connectForTls(ctx, ep, signal);
  } catch (err) {
    return { status: 'error', reason: err instanceof Error ? err.message : String(err) };
  }
  return exchange(socket, buildClientHello(version, ep.servername), version, ctx.timeoutMs, signal);
}

function exchange(socket: Socket, hello: Buffer, version: TlsVersion, timeoutMs: number, signal: AbortSignal): Promise<ProtocolProbe> {
  return new Promise((resolve) => {
    const reader = new ServerHelloReader(MAX_ANSWER_BYTES);
    let settled = false;
    const finish = (result: ProtocolProbe): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onError);
      // The dialer's no-op error listener stays, so a reset racing the destroy cannot go uncaught.
      socket.destroy();
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      const answer = reader.push(chunk);
      if (answer) finish(judgeAnswer(answer, version));
    };
    const onEnd = (): void => {
      const reason =
        reader.received === 0
          ? `server closed the connection in answer to the ${version} ClientHello`
          : `server closed the connection before its answer to the ${version} ClientHello was complete`;
      finish({ status: 'ok', accepted: false, reason });
    };
    const onError = (err: NodeJS.ErrnoException): void => {
      const code = err.code ?? '';
      if (HANG_UPS.has(code))
        finish({ status: 'ok', accepted: false, reason: `server reset the connection in answer to the ${version} ClientHello (${code})` });
      else finish({ status: 'error', reason: `${version} probe: ${err.message}` });
    };
    const onAbort = (): void => finish({ status: 'error', reason: abortMessage(signal) });
    const timer = setTimeout(
      () => finish({ status: 'error', reason: `no answer to the ${version} ClientHello within ${timeoutMs} ms` }),
      timeoutMs,
    );

    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.on('error', onError);
    // After STARTTLS the socket was left paused (so no byte is dropped); a 'data' listener alone does not resume it.
    socket.resume();
    if (signal.aborted) return onAbort();
    if (socket.destroyed)
      return finish({ status: 'error', reason: `${version} probe: the connection closed before the ClientHello was sent` });
    signal.addEventListener('abort', onAbort, { once: true });
    socket.write(hello);
  });
}

/** What a server's first answer says about `version`. Pure; exported for tests on recorded bytes. */
export function judgeAnswer(answer: ServerAnswer, version: TlsVersion): ProtocolProbe {
  switch (answer.kind) {
    case 'server-hello': {
      // A version other than the one offered — lower (a fallback) or higher (supported_versions we did
      // not send, or a broken server) — means the server will not speak this one.
      if (answer.version !== VERSION_CODES[version]) {
        return {
          status: 'ok',
          accepted: false,
          reason: `server chose ${versionName(answer.version)} in answer to a ${version}-only ClientHello`,
        };
      }
      // A HelloRetryRequest only asks for another key share: the version is already agreed.
      return { status: 'ok', accepted: true, cipher: cipherName(answer.cipher) };
    }
    case 'alert':
      return {
        status: 'ok',
        accepted: false,
        reason: `server refused the ${version} ClientHello with ${answer.level === 2 ? 'fatal' : 'warning'} alert ${alertName(answer.description)} (${answer.description})`,
      };
    case 'not-tls':
      return { status: 'error', reason: `not TLS: the server answered the ${version} ClientHello with ${answer.detail}` };
    case 'malformed':
      return { status: 'error', reason: `${version} probe: ${answer.detail}` };
  }
}

function abortMessage(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason.message;
  return typeof reason === 'string' ? reason : 'aborted';
}
