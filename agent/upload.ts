// Delivery of spooled batches: one HTTP(S) POST per batch with the agent's token, retried with
// exponential backoff and jitter, a bounded number of attempts per drain. A batch leaves the spool
// only on a real acknowledgement: a 2xx whose JSON body names that batch id (what `govscan server`
// answers, 201 stored or 200 duplicate) — never on any 200, which may be a maintenance or sign-in
// page of something in front of the server. The server's own refusals (JSON `{error, message}`,
// 4xx other than 401/404/408/429) set the batch aside in spool/rejected/ with a line saying why and
// what to do; a 401 stops the drain and keeps every batch (the token, not the batch, is wrong);
// everything else (404 from a proxy not routing /api/v1 yet, 5xx, pages, timeouts) is retried.

import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Localized } from '../src/core/types.js';
import { format, localize } from '../src/core/i18n/index.js';
import type { BatchAck } from '../src/contract/agent-api.js';
import { terminalLine } from '../src/report/terminal-text.js';
import { agentFor, describeError, parseJson, post, type HttpAnswer } from './http.js';
import type { AgentLog } from './log.js';
import { AGENT_MESSAGES as M } from './messages.js';
import { UnreadableEntry, type Spool, type SpooledBatch } from './spool.js';

export interface UploaderOptions {
  /** Server base URL, e.g. https://soc.example.gov.vn:8443. */
  server: string;
  token: string;
  /** Extra trust anchors (PEM texts) for the server's certificate, added to the public roots. */
  ca?: string[];
  timeoutMs: number;
  /** Where the proxy in use, if any, is named (once per process). */
  log?: AgentLog;
}

export type UploadOutcome =
  | { kind: 'stored' | 'duplicate'; status: number }
  /** The server will never take this batch. */
  | { kind: 'rejected'; status: number; error: string; message: string }
  /** The token is refused: nothing will be accepted until the agent enrols again. */
  | { kind: 'unauthorized'; status: number }
  /** Worth another try later: network error, timeout, 5xx, 404, 408, 429, an answer that is no acknowledgement. */
  | { kind: 'retry'; reason: Localized; retryAfterMs: number | null };

export class Uploader {
  private readonly url: URL;
  private readonly agent: HttpAgent | HttpsAgent;

  constructor(private readonly opts: UploaderOptions) {
    this.url = new URL('/api/v1/batches', opts.server.replace(/\/+$/, '') + '/');
    this.agent = agentFor(this.url, opts.ca ?? [], true, opts.log);
  }

