// One set of migrations for SQLite and PostgreSQL, run by kysely's Migrator from this static list
// (no folder scan: the built package has no migration files to find). Where the dialects must differ
// (the auto-numbered batch key) the migration asks which one it runs on; everything else is shared.
// Append new migrations; never edit one that has shipped.

import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';

export type DialectName = 'sqlite' | 'postgres';

const OUTCOMES = "('pass','fail','not-applicable','not-tested','waived')";
const SEVERITIES = "('critical','high','medium','low','info')";
const ROLES = "('agent','viewer','admin')";
/** 0003: campaign roles (src/server/principal.ts). */
const ROLES_3 = "('agent','viewer','admin','soc','worker')";
const JOB_STATES = "('queued','running','done','failed','dead','cancelled')";

function initial(dialect: DialectName): Migration {
  // Child rows are small and keyed by (batch_ref, seq), which only grows: on SQLite the table IS that
  // key's B-tree (no separate rowid tree plus primary-key index to update on every insert).
  const clustered = dialect === 'sqlite' ? sql`without rowid` : sql``;
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against every past schema (kysely's documented pattern)
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('agencies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('enrollments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('agency', 'text', (c) => c.notNull().references('agencies.id'))
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('agent_id', 'text')
        .execute();

      await db.schema
        .createTable('agents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('agency', 'text', (c) => c.notNull().references('agencies.id'))
        .addColumn('hostname', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('interval_seconds', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('enrolled_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text')
        .execute();
      await db.schema.createIndex('agents_agency').on('agents').column('agency').execute();

      await db.schema
        .createTable('tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('agency', 'text', (c) => c.references('agencies.id'))
        .addColumn('agent_id', 'text', (c) => c.references('agents.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addCheckConstraint('tokens_role', sql.raw(`role in ${ROLES}`))
        .execute();

      await db.schema
        .createTable('batches')
        .addColumn('id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
          // SQLite: INTEGER PRIMARY KEY is the rowid, numbered in insertion order.
          dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey(),
        )
        .addColumn('batch_id', 'text', (c) => c.notNull().unique())
        .addColumn('agency', 'text', (c) => c.notNull().references('agencies.id'))
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('findings', 'integer', (c) => c.notNull())
        .addColumn('n_pass', 'integer', (c) => c.notNull())
        .addColumn('n_fail', 'integer', (c) => c.notNull())
        .addColumn('n_not_applicable', 'integer', (c) => c.notNull())
        .addColumn('n_not_tested', 'integer', (c) => c.notNull())
        .addColumn('n_waived', 'integer', (c) => c.notNull())
        .addColumn('f_critical', 'integer', (c) => c.notNull())
        .addColumn('f_high', 'integer', (c) => c.notNull())
        .addColumn('f_medium', 'integer', (c) => c.notNull())
        .addColumn('f_low', 'integer', (c) => c.notNull())
        .addColumn('f_info', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('batches_agent_created').on('batches').columns(['agent_id', 'created_at']).execute();
      await db.schema.createIndex('batches_agency_created').on('batches').columns(['agency', 'created_at']).execute();
      await db.schema.createIndex('batches_created').on('batches').column('created_at').execute();

      await db.schema
        .createTable('reports')
        .addColumn('batch_ref', 'bigint', (c) => c.primaryKey())
        .addColumn('encoding', 'text', (c) => c.notNull())
        .addColumn('body', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
        .addCheckConstraint('reports_encoding', sql.raw("encoding in ('br','json')"))
        .execute();
      // Bodies arrive compressed: PostgreSQL need not try again (EXTERNAL: out of line, uncompressed).
      if (dialect === 'postgres') await sql`alter table reports alter column body set storage external`.execute(db);

      await db.schema
        .createTable('latest_batches')
        .addColumn('agent_id', 'text', (c) => c.primaryKey())
        .addColumn('agency', 'text', (c) => c.notNull())
        .addColumn('batch_ref', 'bigint', (c) => c.notNull())
        .addColumn('batch_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('latest_batches_agency').on('latest_batches').column('agency').execute();

      // Child rows of a batch: written once in the batch's transaction, read by batch_ref.
      await db.schema
        .createTable('findings')
        .addColumn('batch_ref', 'bigint', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('agency', 'text', (c) => c.notNull())
        .addColumn('system', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('rule_id', 'text', (c) => c.notNull())
        .addColumn('policy_id', 'text', (c) => c.notNull())
        .addColumn('check_id', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('scanned_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('findings_pk', ['batch_ref', 'seq'])
        .addCheckConstraint('findings_outcome', sql.raw(`outcome in ${OUTCOMES}`))
        .addCheckConstraint('findings_severity', sql.raw(`severity in ${SEVERITIES}`))
        .modifyEnd(clustered)
        .execute();
      // No index by rule: each batch would touch one index page per rule it judged (~40 pages per
      // commit for 50 findings), which cost 3-4× the rest of the ingest. History is read through the
      // agency's batches instead (batches_agency_created, then this table's key), see store.ts.

      await db.schema
        .createTable('targets')
        .addColumn('batch_ref', 'bigint', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('agency', 'text', (c) => c.notNull())
        .addColumn('system', 'text', (c) => c.notNull())
        .addColumn('system_name', 'text')
        .addColumn('system_level', 'integer')
        .addColumn('target', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('targets_pk', ['batch_ref', 'seq'])
        .modifyEnd(clustered)
        .execute();

      await db.schema
        .createTable('certificates')
        .addColumn('batch_ref', 'bigint', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('agency', 'text', (c) => c.notNull())
        .addColumn('system', 'text', (c) => c.notNull())
        .addColumn('location', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('issuer', 'text')
        .addColumn('not_after', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('certificates_pk', ['batch_ref', 'seq'])
        .addCheckConstraint('certificates_source', sql.raw("source in ('endpoint','file')"))
        .modifyEnd(clustered)
        .execute();

      await db.schema
        .createTable('ipv6_scores')
        .addColumn('batch_ref', 'bigint', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('agency', 'text', (c) => c.notNull())
        .addColumn('domain', 'text', (c) => c.notNull())
        .addColumn('score', 'real')
        .addColumn('failed_rules', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('ipv6_scores_pk', ['batch_ref', 'seq'])
        .modifyEnd(clustered)
        .execute();
    },
  };
}

/** Every migration, by name (names sort in the order they run). */
function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '0001_initial': initial(dialect),
    '0002_token_names': {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run against every past schema (kysely's documented pattern)
      async up(db: Kysely<any>): Promise<void> {
        await db.schema.alterTable('tokens').addColumn('name', 'text').execute();
      },
    },
    '0003_campaigns': campaigns(dialect),
  };
}

/**
 * Campaigns (issue 15): the campaign, each run of it, one job per target per run. The jobs table is
 * the record of every job's state on both stores; on SQLite it is also the queue (table-queue.ts),
 * on PostgreSQL pg-boss delivers the jobs and this table mirrors what became of them (boss-queue.ts).
 * Token roles gain soc and worker.
 */
function campaigns(dialect: DialectName): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against every past schema (kysely's documented pattern)
    async up(db: Kysely<any>): Promise<void> {
      if (dialect === 'postgres') {
        await sql`alter table tokens drop constraint tokens_role`.execute(db);
        await sql.raw(`alter table tokens add constraint tokens_role check (role in ${ROLES_3})`).execute(db);
      } else {
        // SQLite cannot change a CHECK constraint in place: the table is rebuilt (nothing refers to it).
        await db.schema
          .createTable('tokens_new')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('secret_hash', 'text', (c) => c.notNull())
          .addColumn('agency', 'text', (c) => c.references('agencies.id'))
          .addColumn('agent_id', 'text', (c) => c.references('agents.id'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('name', 'text')
          .addCheckConstraint('tokens_role', sql.raw(`role in ${ROLES_3}`))
          .execute();
        await sql`insert into tokens_new (id, role, secret_hash, agency, agent_id, created_at, name)
          select id, role, secret_hash, agency, agent_id, created_at, name from tokens`.execute(db);
        await db.schema.dropTable('tokens').execute();
        await db.schema.alterTable('tokens_new').renameTo('tokens').execute();
      }

      await db.schema
        .createTable('campaigns')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('agency', 'text', (c) => c.references('agencies.id'))
        .addColumn('source', 'text', (c) => c.notNull())
        /** JSON array of the targets (CampaignTarget) every run queues. */
        .addColumn('targets', 'text', (c) => c.notNull())
        .addColumn('target_count', 'integer', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull())
        .addColumn('schedule', 'text')
        .addColumn('next_run_at', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('cancelled_at', 'text')
        .addCheckConstraint('campaigns_status', sql.raw("status in ('active','cancelled')"))
        .execute();
      await db.schema.createIndex('campaigns_agency').on('campaigns').columns(['agency', 'created_at']).execute();

      await db.schema
        .createTable('campaign_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        // One run per campaign and start time: two server replicas reaching the same cron tick queue it once.
        .addUniqueConstraint('campaign_runs_tick', ['campaign_id', 'started_at'])
        .execute();

      await db.schema
        .createTable('campaign_jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        /** Host or address the per-address limit counts by. */
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('agency', 'text', (c) => c.notNull())
        .addColumn('system', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('available_at', 'text', (c) => c.notNull())
        .addColumn('lease_until', 'text')
        .addColumn('worker', 'text')
        .addColumn('last_error', 'text')
        .addColumn('batch_id', 'text')
        .addColumn('queue_ref', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addCheckConstraint('campaign_jobs_state', sql.raw(`state in ${JOB_STATES}`))
        .execute();
      await db.schema.createIndex('campaign_jobs_run').on('campaign_jobs').columns(['run_id', 'state']).execute();
      await db.schema.createIndex('campaign_jobs_due').on('campaign_jobs').columns(['state', 'available_at']).execute();
    },
  };
}

class StaticProvider implements MigrationProvider {
  constructor(private readonly list: Record<string, Migration>) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return this.list;
  }
}

function lostRace(error: unknown): boolean {
  return /already exists|duplicate column|database is locked|SQLITE_BUSY/i.test(
    error instanceof Error ? `${error.message} ${(error as { code?: string }).code ?? ''}` : String(error),
  );
}

/**
 * Brings the schema to the latest migration; a no-op when it is there already. On PostgreSQL the
 * Migrator holds an advisory lock, so replicas starting together run each migration once.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against every past schema (kysely's documented pattern)
export async function migrateToLatest(db: Kysely<any>, dialect: DialectName): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new StaticProvider(migrations(dialect)),
    migrationTableName: 'govscan_migration',
    migrationLockTableName: 'govscan_migration_lock',
  });
  let result = await migrator.migrateToLatest();
  // Two replicas creating the migration tables at the same instant can collide before the lock is
  // taken; the second attempt finds the tables and waits on the lock.
  if (result.error && !result.results?.some((r) => r.status === 'Error')) result = await migrator.migrateToLatest();
  // SQLite has no migration lock across processes (an admin command started beside a new server):
  // both run the same statements in the same order, so the one that loses fails on its first
  // statement and, once the winner has recorded the migration, finds nothing left to do.
  for (let attempt = 0; dialect === 'sqlite' && result.error && lostRace(result.error) && attempt < 50; attempt++) {
    await new Promise((done) => setTimeout(done, 200));
    result = await migrator.migrateToLatest();
  }
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(failed ? `database migration ${failed} failed: ${cause}` : `database migration failed: ${cause}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
