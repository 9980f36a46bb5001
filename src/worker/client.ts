// The worker's side of the campaign API (src/contract/campaign-api.ts): claim jobs, hand in a
// result or a failure, keep a lease alive. One POST at a time per call through the agent's HTTP code
// (agent/http.ts: proxies, extra CA, deadline, capped answer). The server being away (restart,
// network) is waited out with exponential backoff for a bounded time; a refused token stops the
// worker; an answer saying the job is no longer this worker's lets it go on with the next one.

import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { Localized, Report } from '../core/types.js';
import { format, localize } from '../core/i18n/index.js';
import { terminalLine } from '../report/terminal-text.js';
import type {
  ClaimedJob,
  ClaimRequest,
  ClaimResponse,
  JobFail,
  JobFailAck,
  JobHeartbeat,
  JobHeartbeatAck,
  JobResult,
  JobResultAck,
} from '../contract/campaign-api.js';
import { agentFor, describeError, parseJson, post, type HttpAnswer } from '../../agent/http.js';
import type { AgentLog } from '../../agent/log.js';
import { abortableSleep, backoffDelay } from '../../agent/upload.js';
import { WORKER_MESSAGES as M } from './messages.js';

export interface WorkerClientOptions {
  /** Server base URL, e.g. https://soc.example.gov.vn:8443. */
  server: string;
  token: string;
  /** Extra trust anchors (PEM texts) for the server's certificate. */
  ca?: string[];
  /** Deadline of one request. */
  timeoutMs: number;
  /** How long a server that does not answer is waited for before giving up. */
  retryForMs: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  log: AgentLog;
  random?: () => number;
}

/** The token is refused (401/403): nothing will work until an operator gives the worker another. */
export class TokenRefused extends Error {
  constructor(readonly status: number) {
    super(`worker token refused (${status})`);
    this.name = 'TokenRefused';
  }
}

/** The server did not answer for the whole of --retry-for, or answered claims with something that is no job list. */
export class ServerUnavailable extends Error {
  constructor(readonly reason: Localized) {
    super(reason.en);
    this.name = 'ServerUnavailable';
  }
}

/** What became of a result or failure handed in. */
export type Delivery =
  /** `stored`/`duplicate` for a result; the job's new state for a failure (`ignored`: that attempt was stale). */
  | { kind: 'accepted'; status: JobResultAck['status'] | JobFailAck['state'] }
  /** The job is not this worker's any more (lease ended and another took it, campaign cancelled): drop it. */
  | { kind: 'gone'; status: number }
  /** The server will never take this body (too large, invalid): say so and report a failure instead. */
  | { kind: 'refused'; status: number; error: string; message: string }
  /** The server stayed away for --retry-for, or the worker is stopping: the lease will return the job. */
  | { kind: 'undelivered'; reason: Localized };

type Attempt =
  | { kind: 'ok'; status: number; body: unknown }
  | { kind: 'gone'; status: number }
  | { kind: 'refused'; status: number; error: string; message: string }
  | { kind: 'retry'; reason: Localized; retryAfterMs: number | null };

