// Brotli compression of stored batches on a thread of its own. zlib's asynchronous API still spends
// ~0.3 ms of event loop per 75 KB batch setting up its stream (more than the compression itself), and
// the synchronous one blocks it; a worker compressing synchronously costs the event loop only a copy.
// Plain JavaScript from a string, as in sqlite-writer.ts, so it starts the same from sources and built.

import { Worker } from 'node:worker_threads';

const SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const zlib = require('node:zlib');
const BROTLI = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_LGWIN]: 18, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT } };
parentPort.on('message', (m) => {
  try {
    const out = zlib.brotliCompressSync(m.raw, BROTLI);
    const copy = new Uint8Array(out.byteLength);
    copy.set(out);
    parentPort.postMessage({ id: m.id, out: copy }, [copy.buffer]);
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String(err && err.message || err) });
  }
});
`;

export class Compressor {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  private start(): Worker {
    const w = new Worker(SOURCE, { eval: true });
    w.unref();
    w.on('message', (m: { id: number; out?: Uint8Array; error?: string }) => {
      const p = this.waiting.get(m.id);
      if (!p) return;
      this.waiting.delete(m.id);
      if (this.waiting.size === 0) w.unref();
      if (m.out) p.resolve(m.out);
      else p.reject(new Error(m.error ?? 'compression failed'));
    });
    const failAll = (err: Error): void => {
      for (const p of this.waiting.values()) p.reject(err);
      this.waiting.clear();
      if (this.worker === w) this.worker = null;
    };
    w.on('error', failAll);
    w.on('exit', () => failAll(new Error('the compression thread stopped')));
    return w;
  }

  /** Brotli (quality 1) of `raw`; `raw` is copied, never taken from the caller. */
  compress(raw: Uint8Array): Promise<Uint8Array> {
    const w = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      w.ref();
      w.postMessage({ id, raw });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