  /**
   * One attempt to deliver the batch `batchId` (as written in `body`). Network and HTTP trouble is
   * reported, not thrown; only a cancel (`signal`) throws.
   */
  async post(body: Buffer, batchId: string, signal?: AbortSignal): Promise<UploadOutcome> {
    const deadline = AbortSignal.timeout(this.opts.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    try {
      const answer = await post(this.url, body, {
        agent: this.agent,
        headers: { authorization: `Bearer ${this.opts.token}` },
        signal: combined,
      });
      return classify(answer, batchId);
    } catch (err) {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
      const reason = deadline.aborted
        ? both(M.reasonTimeout, { ms: this.opts.timeoutMs })
        : both(M.reasonNetwork, { detail: terminalLine(describeError(err)) });
      return { kind: 'retry', reason, retryAfterMs: null };
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

/** What an answer means for the batch `batchId`. */
function classify(answer: HttpAnswer, batchId: string): UploadOutcome {
  const { status } = answer;
  const type = answer.contentType ? terminalLine(answer.contentType, 60) : M.noContentType;
  const retry = (reason: Localized): UploadOutcome => ({ kind: 'retry', reason, retryAfterMs: retryAfterMs(answer.retryAfter) });
  if (status >= 200 && status < 300) {
    const ack = parseJson(answer.text) as Partial<Record<keyof BatchAck, unknown>> | null;
    const named = typeof ack?.batchId === 'string' ? ack.batchId.toLowerCase() : null;
    if (named === batchId.toLowerCase() && (ack?.status === 'stored' || ack?.status === 'duplicate')) return { kind: ack.status, status };
    if (named !== null) return retry(both(M.reasonOtherBatch, { status, other: terminalLine(named, 80) }));
    return retry(both(M.reasonNoAck, { status, type }));
  }
  if (status === 401) return { kind: 'unauthorized', status };
  if (status === 404) return retry(both(M.reasonNotFound, { type }));
  if (status === 408 || status === 429 || status >= 500 || status < 400) return retry(both(M.reasonStatus, { status }));
  // A refusal counts only when it is the server's (JSON `{error, message}`): the page of a proxy or
  // firewall says nothing about the batch. 413 is the exception: a body limit, wherever it is set.
  const err = parseJson(answer.text) as { error?: unknown; message?: unknown } | null;
  const fromServer = typeof err?.error === 'string';
  if (!fromServer && status !== 413) return retry(both(M.reasonNotServerRefusal, { status, type }));
  return {
    kind: 'rejected',
    status,
    error: fromServer ? terminalLine(String(err?.error), 60) : 'error',
    message: typeof err?.message === 'string' ? terminalLine(err.message, 300) : '',
  };
}

/** A message with its parameters filled in, in both languages (the log picks one later); a parameter may itself be localized. */
function both(text: Localized, params: Record<string, string | number | Localized>): Localized {
  const pick = (lang: keyof Localized): Record<string, string | number> =>
    Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'object' ? v[lang] : v]));
  return { en: format(text.en, pick('en')), vi: format(text.vi, pick('vi')) };
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
  /** Spool entries that could not be read (not a regular file, or not the agent's to read): set aside or skipped. */
  unreadable: number;
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

type Delivery =
  | Exclude<UploadOutcome, { kind: 'retry' }>
  | { kind: 'gone' }
  | { kind: 'unreadable' }
  | { kind: 'unavailable'; reason: Localized }
  | { kind: 'cancelled' };

/** Deliver every spooled batch, oldest first, until the spool is empty or the server stops taking them. */
export async function drain(spool: Spool, uploader: Uploader, log: AgentLog, opts: DrainOptions): Promise<DrainResult> {
  const result: DrainResult = { stored: 0, duplicates: 0, rejected: 0, unreadable: 0, remaining: 0, stopped: null };
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
      case 'unreadable':
        result.unreadable++;
        break;
      case 'gone':
        break;
      case 'cancelled':
        return finish('cancelled');
      case 'unavailable': {
        const done = await finish('unavailable');
        log.warn(M.drainStopped, { reason: localize(outcome.reason, log.lang), remaining: done.remaining });
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
    // One entry the agent cannot or must not read holds up nothing behind it.
    if (err instanceof UnreadableEntry) {
      await spool.setAside(entry, err);
      return { kind: 'unreadable' };
    }
    throw err;
  }
  const batchId = batchIdIn(body) ?? entry.batchId;
  let reason: Localized = { en: '', vi: '' };
  for (let attempt = 1; attempt <= opts.maxAttempts; attempt++) {
    let outcome: UploadOutcome;
    try {
      outcome = await uploader.post(body, batchId, opts.signal);
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
        let file: string;
        try {
          file = await spool.reject(entry);
        } catch (err) {
          // rejected/ not ours to write (created by root?): the batch stays, the rest still goes.
          log.warn(M.batchNotMoved, {
            batchId: entry.batchId,
            status: outcome.status,
            error: outcome.error,
            dir: spool.rejectedDir,
            code: (err as NodeJS.ErrnoException).code ?? String(err),
          });
          return outcome;
        }
        // Too large is the server's setting, not the batch's fault: say how to get it in after all.
        const said = {
          batchId: entry.batchId,
          status: outcome.status,
          error: outcome.error,
          message: outcome.message,
          file,
          spool: dirname(entry.file),
        };
        if (outcome.status === 413) log.warn(M.batchTooLarge, { ...said, bytes: entry.bytes });
        else if (outcome.status === 409) log.warn(M.batchConflict, said);
        else if (outcome.status === 403) log.warn(M.batchForbidden, said);
        else log.warn(M.batchRejected, said);
        return outcome;
      }
      case 'unauthorized':
        return outcome;
      case 'retry': {
        reason = outcome.reason;
        if (attempt === opts.maxAttempts) break;
        const delay = Math.min(opts.maxBackoffMs, Math.max(backoffDelay(attempt, opts), outcome.retryAfterMs ?? 0));
        log.info(M.uploadRetry, {
          batchId: entry.batchId,
          attempt,
          max: opts.maxAttempts,
          reason: localize(reason, log.lang),
          delay: (delay / 1000).toFixed(1),
        });
        await sleep(delay, opts.signal);
        if (opts.signal?.aborted) return { kind: 'cancelled' };
      }
    }
  }
  return { kind: 'unavailable', reason };
}

/** The id the batch carries (what the server's acknowledgement names); null when the file is no JSON batch (the server will say so). */
function batchIdIn(body: Buffer): string | null {
  const batch = parseJson(body.toString('utf8')) as { batchId?: unknown } | null;
  return typeof batch?.batchId === 'string' ? batch.batchId : null;
}