export class WorkerClient {
  private readonly base: URL;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly opts: WorkerClientOptions) {
    this.base = new URL(opts.server.replace(/\/+$/, '') + '/');
    this.agent = agentFor(this.base, opts.ca ?? [], true, opts.log);
    this.backoffMs = opts.backoffMs ?? 250;
    this.maxBackoffMs = opts.maxBackoffMs ?? 5000;
  }

  /**
   * Up to `max` jobs, or none when the queue has nothing for now. `stop` ends waiting for an absent
   * server (an empty list comes back) but never cuts a claim in flight: jobs the server handed out
   * would otherwise sit unworked until their lease ends.
   */
  async claim(worker: string, max: number, stop: AbortSignal): Promise<ClaimedJob[]> {
    const body: ClaimRequest = { worker, max };
    const outcome = await this.call('api/v1/worker/jobs/claim', body, M.whatClaim, {}, stop, undefined);
    if (outcome.kind === 'undelivered') {
      if (stop.aborted) return [];
      throw new ServerUnavailable(outcome.reason);
    }
    if (outcome.kind !== 'ok') throw new ServerUnavailable(both(M.reasonStatus, { status: outcome.status }));
    const jobs = (outcome.body as Partial<ClaimResponse> | null)?.jobs;
    if (!Array.isArray(jobs)) throw new ServerUnavailable(both(M.reasonNotJson, { status: 200 }));
    return jobs.filter(isClaimedJob);
  }

  /** Hand in the report of a scanned job. Stored once by the server whatever the number of tries. */
  async result(job: ClaimedJob, report: Report, halt: AbortSignal): Promise<Delivery> {
    const body: JobResult = { attempt: job.attempt, report };
    return this.deliver('result', job.id, body, M.whatResult, halt);
  }

  /** Say the job could not be scanned; the server retries it later or, after its last attempt, keeps it dead with `reason`. */
  async fail(job: ClaimedJob, reason: string, retryable: boolean, halt: AbortSignal): Promise<Delivery> {
    const body: JobFail = { attempt: job.attempt, reason: reason.slice(0, 2000), retryable };
    return this.deliver('fail', job.id, body, M.whatFail, halt);
  }

  /**
   * Extend the lease of a job still being scanned; one try. False only when the server says the
   * attempt is no longer the job's (expired and taken by another, cancelled): the scan can stop.
   */
  async heartbeat(job: ClaimedJob, halt: AbortSignal): Promise<boolean> {
    const body: JobHeartbeat = { attempt: job.attempt };
    const outcome = await this.once(this.jobUrl(job.id, 'heartbeat'), Buffer.from(JSON.stringify(body)), halt).catch(() => null);
    if (outcome?.kind === 'gone') return false;
    return outcome?.kind !== 'ok' || (outcome.body as Partial<JobHeartbeatAck> | null)?.held !== false;
  }

  close(): void {
    this.agent.destroy();
  }

  private jobUrl(job: string, action: string): URL {
    return new URL(`api/v1/worker/jobs/${encodeURIComponent(job)}/${action}`, this.base);
  }

  private async deliver(action: string, job: string, body: unknown, what: Localized, halt: AbortSignal): Promise<Delivery> {
    const outcome = await this.call(this.jobUrl(job, action), body, what, { job }, halt, halt);
    if (outcome.kind !== 'ok') return outcome;
    const ack = outcome.body as Partial<JobResultAck & JobFailAck> | null;
    const status = ack?.status ?? ack?.state;
    if (status === 'stored' || status === 'duplicate' || status === 'failed' || status === 'dead' || status === 'ignored')
      return { kind: 'accepted', status };
    return { kind: 'undelivered', reason: both(M.reasonNotJson, { status: outcome.status }) };
  }

  /**
   * One call, tried again while the server is away: until it answers, --retry-for runs out, or
   * `wait` is aborted (then 'undelivered'). `halt` cuts a request in flight.
   */
  private async call(
    path: string | URL,
    body: unknown,
    what: Localized,
    whatParams: Record<string, string>,
    wait: AbortSignal,
    halt: AbortSignal | undefined,
  ): Promise<Exclude<Attempt, { kind: 'retry' }> | Extract<Delivery, { kind: 'undelivered' }>> {
    const url = typeof path === 'string' ? new URL(path, this.base) : path;
    const bytes = Buffer.from(JSON.stringify(body));
    const giveUpAt = Date.now() + this.opts.retryForMs;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.once(url, bytes, halt);
      if (outcome.kind !== 'retry') return outcome;
      const left = giveUpAt - Date.now();
      if (left <= 0 || wait.aborted) {
        if (!wait.aborted) {
          this.opts.log.warn(M.serverGaveUp, {
            server: this.base.origin,
            seconds: Math.round(this.opts.retryForMs / 1000),
            reason: localize(outcome.reason, this.opts.log.lang),
          });
        }
        return { kind: 'undelivered', reason: outcome.reason };
      }
      const delay = Math.min(
        left,
        Math.max(
          backoffDelay(attempt, { backoffMs: this.backoffMs, maxBackoffMs: this.maxBackoffMs, ...this.random() }),
          outcome.retryAfterMs ?? 0,
        ),
      );
      this.opts.log.info(M.serverRetry, {
        what: localize(what, this.opts.log.lang, whatParams),
        reason: localize(outcome.reason, this.opts.log.lang),
        delay: (delay / 1000).toFixed(1),
      });
      await abortableSleep(delay, wait);
    }
  }

  private random(): { random?: () => number } {
    return this.opts.random ? { random: this.opts.random } : {};
  }

  private async once(url: URL, body: Buffer, halt: AbortSignal | undefined): Promise<Attempt> {
    const deadline = AbortSignal.timeout(this.opts.timeoutMs);
    let answer: HttpAnswer;
    try {
      answer = await post(url, body, {
        agent: this.agent,
        headers: { authorization: `Bearer ${this.opts.token}` },
        signal: halt ? AbortSignal.any([halt, deadline]) : deadline,
      });
    } catch (err) {
      const reason = deadline.aborted
        ? both(M.reasonTimeout, { ms: this.opts.timeoutMs })
        : both(M.reasonNetwork, { detail: terminalLine(describeError(err)) });
      return { kind: 'retry', reason, retryAfterMs: null };
    }
    return classify(answer);
  }
}

/** What one answer means; 401/403 throw (the worker cannot go on). */
function classify(answer: HttpAnswer): Attempt {
  const { status } = answer;
  const json = answer.contentType.includes('json') ? parseJson(answer.text) : null;
  const retry = (reason: Localized): Attempt => ({ kind: 'retry', reason, retryAfterMs: retryAfterMs(answer.retryAfter) });
  if (status === 401 || status === 403) throw new TokenRefused(status);
  if (status >= 200 && status < 300) return json === null ? retry(both(M.reasonNotJson, { status })) : { kind: 'ok', status, body: json };
  if (status === 408 || status === 429 || status >= 500 || status < 400) return retry(both(M.reasonStatus, { status }));
  // Only the server's own refusals (JSON `{error, message}`) say anything about the job: a proxy's
  // 404 page while the server restarts behind it is a reason to wait, not to drop the job.
  const err = json as { error?: unknown; message?: unknown } | null;
  if (typeof err?.error !== 'string')
    return status === 413 ? refused(status, 'payload-too-large', '') : retry(both(M.reasonNotJson, { status }));
  if (status === 404 || status === 409 || status === 410) return { kind: 'gone', status };
  return refused(status, err.error, typeof err.message === 'string' ? err.message : '');
}

function refused(status: number, error: string, message: string): Attempt {
  return { kind: 'refused', status, error: terminalLine(error, 60), message: terminalLine(message, 300) };
}

function isClaimedJob(value: unknown): value is ClaimedJob {
  const j = value as Partial<ClaimedJob> | null;
  return typeof j?.id === 'string' && typeof j.target === 'string';
}

/** A message with its parameters filled in, in both languages (the log picks one later). */
function both(text: Localized, params: Record<string, string | number>): Localized {
  return { en: format(text.en, params), vi: format(text.vi, params, 'vi') };
}

function retryAfterMs(v: string | undefined): number | null {
  if (!v) return null;
  const s = Number(v);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : null;
}
