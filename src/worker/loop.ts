// `govscan worker`'s loop: keep up to --concurrency jobs scanning, claim more as slots free up, poll
// when the queue is empty. Stopping (`stop`, the first SIGTERM/SIGINT) ends claiming and lets the
// running jobs finish and hand in their outcome; halting (`halt`, a second signal) cuts the scans
// short and hands their jobs back as retryable failures, so the queue gives them to another worker
// at once rather than at the end of their lease.

import { MAX_CLAIM, type ClaimedJob } from '../contract/campaign-api.js';
import { localize } from '../core/i18n/index.js';
import { terminalLine } from '../report/terminal-text.js';
import type { AgentLog } from '../../agent/log.js';
import { abortableSleep } from '../../agent/upload.js';
import type { Delivery, WorkerClient } from './client.js';
import { WORKER_MESSAGES as M } from './messages.js';
import { scanJob, type JobScanSettings } from '../engine/campaign-job.js';

export interface WorkerLoopOptions {
  client: WorkerClient;
  /** Names this worker to the server (dashboard, logs). */
  name: string;
  concurrency: number;
  /** Pause between claims while the queue is empty. */
  pollMs: number;
  /** Return once a claim finds nothing and no job is running (benchmarks, one-shot runs). */
  exitWhenIdle: boolean;
  scan: JobScanSettings;
  log: AgentLog;
  stop: AbortSignal;
  halt: AbortSignal;
  /** Told the number of running jobs whenever it changes (the stop line says how many are finishing). */
  onRunning?: (count: number) => void;
}

export interface WorkerTally {
  /** Results the server took (stored, or already stored). */
  done: number;
  /** Failures the server took. */
  failed: number;
}

/** How long a halted worker still tries to hand a cut-short job back. */
const RELEASE_MS = 3000;

/** Runs until stopped, idle (with exitWhenIdle) or refused; throws TokenRefused / ServerUnavailable after the running jobs ended. */
export async function runWorker(opts: WorkerLoopOptions): Promise<WorkerTally> {
  const tally: WorkerTally = { done: 0, failed: 0 };
  const running = new Set<Promise<void>>();
  const fatal = new AbortController();
  const claiming = AbortSignal.any([opts.stop, fatal.signal]);
  let error: unknown = null;
  const start = (job: ClaimedJob): void => {
    const task: Promise<void> = runJob(job, opts, tally)
      .catch((err: unknown) => {
        error ??= err;
        fatal.abort();
      })
      .finally(() => {
        running.delete(task);
        opts.onRunning?.(running.size);
      });
    running.add(task);
    opts.onRunning?.(running.size);
  };
  while (!claiming.aborted) {
    const free = opts.concurrency - running.size;
    if (free <= 0) {
      await Promise.race(running);
      continue;
    }
    let jobs: ClaimedJob[];
    try {
      jobs = await opts.client.claim(opts.name, Math.min(free, MAX_CLAIM), claiming);
    } catch (err) {
      error ??= err;
      break;
    }
    for (const job of jobs) start(job);
    if (jobs.length || claiming.aborted) continue;
    if (opts.exitWhenIdle && running.size === 0) {
      opts.log.info(M.idle, { name: opts.name });
      break;
    }
    await Promise.race([abortableSleep(opts.pollMs, claiming), ...running]);
  }
  await Promise.all(running);
  if (error) throw error;
  return tally;
}

async function runJob(job: ClaimedJob, opts: WorkerLoopOptions, tally: WorkerTally): Promise<void> {
  const lost = new AbortController();
  const keeper = keepLease(job, opts, lost);
  let outcome: Awaited<ReturnType<typeof scanJob>>;
  try {
    outcome = await scanJob(job, opts.scan, AbortSignal.any([opts.halt, lost.signal]));
  } finally {
    clearInterval(keeper);
  }
  const target = terminalLine(job.target, 200);
  if (lost.signal.aborted && !opts.halt.aborted) {
    opts.log.warn(M.jobDropped, { job: job.id, status: 'heartbeat' });
    return;
  }
  // Halted: the scans were cut short; hand their jobs back within a few seconds, whatever the server's state.
  const within = opts.halt.aborted ? AbortSignal.timeout(RELEASE_MS) : opts.halt;
  if (outcome.kind === 'report') {
    const delivered = await opts.client.result(job, outcome.report, within);
    if (delivered.kind === 'accepted') {
      tally.done++;
      const status = localize(delivered.status === 'duplicate' ? M.statusDuplicate : M.statusStored, opts.log.lang);
      opts.log.info(M.jobDone, { job: job.id, target, status, failed: outcome.failed });
      return;
    }
    if (delivered.kind !== 'refused') return said(delivered, job, opts);
    opts.log.warn(M.resultRefused, { job: job.id, status: delivered.status, error: delivered.error, message: delivered.message });
    outcome = { kind: 'failed', reason: `${delivered.status} ${delivered.error}: ${delivered.message}`, retryable: false };
  }
  opts.log.warn(M.jobFailed, { job: job.id, target, reason: terminalLine(outcome.reason, 500) });
  const delivered = await opts.client.fail(job, outcome.reason, outcome.retryable, within);
  if (delivered.kind === 'accepted') tally.failed++;
  else said(delivered, job, opts);
}

/** A delivery that did not go through: the job is another worker's now, or returns when its lease ends. */
function said(delivered: Exclude<Delivery, { kind: 'accepted' }>, job: ClaimedJob, opts: WorkerLoopOptions): void {
  if (delivered.kind === 'gone') opts.log.warn(M.jobDropped, { job: job.id, status: delivered.status });
  else if (delivered.kind === 'undelivered')
    opts.log.warn(M.jobUndelivered, { job: job.id, reason: localize(delivered.reason, opts.log.lang) });
  else opts.log.warn(M.jobDropped, { job: job.id, status: `${delivered.status} ${delivered.error}` });
}

/** Heartbeats at a third of the lease while the scan runs; the scan stops when the server says the job is no longer ours. */
function keepLease(job: ClaimedJob, opts: WorkerLoopOptions, lost: AbortController): NodeJS.Timeout {
  const every = Math.max(1000, (job.leaseSeconds * 1000) / 3);
  const timer = setInterval(() => {
    void opts.client.heartbeat(job, opts.halt).then((held) => {
      if (!held) lost.abort();
    });
  }, every);
  timer.unref();
  return timer;
}
