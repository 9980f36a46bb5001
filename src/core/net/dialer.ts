// The one place govscan opens TCP connections. Everything goes through a Dialer so tests can record
// or refuse connections, and so the per-host limit holds across every probe of a scan.

import { connect, type Socket } from 'node:net';
import { ProbeError, type Dialer, type DialOptions } from '../types.js';
import { KeyedSemaphore } from './limiter.js';
import { technicalReason } from '../i18n/technical.js';

export class NetDialer implements Dialer {
  private readonly perHost: KeyedSemaphore;

  constructor(perHostLimit: number) {
    this.perHost = new KeyedSemaphore(perHostLimit);
  }

  async connect(opts: DialOptions): Promise<Socket> {
    const release = await this.perHost.acquire(opts.address, opts.signal);
    try {
      const socket = await connectOnce(opts);
      // The permit is held for the connection's lifetime, not just the connect.
      socket.once('close', release);
      return socket;
    } catch (err) {
      release();
      throw err;
    }
  }
}

function connectOnce(opts: DialOptions): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new ProbeError('timeout', technicalReason('target deadline passed before connecting')));
    const socket = connect({ host: opts.address, port: opts.port, noDelay: true });
    const timer = setTimeout(
      () => fail(new ProbeError('timeout', technicalReason(`TCP connect to ${describe(opts)} timed out after ${opts.timeoutMs} ms`))),
      opts.timeoutMs,
    );
    const onAbort = (): void =>
      fail(new ProbeError('timeout', technicalReason(`target deadline passed while connecting to ${describe(opts)}`)));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = (): void => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
    };
    function fail(err: Error): void {
      cleanup();
      socket.destroy();
      reject(err);
    }
    function onError(err: NodeJS.ErrnoException): void {
      fail(new ProbeError('connectivity', technicalReason(`TCP connect to ${describe(opts)} failed: ${err.code ?? err.message}`)));
    }
    socket.once('error', onError);
    socket.once('connect', () => {
      cleanup();
      // A reset after connect must never become an uncaught 'error' event that kills the scan;
      // whoever reads the socket (TLS layer, HTTP parser) sees the failure through its own path.
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
}

function describe(opts: DialOptions): string {
  return opts.address.includes(':') ? `[${opts.address}]:${opts.port}` : `${opts.address}:${opts.port}`;
}
