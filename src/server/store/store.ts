// The server's Store over kysely: one implementation for SQLite and PostgreSQL. Ingest normalises a
// batch into rows and writes them in ONE transaction (shared with the batches that arrived at the same
// time: group commit); the batch id's unique key decides "stored" vs "duplicate" inside that
// transaction, so the answer holds across server replicas and across a crash at any point. A SQLite
// file is written from a thread of its own (sqlite-writer.ts), PostgreSQL through the pool (writer.ts).
//
//   const store = await openStore('sqlite:./govscan.db');   // or 'postgres://…'
//   await store.migrate();
//   …
//   await store.close();

import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Report } from '../../core/types.js';
import type {
  AgencyRow,
  AgentRow,
  CertificateRow,
  FindingQuery,
  FindingRow,
  FleetOverview,
  HistoryPoint,
  Ipv6AgencyRow,
  Page,
  SeverityTrendPoint,
  SystemRow,
  TrendPoint,
} from '../../contract/read-api.js';
import type { Batch } from '../../contract/agent-api.js';
import type { IngestResult, Store, StoredToken, TokenInfo } from './store-types.js';
import type { Role } from '../principal.js';
import { openDatabase, type OpenOptions, type OpenedDb } from './db.js';
import { normaliseBatch, isoDate } from './ingest.js';
import { migrateToLatest, type DialectName } from './migrations.js';
import type { DB } from './schema.js';
import { IngestQueue, writeGroup } from './writer.js';
import { listAgencies, listAgents, listSystems, overview, stats } from './fleet-reads.js';
import { FindingReads, history, trend } from './finding-reads.js';
import { certificates, ipv6, latestReports } from './latest-reads.js';
import { ruleFailures, severityTrend } from './lifecycle-reads.js';
import { SqliteWriter } from './sqlite-writer.js';
import { Compressor } from './compressor.js';
import { ingestStatements } from './statements.js';
import { prunableQuery, pruneReports, type PruneResult } from './retention.js';

export interface StoreOptions extends OpenOptions {
  /** The clock for rows the store dates itself (agency and token creation). */
  now?: () => Date;
  /** Heap budget of the findings API's cache of parsed reports (default FINDINGS_CACHE_BYTES). */
  findingsCacheBytes?: number;
}

/** Opens (does not migrate) the store a `--db` URL names: `sqlite:PATH` or `postgres://…`. */
export async function openStore(url: string, opts: StoreOptions = {}): Promise<KyselyStore> {
  return new KyselyStore(await openDatabase(url, opts), opts.now, opts.findingsCacheBytes);
}

export class KyselyStore implements Store {
  readonly dialect: DialectName;
  /** The query builder, for tests and maintenance commands; the Store methods are the API. */
  readonly db: Kysely<DB>;
  readonly display: string;
  private readonly queue: IngestQueue;
  /** SQLite file: where its writer thread opens its connection (started at the first batch). */
  private readonly file: string | null;
  private writer: SqliteWriter | null = null;
  private readonly compressor = new Compressor();
  private readonly findings: FindingReads;
  private readonly trendMemo = new Map<string, SeverityTrendPoint[]>();

  constructor(
    opened: OpenedDb,
    private readonly clock: () => Date = () => new Date(),
    findingsCacheBytes?: number,
  ) {
    this.db = opened.db;
    this.dialect = opened.dialect;
    this.display = opened.display;
    this.file = opened.dialect === 'sqlite' ? opened.file : null;
    this.findings = new FindingReads(this.db, findingsCacheBytes);
    // SQLite has one connection: one write at a time. PostgreSQL takes a few groups at once, leaving
    // pool connections for reads.
    this.queue = new IngestQueue((items) => writeGroup(this.db, this.dialect, items), this.dialect === 'postgres' ? 3 : 1);
  }

  /** Estimated heap held by the findings API's cache of parsed reports. */
  get findingsCacheBytes(): number {
    return this.findings.cacheBytes;
  }

  async migrate(): Promise<void> {
    await migrateToLatest(this.db, this.dialect);
  }

