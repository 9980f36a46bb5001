// Prometheus text exposition (format 0.0.4) for /metrics, kept in plain maps: recording a request is
// one Map update, so the ingest hot path pays next to nothing, and no client library is needed.

import type { Store } from './store/store-types.js';

/** Seconds; spans a fast SQLite insert to a slow PostgreSQL commit under load. */
const INGEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export class Metrics {
  private readonly requests = new Map<string, { method: string; route: string; status: number; count: number }>();
  private readonly ingest: Histogram = { counts: INGEST_BUCKETS.map(() => 0), sum: 0, count: 0 };
  private stored = 0;
  private duplicate = 0;
  private readonly startedAt = Date.now() / 1000;

  /** `route` is the route pattern (bounded cardinality), never the raw URL. */
  request(method: string, route: string, status: number): void {
    const key = `${method} ${route} ${status}`;
    const entry = this.requests.get(key);
    if (entry) entry.count++;
    else this.requests.set(key, { method, route, status, count: 1 });
  }

  batch(status: 'stored' | 'duplicate', seconds: number): void {
    if (status === 'stored') this.stored++;
    else this.duplicate++;
    const h = this.ingest;
    h.count++;
    h.sum += seconds;
    for (let i = 0; i < INGEST_BUCKETS.length; i++) {
      if (seconds <= (INGEST_BUCKETS[i] as number)) {
        h.counts[i] = (h.counts[i] as number) + 1;
        break;
      }
    }
  }

  async render(store: Store): Promise<string> {
    const stats = await store.stats();
    const out: string[] = [];
    const metric = (name: string, type: string, help: string): void => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    };

    metric('govscan_http_requests_total', 'counter', 'HTTP requests answered, by method, route pattern and status.');
    const rows = [...this.requests.values()].sort((a, b) => (a.route < b.route ? -1 : a.route > b.route ? 1 : a.status - b.status));
    for (const r of rows) {
      out.push(
        `govscan_http_requests_total{method="${escapeLabel(r.method)}",route="${escapeLabel(r.route)}",status="${r.status}"} ${r.count}`,
      );
    }

    metric('govscan_ingest_duration_seconds', 'histogram', 'Time to take in one batch (POST /api/v1/batches), from request to answer.');
    let cumulative = 0;
    INGEST_BUCKETS.forEach((le, i) => {
      cumulative += this.ingest.counts[i] as number;
      out.push(`govscan_ingest_duration_seconds_bucket{le="${le}"} ${cumulative}`);
    });
    out.push(`govscan_ingest_duration_seconds_bucket{le="+Inf"} ${this.ingest.count}`);
    out.push(`govscan_ingest_duration_seconds_sum ${this.ingest.sum}`);
    out.push(`govscan_ingest_duration_seconds_count ${this.ingest.count}`);

    metric('govscan_batches_stored_total', 'counter', 'Batches stored by this server process.');
    out.push(`govscan_batches_stored_total ${this.stored}`);
    metric('govscan_batches_duplicate_total', 'counter', 'Repeat uploads of batches already stored (acknowledged, not stored again).');
    out.push(`govscan_batches_duplicate_total ${this.duplicate}`);

    const gauges: [string, number, string][] = [
      ['govscan_store_agencies', stats.agencies, 'Agencies in the database.'],
      ['govscan_store_agents', stats.agents, 'Enrolled agents in the database.'],
      ['govscan_store_batches', stats.batches, 'Batches in the database (all server replicas).'],
      ['govscan_store_findings', stats.findings, 'Findings in the database.'],
    ];
    for (const [name, value, help] of gauges) {
      metric(name, 'gauge', help);
      out.push(`${name} ${value}`);
    }

    const mem = process.memoryUsage();
    metric('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.');
    out.push(`process_resident_memory_bytes ${mem.rss}`);
    metric('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use, in bytes.');
    out.push(`nodejs_heap_used_bytes ${mem.heapUsed}`);
    metric('process_start_time_seconds', 'gauge', 'Start time of the process since the Unix epoch, in seconds.');
    out.push(`process_start_time_seconds ${this.startedAt}`);
    return out.join('\n') + '\n';
  }
}
