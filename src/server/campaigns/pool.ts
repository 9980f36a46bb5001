// The embedded server's own workers: a few scans at a time inside the server process, taking jobs
// through the same service calls the worker routes make (claim, result, fail, heartbeat), so a
// single-machine user needs no `govscan worker`. The scan itself is a JobRunner (the engine's
// scanJob in `govscan server`), so the pool holds only the loop: claim when a slot is free, keep the
// lease alive while a scan runs, hand back the report or the reason, stop cleanly.

import type { ClaimedJob } from '../../contract/campaign-api.js';
import type { Report } from '../../core/types.js';
import type { CampaignService } from './service.js';

/** What scanning one job gave: its report, or why there is none (`retryable`: a later attempt may do better). */
type JobOutcome = { kind: 'report'; report: Report } | { kind: 'failed'; reason: string; retryable: boolean };
export type JobRunner = (job: ClaimedJob, signal: AbortSignal) => Promise<JobOutcome>;

export interface PoolOptions {
  /** Jobs scanned at once. */
  size: number;
  /** The worker name the jobs table records (default `server`). */
  name?: string;
  /** Wait between claims while nothing is due (default 1 s). */
  idleMs?: number;
  /** Told when handing a job back failed (the database away); the lease returns the job later. */
  onError?: (err: unknown) => void;
}

const MAX_REASON = 2000;

export class InProcessPool {
  private readonly running = new Set<Promise<void>>();
  private readonly stop$ = new AbortController();
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly service: CampaignService,
    private readonly run: JobRunner,
    private readonly opts: PoolOptions,
  ) {}

  start(): void {
    this.loop ??= this.claimLoop();
  }

  /** Claims again now rather than after the idle wait (a run was just queued). */
  poke(): void {
    this.wake?.();
  }

  private async claimLoop(): Promise<void> {
    const name = this.opts.name ?? 'server';
    while (!this.stop$.signal.aborted) {
      const free = this.opts.size - this.running.size;
      let jobs: ClaimedJob[] = [];
      if (free > 0) {
        try {
          jobs = await this.service.claim(name, free);
        } catch (err) {
          this.opts.onError?.(err);
        }
      }
      for (const job of jobs) {
        const p = this.scan(job).finally(() => {
          this.running.delete(p);
          this.poke();
        });
        this.running.add(p);
      }
      if (jobs.length === 0 || this.running.size >= this.opts.size) await this.idle();
    }
  }

  /** Until the idle wait passes, a slot frees, a run is queued, or the pool stops. */
  private idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.stop$.signal.removeEventListener('abort', done);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.opts.idleMs ?? 1000);
      this.stop$.signal.addEventListener('abort', done);
      this.wake = done;
    });
  }

  private async scan(job: ClaimedJob): Promise<void> {
    // Keep the lease while the scan runs: a heartbeat at a third of it.
    const beat = setInterval(
      () => void this.service.heartbeat(job.id, job.attempt).catch((err: unknown) => this.opts.onError?.(err)),
      Math.max(1000, (job.leaseSeconds * 1000) / 3),
    );
    try {
      let outcome: JobOutcome;
      try {
        outcome = await this.run(job, this.stop$.signal);
      } catch (err) {
        outcome = { kind: 'failed', reason: err instanceof Error ? err.message : String(err), retryable: true };
      }
      // Stopped mid-scan: the half-done job is left to its lease (it returns to the queue).
      if (this.stop$.signal.aborted) return;
      if (outcome.kind === 'report') {
        try {
          await this.service.result(job.id, job.attempt, outcome.report);
          return;
        } catch (err) {
          // A report the server will not store (too large, say) will not be better next time.
          outcome = { kind: 'failed', reason: err instanceof Error ? err.message : String(err), retryable: false };
        }
      }
      await this.service.fail(job.id, job.attempt, outcome.reason.slice(0, MAX_REASON), outcome.retryable);
    } catch (err) {
      this.opts.onError?.(err);
    } finally {
      clearInterval(beat);
    }
  }

  /** Stops claiming, aborts the scans under way and waits for them (their jobs return by lease). */
  async stop(): Promise<void> {
    this.stop$.abort();
    await this.loop;
    await Promise.all([...this.running]);
  }
}
