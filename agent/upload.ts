// Delivery of spooled batches: one HTTP(S) POST per batch with the agent's token, retried with
// exponential backoff and jitter, a bounded number of attempts per drain. A batch leaves the spool
// only on 200/201; a 4xx that no retry can fix (other than 401, 408, 429) sets it aside in
// spool/rejected/; a 401 stops the drain and keeps every batch (the token, not the batch, is wrong).

import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { agentFor, describeError, parseJson, post } from './http.js';
import type { AgentLog } from './log.js';
import { AGENT_MESSAGES as M } from './messages.js';
import type { Spool, SpooledBatch } from './spool.js';

export interface UploaderOptions {
  /** Server base URL, e.g. https://soc.example.gov.vn:8443. */
  server: string;
  token: string;
  /** Extra trust anchors (PEM texts) for the server's certificate, added to the public roots. */
  ca?: string[];
  timeoutMs: number;
}

export type UploadOutcome =
  | { kind: 'stored' | 'duplicate'; status: number }
  /** The server will never take this batch. */
  | { kind: 'rejected'; status: number; error: string; message: string }
  /** The token is refused: nothing will be accepted until the agent enrols again. */
  | { kind: 'unauthorized'; status: number }
  /** Worth another try later: network error, timeout, 5xx, 408, 429. */
  | { kind: 'retry'; reason: string; retryAfterMs: number | null };

export class Uploader {
  private readonly url: URL;
  private readonly agent: HttpAgent | HttpsAgent;

  constructor(private readonly opts: UploaderOptions) {
    this.url = new URL('/api/v1/batches', opts.server.replace(/\/+$/, '') + '/');
    this.agent = agentFor(this.url, opts.ca ?? [], true);
  }

