// Campaigns inside a running server: the queue the store's database calls for (pg-boss on
// PostgreSQL, the jobs table on SQLite), the service the routes use, and a timer that starts
// scheduled runs and returns expired leases. On start the queue resumes whatever the database holds:
// jobs, progress and schedules survive a restart because they are rows, never process memory.

import type { Kysely } from 'kysely';
import type { Store } from '../store/store-types.js';
import type { DB } from '../store/schema.js';
import { CampaignStore } from './campaign-store.js';
import { DEFAULT_QUEUE_SETTINGS, type CampaignQueue, type QueueSettings } from './queue.js';
import { CampaignService } from './service.js';
import { TableQueue } from './table-queue.js';
import { InProcessPool, type JobRunner } from './pool.js';
// pg-boss itself is imported when the queue starts: SQLite servers never load it.
import { BossQueue } from './boss-queue.js';

/** How often the scheduler looks for due runs and expired leases. */
const TICK_MS = 15_000;

export interface CampaignRuntimeOptions {
  /** The server's store and its query builder (KyselyStore). */
  store: Store & { readonly db: Kysely<DB> };
  /** The --db URL: pg-boss connects to the same PostgreSQL database. */
  dbUrl: string;
  settings?: Partial<QueueSettings>;
  now?: () => Date;
  /** Run the scheduler timer (default true; tests call tick() with a moved clock instead). */
  timer?: boolean;
  /** Told when a scheduled tick fails (the database away): the next tick tries again. */
  onError?: (err: unknown) => void;
  /** Scan jobs inside the server too (the embedded default): how many at once, and with what. */
  pool?: { size: number; runner: JobRunner };
}

export class CampaignRuntime {
  readonly service: CampaignService;
  readonly queue: CampaignQueue;
  private readonly pool: InProcessPool | null;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;

  constructor(private readonly opts: CampaignRuntimeOptions) {
    const settings = { ...DEFAULT_QUEUE_SETTINGS, ...opts.settings };
    const campaigns = new CampaignStore(opts.store.db);
    this.queue = opts.store.dialect === 'postgres' ? new BossQueue(campaigns, settings, opts.dbUrl) : new TableQueue(campaigns, settings);
    this.service = new CampaignService({ store: opts.store, campaigns, queue: this.queue, now: opts.now ?? (() => new Date()) });
    this.pool =
      opts.pool && opts.pool.size > 0
        ? new InProcessPool(this.service, opts.pool.runner, { size: opts.pool.size, ...(opts.onError ? { onError: opts.onError } : {}) })
        : null;
    if (this.pool) this.service.onRunQueued = () => this.pool?.poke();
  }

  async start(): Promise<void> {
    await this.queue.start();
    if (this.opts.timer ?? true) {
      await this.tick();
      this.timer = setInterval(() => void this.tick(), TICK_MS);
      this.timer.unref();
    }
    this.pool?.start();
  }

  /** Starts due scheduled runs and returns expired leases; one tick at a time. */
  tick(): Promise<void> {
    this.ticking ??= (async () => {
      try {
        await this.service.tick();
        await this.queue.sweep(this.opts.now?.() ?? new Date());
      } catch (err) {
        this.opts.onError?.(err);
      } finally {
        this.ticking = null;
      }
    })();
    return this.ticking;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.pool?.stop();
    await this.ticking;
    await this.queue.stop();
  }
}
