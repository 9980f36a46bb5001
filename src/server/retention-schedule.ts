// When `govscan server --retain-days N` prunes (store/retention.ts says what): once at start, then
// every RETENTION_EVERY_MS, each time with the cut-off N days before the server's clock. A run that
// fails is reported and tried again at the next tick; runs never overlap.

import type { Store } from './store/store-types.js';

export const RETENTION_EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export type RetentionEvent = { reports: number; before: string } | { error: Error };

export interface RetentionOptions {
  days: number;
  /** The server's clock (tests move it). */
  now?: () => Date;
  /** Told what each run deleted, or why it failed. */
  report?: (event: RetentionEvent) => void;
  everyMs?: number;
}

export class RetentionSchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    private readonly opts: RetentionOptions,
  ) {
    this.now = opts.now ?? (() => new Date());
  }

  /** Runs now, then every `everyMs`; the timer never keeps the process alive. */
  start(): void {
    void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), this.opts.everyMs ?? RETENTION_EVERY_MS);
    this.timer.unref();
  }

  /** One run with the cut-off taken from the clock now; joins the run in progress if there is one. */
  runOnce(): Promise<void> {
    this.running ??= (async () => {
      const before = new Date(this.now().getTime() - this.opts.days * DAY_MS).toISOString();
      try {
        const { reports } = await this.store.pruneReports(before);
        this.opts.report?.({ reports, before });
      } catch (err) {
        this.opts.report?.({ error: err instanceof Error ? err : new Error(String(err)) });
      }
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Stops the timer and waits for a run in progress (before the store is closed). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