  /** One attempt. Network and HTTP trouble is reported, not thrown; only a cancel (`signal`) throws. */
  async post(body: Buffer, signal?: AbortSignal): Promise<UploadOutcome> {
    const deadline = AbortSignal.timeout(this.opts.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    try {
      const answer = await post(this.url, body, { agent: this.agent, headers: { authorization: `Bearer ${this.opts.token}` }, signal: combined });
      return classify(answer.status, answer.text, answer.retryAfter);
    } catch (err) {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
      return { kind: 'retry', reason: deadline.aborted ? `no answer within ${this.opts.timeoutMs} ms` : describeError(err), retryAfterMs: null };
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

/** PEM texts of the configured extra anchors for the server's certificate. */
export async function readCaFiles(files: readonly string[]): Promise<string[]> {
  return Promise.all(files.map((f) => readFile(f, 'utf8')));
}

export function classify(status: number, text: string, retryAfter: string | undefined): UploadOutcome {
  if (status === 200 || status === 201) {
    const ack = parseJson(text) as { status?: unknown } | null;
    return { kind: ack?.status === 'duplicate' || status === 200 ? 'duplicate' : 'stored', status };
  }
  // Anything but a clear refusal is worth another try: the batch stays until it is acknowledged.
  if (status === 408 || status === 429 || status >= 500 || status < 400) {
    return { kind: 'retry', reason: `HTTP ${status}`, retryAfterMs: retryAfterMs(retryAfter) };
  }
  if (status === 401) return { kind: 'unauthorized', status };
  const err = parseJson(text) as { error?: unknown; message?: unknown } | null;
  return {
    kind: 'rejected',
    status,
    error: typeof err?.error === 'string' ? err.error : 'error',
    message: typeof err?.message === 'string' ? err.message.slice(0, 300) : '',
  };
}

function retryAfterMs(v: string | undefined): number | null {
  if (!v) return null;
  const s = Number(v);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

// ── Draining the spool ──────────────────────────────────────────────────────────────────────────

export interface DrainOptions {
  maxAttempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  signal?: AbortSignal;
  /** In [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface DrainResult {
  stored: number;
  duplicates: number;
  rejected: number;
  remaining: number;
  /** Why the drain stopped early (server unavailable, token refused, cancelled); null when it emptied the spool. */
  stopped: 'unavailable' | 'unauthorized' | 'cancelled' | null;
}

/** Exponential backoff with jitter: half the step fixed, half random, so a fleet does not retry in step. */
export function backoffDelay(attempt: number, opts: Pick<DrainOptions, 'backoffMs' | 'maxBackoffMs' | 'random'>): number {
  const step = Math.min(opts.maxBackoffMs, opts.backoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (opts.random ?? Math.random)() * (step / 2));
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

type Delivery = Exclude<UploadOutcome, { kind: 'retry' }> | { kind: 'gone' } | { kind: 'unavailable'; reason: string } | { kind: 'cancelled' };

/** Deliver every spooled batch, oldest first, until the spool is empty or the server stops taking them. */
export async function drain(spool: Spool, uploader: Uploader, log: AgentLog, opts: DrainOptions): Promise<DrainResult> {
  const result: DrainResult = { stored: 0, duplicates: 0, rejected: 0, remaining: 0, stopped: null };
  const sleep = opts.sleep ?? abortableSleep;
  const finish = async (stopped: DrainResult['stopped']): Promise<DrainResult> => {
    result.stopped = stopped;
    result.remaining = (await spool.list()).length;
    return result;
  };
  for (const entry of await spool.list()) {
    if (opts.signal?.aborted) return finish('cancelled');
    const outcome = await deliver(entry, spool, uploader, log, opts, sleep);
    switch (outcome.kind) {
      case 'stored':
        result.stored++;
        break;
      case 'duplicate':
        result.duplicates++;
        break;
      case 'rejected':
        result.rejected++;
        break;
      case 'gone':
        break;
      case 'cancelled':
        return finish('cancelled');
      case 'unavailable': {
        const done = await finish('unavailable');
        log.warn(M.drainStopped, { reason: outcome.reason, remaining: done.remaining });
        return done;
      }
      case 'unauthorized': {
        const done = await finish('unauthorized');
        log.warn(M.tokenRefused, { status: outcome.status, remaining: done.remaining });
        return done;
      }
    }
  }
  return finish(null);
}

async function deliver(
  entry: SpooledBatch,
  spool: Spool,
  uploader: Uploader,
  log: AgentLog,
  opts: DrainOptions,
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
): Promise<Delivery> {
  let body: Buffer;
  try {
    body = await spool.read(entry);
  } catch (err) {
    // Dropped by the cap or delivered by another process meanwhile.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
    throw err;
  }
  let reason = '';
  for (let attempt = 1; attempt <= opts.maxAttempts; attempt++) {
    let outcome: UploadOutcome;
    try {
      outcome = await uploader.post(body, opts.signal);
    } catch {
      return { kind: 'cancelled' };
    }
    switch (outcome.kind) {
      case 'stored':
      case 'duplicate':
        await spool.remove(entry);
        log.info(outcome.kind === 'stored' ? M.batchStored : M.batchDuplicate, { batchId: entry.batchId });
        return outcome;
      case 'rejected': {
        const file = await spool.reject(entry);
        // Too large is the server's setting, not the batch's fault: say how to get it in after all.
        if (outcome.status === 413) log.warn(M.batchTooLarge, { batchId: entry.batchId, bytes: entry.bytes, file, spool: dirname(entry.file) });
        else log.warn(M.batchRejected, { batchId: entry.batchId, status: outcome.status, error: outcome.error, file });
        return outcome;
      }
      case 'unauthorized':
        return outcome;
      case 'retry': {
        reason = outcome.reason;
        if (attempt === opts.maxAttempts) break;
        const delay = Math.min(opts.maxBackoffMs, Math.max(backoffDelay(attempt, opts), outcome.retryAfterMs ?? 0));
        log.info(M.uploadRetry, { batchId: entry.batchId, attempt, max: opts.maxAttempts, reason, delay: (delay / 1000).toFixed(1) });
        await sleep(delay, opts.signal);
        if (opts.signal?.aborted) return { kind: 'cancelled' };
      }
    }
  }
  return { kind: 'unavailable', reason };
}
