// Multi-row inserts for the child rows of a group of batches, with SQL text built once per (table,
// row count) and reused, so the hot path neither builds a kysely tree of thousands of values nor (on
// SQLite, with the statement cache in db.ts) recompiles the statement. Chunks stay far below both
// limits on bound parameters (PostgreSQL 65,535; SQLite 32,766).

import { CompiledQuery, type Kysely } from 'kysely';
import type { DialectName } from './migrations.js';
import type { DB } from './schema.js';

const MAX_PARAMS = 30_000;

export const FINDING_COLUMNS = [
  'batch_ref',
  'seq',
  'agency',
  'system',
  'target',
  'rule_id',
  'policy_id',
  'check_id',
  'outcome',
  'severity',
  'fingerprint',
  'scanned_at',
] as const;
export const TARGET_COLUMNS = ['batch_ref', 'seq', 'agency', 'system', 'system_name', 'system_level', 'target'] as const;
export const CERTIFICATE_COLUMNS = [
  'batch_ref',
  'seq',
  'agency',
  'system',
  'location',
  'subject',
  'issuer',
  'not_after',
  'source',
] as const;
export const IPV6_COLUMNS = ['batch_ref', 'seq', 'agency', 'domain', 'score', 'failed_rules'] as const;
export const REPORT_COLUMNS = ['batch_ref', 'encoding', 'body'] as const;

const texts = new Map<string, string>();

function insertText(dialect: DialectName, table: string, columns: readonly string[], rows: number): string {
  const key = `${dialect}\u0000${table}\u0000${rows}`;
  let text = texts.get(key);
  if (text) return text;
  let n = 0;
  const groups: string[] = [];
  for (let r = 0; r < rows; r++) groups.push(`(${columns.map(() => (dialect === 'postgres' ? `$${++n}` : '?')).join(', ')})`);
  text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${groups.join(', ')}`;
  // Row counts vary little; the bound keeps an unusual fleet from growing this without end.
  if (texts.size > 4_000) texts.clear();
  texts.set(key, text);
  return text;
}

/** Rows of one batch: objects keyed by column (batch_ref comes from `ref`). */
export interface RowGroup {
  ref: number;
  rows: readonly object[];
}

/** Inserts every group's rows into `table`, as few statements as the parameter limit allows. */
export async function insertRows(
  db: Kysely<DB>,
  dialect: DialectName,
  table: keyof DB,
  columns: readonly string[],
  groups: readonly RowGroup[],
): Promise<void> {
  const params: unknown[] = [];
  for (const g of groups) {
    for (const row of g.rows) {
      const r = row as Record<string, unknown>;
      for (const c of columns) {
        const v = c === 'batch_ref' ? g.ref : r[c];
        params.push(v === undefined ? null : v);
      }
    }
  }
  const total = params.length / columns.length;
  for (const [start, count] of chunks(dialect, total, columns.length)) {
    const slice = params.slice(start * columns.length, (start + count) * columns.length);
    await db.executeQuery(CompiledQuery.raw(insertText(dialect, table, columns, count), slice));
  }
}

/**
 * Splits `total` rows into statements. PostgreSQL: as few as the parameter limit allows (each
 * statement is a round trip). SQLite: no round trips, but compiling a statement costs more than
 * running it, so row counts come from a small fixed set (256, then powers of two) whose compiled
 * statements the cache in db.ts keeps.
 */
function chunks(dialect: DialectName, total: number, columns: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  if (dialect === 'postgres') {
    const per = Math.max(1, Math.floor(MAX_PARAMS / columns));
    for (; start < total; start += per) out.push([start, Math.min(per, total - start)]);
    return out;
  }
  const big = Math.max(1, Math.min(256, Math.floor(MAX_PARAMS / columns)));
  for (; total - start >= big; start += big) out.push([start, big]);
  for (let size = 128; size >= 1; size >>= 1) {
    if (total - start >= size) {
      out.push([start, size]);
      start += size;
    }
  }
  return out;
}
