// The ingest path's upserts, defined once: writer.ts runs them multi-row through kysely (PostgreSQL),
// and ingestStatements() compiles their one-row form, noting which field of a batch's rows fills each
// parameter, for the SQLite writer thread, which has no kysely of its own.

import { sql, type Compilable, type Insertable, type Kysely } from 'kysely';
import type { DB } from './schema.js';

export interface CompiledStatement {
  sql: string;
  /** The field each parameter comes from, in order. */
  keys: string[];
}

/** A value that names its field: compiled in place of real values to learn the parameter order. */
const mark = (k: string): string => `\u0000${k}`;

function describe(q: Compilable): CompiledStatement {
  const c = q.compile();
  const keys = c.parameters.map((p) => {
    if (typeof p !== 'string' || !p.startsWith('\u0000')) throw new Error(`statement parameter is not a field marker: ${String(p)}`);
    return p.slice(1);
  });
  return { sql: c.sql, keys };
}

function marks<K extends string>(keys: readonly K[]): Record<K, string> {
  return Object.fromEntries(keys.map((k) => [k, mark(k)])) as Record<K, string>;
}

const BATCH_KEYS = [
  'batch_id',
  'agency',
  'agent_id',
  'created_at',
  'received_at',
  'findings',
  'n_pass',
  'n_fail',
  'n_not_applicable',
  'n_not_tested',
  'n_waived',
  'f_critical',
  'f_high',
  'f_medium',
  'f_low',
  'f_info',
] as const;
const AGENT_KEYS = ['id', 'agency', 'hostname', 'version', 'interval_seconds', 'enrolled_at', 'last_seen_at'] as const;
const LATEST_KEYS = ['agent_id', 'agency', 'batch_ref', 'batch_id', 'created_at'] as const;

export interface IngestStatements {
  /** agencies (id, name, created_at); nothing when it exists. */
  agency: CompiledStatement;
  /** batches; returns `id`, or no row when the batch id is already stored. */
  batch: CompiledStatement;
  /** reports (batch_ref, encoding, body). */
  report: CompiledStatement;
  /** The agent and agency that stored a batch id (for a repeat: same agent → duplicate, else conflict). */
  batchOwner: CompiledStatement;
  /** latest_batches, moved only for a newer batch; returns `agent_id` when it moved. */
  latest: CompiledStatement;
  /** agents: seen now, described by this batch (it became the agent's latest). */
  agentNewest: CompiledStatement;
  /** agents: seen now, description unchanged (an older batch arriving late). */
  agentSeen: CompiledStatement;
}

/** `case …`: the later of the stored and the new last contact. */
const lastSeenAt = sql<string>`case when agents.last_seen_at is null or agents.last_seen_at < excluded.last_seen_at then excluded.last_seen_at else agents.last_seen_at end`;

/**
 * Points agents' latest state at these batches, each only if newer (created_at, then batch id) than
 * the one it has: a late retry of an old batch must not become "latest". Returns the agents it moved.
 */
export function upsertLatest(db: Kysely<DB>, rows: readonly Insertable<DB['latest_batches']>[]) {
  return db
    .insertInto('latest_batches')
    .values(rows as Insertable<DB['latest_batches']>[])
    .onConflict((oc) =>
      oc
        .column('agent_id')
        .doUpdateSet({
          agency: (eb) => eb.ref('excluded.agency'),
          batch_ref: (eb) => eb.ref('excluded.batch_ref'),
          batch_id: (eb) => eb.ref('excluded.batch_id'),
          created_at: (eb) => eb.ref('excluded.created_at'),
        })
        .where((eb) =>
          eb.or([
            eb('excluded.created_at', '>', eb.ref('latest_batches.created_at')),
            eb.and([
              eb('excluded.created_at', '=', eb.ref('latest_batches.created_at')),
              eb('excluded.batch_id', '>', eb.ref('latest_batches.batch_id')),
            ]),
          ]),
        ),
    )
    .returning('agent_id');
}

/**
 * Records agents as seen (the later contact wins); with `describe`, also takes hostname, version and
 * interval from these rows — only for a batch that became the agent's latest.
 */
export function upsertAgents(db: Kysely<DB>, rows: readonly Insertable<DB['agents']>[], describe: boolean) {
  return db
    .insertInto('agents')
    .values(rows as Insertable<DB['agents']>[])
    .onConflict((oc) =>
      oc.column('id').doUpdateSet(
        describe
          ? {
              last_seen_at: lastSeenAt,
              hostname: (eb) => eb.ref('excluded.hostname'),
              version: (eb) => eb.ref('excluded.version'),
              interval_seconds: (eb) => eb.ref('excluded.interval_seconds'),
            }
          : { last_seen_at: lastSeenAt },
      ),
    );
}

export function ingestStatements(db: Kysely<DB>): IngestStatements {
  return {
    agency: describe(
      db
        .insertInto('agencies')
        .values(marks(['id', 'name', 'created_at'] as const))
        .onConflict((oc) => oc.column('id').doNothing()),
    ),
    batch: describe(
      db
        .insertInto('batches')
        .values(marks(BATCH_KEYS) as never)
        .onConflict((oc) => oc.column('batch_id').doNothing())
        .returning('id'),
    ),
    batchOwner: describe(db.selectFrom('batches').select(['agent_id', 'agency']).where('batch_id', '=', mark('batch_id'))),
    report: describe(db.insertInto('reports').values(marks(['batch_ref', 'encoding', 'body'] as const) as never)),
    latest: describe(upsertLatest(db, [marks(LATEST_KEYS) as never])),
    agentNewest: describe(upsertAgents(db, [marks(AGENT_KEYS) as never], true)),
    agentSeen: describe(upsertAgents(db, [marks(AGENT_KEYS) as never], false)),
  };
}
