// One hand-built ClientHello over one connection, read by a bounded incremental reader until it has
// its answer: the socket side shared by the version probes (probe-hello.ts) and the enumeration probes
// (enum-groups.ts). Every connection goes through connectForTls (dialer, per-host limit, STARTTLS),
// lives at most ctx.timeoutMs after connecting and ends at once when the signal aborts.

import type { Socket } from 'node:net';
import type { CheckContext } from '../../src/core/types.js';
import type { TlsEndpoint } from './probe-handshake.js';
import { connectForTls } from './starttls.js';

/** A reader of the server's bytes: push() returns the answer once it is known, null while it needs more. */
export interface AnswerReader<T> {
  push(chunk: Buffer): T | null;
  readonly received: number;
}

export type ExchangeResult<T> =
  | { kind: 'answer'; answer: T }
  /** The server closed (`received` bytes in) or reset the connection before the reader had its answer. */
  | { kind: 'closed'; received: number }
  | { kind: 'reset'; code: string }
  /** Connect failure, timeout, abort or another socket error: the question stays open. */
  | { kind: 'error'; reason: string };

/**
 * Sends one hello on a new connection and reads the answer: exchangeHello bound to an endpoint, a
 * signal and the caller's connection count (the enumeration's session).
 */
export type AskHello = <T>(hello: Buffer, reader: AnswerReader<T>, what: string) => Promise<ExchangeResult<T>>;

/** Codes of socket errors that mean the server dropped the connection — how some servers refuse a hello. */
const HANG_UPS = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Connects, sends `hello` and reads until `reader` has its answer. Never throws. `what` names the hello in reasons. */
export async function exchangeHello<T>(
  ctx: CheckContext,
  ep: TlsEndpoint,
  hello: Buffer,
  reader: AnswerReader<T>,
  what: string,
  signal: AbortSignal,
): Promise<ExchangeResult<T>> {
  let socket: Socket;
  try {
    socket = await connectForTls(ctx, ep, signal);
  } catch (err) {
    return { kind: 'error', reason: err instanceof Error ? err.message : String(err) };
  }
  return exchange(socket, hello, reader, what, ctx.timeoutMs, signal);
}

function exchange<T>(
  socket: Socket,
  hello: Buffer,
  reader: AnswerReader<T>,
  what: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<ExchangeResult<T>> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: ExchangeResult<T>): void => {
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
      if (answer !== null) finish({ kind: 'answer', answer });
    };
    const onEnd = (): void => finish({ kind: 'closed', received: reader.received });
    const onError = (err: NodeJS.ErrnoException): void => {
      const code = err.code ?? '';
      if (HANG_UPS.has(code)) finish({ kind: 'reset', code });
      else finish({ kind: 'error', reason: `${what}: ${err.message}` });
    };
    const onAbort = (): void => finish({ kind: 'error', reason: abortMessage(signal) });
    const timer = setTimeout(() => finish({ kind: 'error', reason: `no answer to the ${what} within ${timeoutMs} ms` }), timeoutMs);

    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.on('error', onError);
    // After STARTTLS the socket was left paused (so no byte is dropped); a 'data' listener alone does not resume it.
    socket.resume();
    if (signal.aborted) return onAbort();
    if (socket.destroyed) return finish({ kind: 'error', reason: `${what}: the connection closed before the ClientHello was sent` });
    signal.addEventListener('abort', onAbort, { once: true });
    socket.write(hello);
  });
}

function abortMessage(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason.message;
  return typeof reason === 'string' ? reason : 'aborted';
}