  /** Waits for batches being written, then closes the connections. */
  async close(): Promise<void> {
    await this.queue.drained();
    await this.compressor.close();
    await this.writer?.close();
    await this.db.destroy();
  }

  // ── access ──────────────────────────────────────────────────────────────────────────────────

  async createAgency(id: string, name: string): Promise<void> {
    await this.db
      .insertInto('agencies')
      .values({ id, name, created_at: this.clock().toISOString() })
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: (eb) => eb.ref('excluded.name') }))
      .execute();
  }

  async getAgency(id: string): Promise<{ id: string; name: string } | null> {
    return (await this.db.selectFrom('agencies').select(['id', 'name']).where('id', '=', id).executeTakeFirst()) ?? null;
  }

  /** Creates the agency (named by its id) when it does not exist yet. */
  async createEnrollment(agency: string, secretHash: string, expiresAt: string): Promise<string> {
    const id = randomUUID();
    const now = this.clock().toISOString();
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('agencies')
        .values({ id: agency, name: agency, created_at: now })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      await tx
        .insertInto('enrollments')
        .values({
          id,
          agency,
          secret_hash: secretHash,
          created_at: now,
          expires_at: isoDate(expiresAt, 'expiresAt'),
          used_at: null,
          agent_id: null,
        })
        .execute();
    });
    return id;
  }

  async redeemEnrollment(
    secretHash: string,
    agent: { hostname: string; version: string },
    token: { id: string; secretHash: string },
    now: string,
  ): Promise<{ agentId: string; agency: string } | null> {
    const at = isoDate(now, 'now');
    const agentId = randomUUID();
    return this.db.transaction().execute(async (tx) => {
      // The WHERE re-checks used_at after any concurrent redeemer's commit: one secret, one agent.
      const spent = await tx
        .updateTable('enrollments')
        .set({ used_at: at, agent_id: agentId })
        .where('secret_hash', '=', secretHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .returning('agency')
        .executeTakeFirst();
      if (!spent) return null;
      await tx
        .insertInto('agents')
        .values({
          id: agentId,
          agency: spent.agency,
          hostname: agent.hostname,
          version: agent.version,
          interval_seconds: 0,
          enrolled_at: at,
          last_seen_at: null,
        })
        .execute();
      await tx
        .insertInto('tokens')
        .values({ id: token.id, role: 'agent', secret_hash: token.secretHash, agency: spent.agency, agent_id: agentId, created_at: at })
        .execute();
      return { agentId, agency: spent.agency };
    });
  }

  async createToken(token: Omit<StoredToken, 'createdAt'>): Promise<void> {
    await this.db
      .insertInto('tokens')
      .values({
        id: token.id,
        role: token.role,
        secret_hash: token.secretHash,
        agency: token.agency,
        agent_id: token.agentId,
        created_at: this.clock().toISOString(),
        name: token.name ?? null,
      })
      .execute();
  }

  async getToken(id: string): Promise<StoredToken | null> {
    const r = await this.db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return r
      ? {
          id: r.id,
          role: r.role as Role,
          secretHash: r.secret_hash,
          agency: r.agency,
          agentId: r.agent_id,
          createdAt: r.created_at,
          name: r.name,
        }
      : null;
  }

  async listTokens(): Promise<TokenInfo[]> {
    const rows = await this.db
      .selectFrom('tokens')
      .select(['id', 'role', 'agency', 'agent_id', 'created_at', 'name'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      role: r.role as Role,
      agency: r.agency,
      agentId: r.agent_id,
      createdAt: r.created_at,
      name: r.name,
    }));
  }

  async revokeToken(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('tokens').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  // ── ingest ──────────────────────────────────────────────────────────────────────────────────

  /**
   * `raw`: the request body the batch was parsed from, when the caller has it. The batch is stored as
   * JSON either way (compressed, for exports and the findings' texts); passing the bytes saves
   * serialising it again on the event loop.
   */
  async ingest(batch: Batch, receivedAt: string, raw?: Uint8Array): Promise<IngestResult> {
    const rows = normaliseBatch(batch, receivedAt);
    // Handed to another thread, a view would take its whole underlying buffer along: send just the bytes.
    const body = raw
      ? raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength
        ? raw
        : Uint8Array.prototype.slice.call(raw)
      : Buffer.from(JSON.stringify(batch), 'utf8');
    if (this.file) {
      return { status: await this.sqliteWriter().write(rows, body) };
    }
    if (this.dialect === 'postgres')
      return { status: await this.queue.submit({ rows, body: await this.compressor.compress(body), encoding: 'br' }) };
    return { status: await this.queue.submit({ rows, body, encoding: 'json' }) };
  }

  /** The SQLite file's writer thread, started when first needed. */
  private sqliteWriter(): SqliteWriter {
    if (!this.file) throw new Error('only a SQLite file has a writer thread');
    return (this.writer ??= new SqliteWriter({ file: this.file, statements: ingestStatements(this.db) }));
  }

  // ── reads (*-reads.ts) ─────────────────────────────────────────────────────────────────────

  overview(now: string, staleAfterIntervals: number, agency?: string): Promise<FleetOverview> {
    return overview(this.db, now, staleAfterIntervals, agency);
  }
  listAgencies(agency?: string, now?: string, staleAfterIntervals?: number): Promise<AgencyRow[]> {
    return listAgencies(this.db, agency, now, staleAfterIntervals);
  }
  listAgents(now: string, staleAfterIntervals: number, agency?: string): Promise<AgentRow[]> {
    return listAgents(this.db, now, staleAfterIntervals, agency);
  }
  listSystems(agency?: string): Promise<SystemRow[]> {
    return listSystems(this.db, agency);
  }
  listFindings(q: FindingQuery): Promise<Page<FindingRow>> {
    return this.findings.listFindings(q);
  }
  history(q: { agency?: string; system?: string; rule?: string; target?: string; limit?: number }): Promise<HistoryPoint[]> {
    return history(this.db, q);
  }
  trend(q: { agency?: string; days: number; now: string }): Promise<TrendPoint[]> {
    return trend(this.db, q);
  }
  /**
   * The severity trend reads every finding of the window; it changes only when a batch arrives or
   * the day turns, so the last few answers are kept under (query, day, newest batch).
   */
  async severityTrend(q: { agency?: string; days: number; now: string }): Promise<SeverityTrendPoint[]> {
    const newest = await this.db
      .selectFrom('batches')
      .select((eb) => [eb.fn.max('id').as('id'), eb.fn.countAll<number>().as('n')])
      .executeTakeFirst();
    const key = JSON.stringify([q.agency ?? null, q.days, q.now.slice(0, 10), String(newest?.id ?? ''), String(newest?.n ?? '')]);
    const hit = this.trendMemo.get(key);
    if (hit) return hit;
    const points = await severityTrend(this.db, q);
    this.trendMemo.set(key, points);
    while (this.trendMemo.size > 64) this.trendMemo.delete(this.trendMemo.keys().next().value as string);
    return points;
  }
  ruleFailures(agency?: string): ReturnType<Store['ruleFailures']> {
    return ruleFailures(this.db, agency);
  }
  certificates(q: { agency?: string; days: number; now: string }): Promise<CertificateRow[]> {
    return certificates(this.db, q);
  }
  ipv6(agency?: string): Promise<Ipv6AgencyRow[]> {
    return ipv6(this.db, agency);
  }
  latestReports(agency: string): Promise<Report[]> {
    return latestReports(this.db, agency);
  }
  stats(): Promise<{ agencies: number; agents: number; batches: number; findings: number }> {
    return stats(this.db);
  }

  // ── retention (retention.ts) ────────────────────────────────────────────────────────────────

  async pruneReports(olderThan: string): Promise<PruneResult> {
    const before = isoDate(olderThan, 'olderThan');
    if (!this.file) return pruneReports(this.db, before);
    const { sql, parameters } = prunableQuery(before).compile(this.db);
    return { reports: await this.sqliteWriter().prune({ sql, parameters }) };
  }
}
