// Finding reads: the findings page of the latest state (texts and evidence from the stored reports,
// kept parsed in a small cache), and the views over all batches: one rule's history and the daily trend.

import { sql, type Kysely } from 'kysely';
import type { Finding, Outcome, Severity } from '../../core/types.js';
import type { FindingQuery, FindingRow, HistoryPoint, Page, TrendPoint } from '../../contract/read-api.js';
import { isoDate } from './ingest.js';
import { DAY, clampInt, num, passRate } from './read-util.js';
import type { DB } from './schema.js';
import { heapEstimate } from './bounded-json.js';
import { firstFailedOf, streakKey, streakStarts } from './lifecycle-reads.js';
import { readStoredReport } from './writer.js';

const MAX_FINDINGS_PAGE = 1000;
const DEFAULT_FINDINGS_PAGE = 100;
const MAX_HISTORY = 10_000;
/**
 * Heap the findings API may keep for parsed findings of reports it has read (estimated, see
 * bounded-json.ts): a report of 50 findings takes about 150 KB, so some 400 of them. Bounded in
 * bytes, not reports: a few reports full of evidence must not hold what hundreds of real ones would.
 */
const FINDINGS_CACHE_BYTES = 64 * 1024 * 1024;

interface CachedFindings {
  findings: Finding[];
  bytes: number;
}

export class FindingReads {
  /** Findings of reports already read, by batch key, least recently used first: batches never change, so entries never go stale. */
  private readonly findingsCache = new Map<number, CachedFindings>();
  private cachedBytes = 0;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly cacheBudget = FINDINGS_CACHE_BYTES,
  ) {}

  /** Estimated heap held by the cache now (never above the budget). */
  get cacheBytes(): number {
    return this.cachedBytes;
  }

  async listFindings(q: FindingQuery): Promise<Page<FindingRow>> {
    const outcome = q.outcome ?? 'fail';
    // The streak sub-select reads the whole history: joined only when the query filters or sorts by
    // first-failed date. Otherwise the page's own rows get their dates from their agents' batches.
    const needStreaks = q.since !== undefined || q.sort === 'first-failed' || q.sort === 'newest-failure';
    const streaks = needStreaks ? streakStarts(this.db, q.agency) : streakStarts(this.db, q.agency).where(sql<boolean>`1 = 0`);
    let base = this.db
      .selectFrom('latest_batches as lb')
      .innerJoin('findings as f', 'f.batch_ref', 'lb.batch_ref')
      .leftJoin(streaks.as('st'), (j) =>
        j
          .onRef('st.agency', '=', 'f.agency')
          .onRef('st.system', '=', 'f.system')
          .onRef('st.target', '=', 'f.target')
          .onRef('st.rule_id', '=', 'f.rule_id'),
      );
    if (q.agency !== undefined) base = base.where('lb.agency', '=', q.agency);
    if (q.system !== undefined) base = base.where('f.system', '=', q.system);
    if (q.rule !== undefined) base = base.where('f.rule_id', '=', q.rule);
    if (q.policy !== undefined) base = base.where('f.policy_id', '=', q.policy);
    if (q.target !== undefined) base = base.where('f.target', '=', q.target);
    if (outcome !== 'all') base = base.where('f.outcome', '=', outcome);
    if (q.severity !== undefined) base = base.where('f.severity', '=', q.severity);
    if (q.check !== undefined) {
      const check = q.check;
      base = base.where((eb) =>
        eb.or([eb('f.check_id', '=', check), eb('f.check_id', 'like', sql<string>`${likePrefix(check)} escape '\\'`)]),
      );
    }
    if (q.q !== undefined && q.q.trim() !== '') {
      const pattern = likeContains(q.q.trim().toLowerCase());
      base = base.where((eb) =>
        eb.or(
          (['f.rule_id', 'f.target', 'f.system', 'f.agency', 'f.check_id'] as const).map((col) =>
            eb(sql`lower(${sql.ref(col)})`, 'like', sql`${pattern} escape '\\'`),
          ),
        ),
      );
    }
    if (q.since !== undefined) base = base.where('f.outcome', '=', 'fail').where('st.first_failed', '>=', isoDate(q.since, 'since'));
    const limit = clampInt(q.limit, DEFAULT_FINDINGS_PAGE, 0, MAX_FINDINGS_PAGE);
    const offset = clampInt(q.offset, 0, 0, Number.MAX_SAFE_INTEGER);
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    let page = base.select([
      'f.batch_ref',
      'f.seq',
      'f.agency',
      'f.system',
      'f.target',
      'f.rule_id',
      'f.policy_id',
      'f.check_id',
      'f.outcome',
      'f.severity',
      'f.fingerprint',
      'f.scanned_at',
      'lb.batch_id',
      'lb.agent_id',
      'st.first_failed',
    ]);
    const rank = sql<number>`case f.severity when 'critical' then 0 when 'high' then 1 when 'medium' then 2 when 'low' then 3 else 4 end`;
    const failsFirst = sql<number>`case f.outcome when 'fail' then 0 when 'waived' then 1 when 'not-tested' then 2 when 'not-applicable' then 3 else 4 end`;
    switch (q.sort ?? 'scanned') {
      case 'severity':
        page = page.orderBy(failsFirst).orderBy(rank).orderBy('f.agency');
        break;
      case 'first-failed':
        page = page.orderBy(failsFirst).orderBy('st.first_failed').orderBy(rank);
        break;
      case 'newest-failure':
        page = page.orderBy(failsFirst).orderBy('st.first_failed', 'desc').orderBy(rank);
        break;
      case 'rule':
        page = page.orderBy('f.rule_id').orderBy(rank).orderBy('f.agency');
        break;
      case 'agency':
        page = page.orderBy('f.agency').orderBy(failsFirst).orderBy(rank);
        break;
      default:
        page = page.orderBy('f.scanned_at', 'desc');
    }
    const rows =
      limit === 0
        ? []
        : await page
            .orderBy('f.agency')
            .orderBy('f.system')
            .orderBy('f.target')
            .orderBy('f.rule_id')
            .orderBy('f.batch_ref')
            .orderBy('f.seq')
            .limit(limit)
            .offset(offset)
            .execute();
    const streakFor = needStreaks
      ? null
      : await firstFailedOf(
          this.db,
          rows
            .filter((r) => r.outcome === 'fail')
            .map((r) => ({ agentId: r.agent_id, system: r.system, target: r.target, ruleId: r.rule_id })),
        );
    const texts = await this.findingsOf([...new Set(rows.map((r) => r.batch_ref))].map(Number));
    return {
      total: num(total.n),
      items: rows.map((r) => {
        // The texts and evidence are read from the stored report, at the finding's index.
        const cand = texts.get(Number(r.batch_ref))?.[r.seq];
        const f = cand && cand.ruleId === r.rule_id && cand.target === r.target ? cand : undefined;
        return {
          agency: r.agency,
          system: r.system,
          batchId: r.batch_id,
          scannedAt: r.scanned_at,
          ruleId: r.rule_id,
          policyId: r.policy_id,
          check: r.check_id,
          target: r.target,
          outcome: r.outcome as Outcome,
          severity: r.severity as Severity,
          title: { en: f?.title?.en ?? r.rule_id, vi: f?.title?.vi ?? r.rule_id },
          message: { en: f?.message?.en ?? '', vi: f?.message?.vi ?? '' },
          remediation: f?.remediation ? { en: f.remediation.en ?? '', vi: f.remediation.vi ?? '' } : null,
          references: Array.isArray(f?.references) ? f.references : [],
          evidence: f?.evidence && typeof f.evidence === 'object' ? f.evidence : {},
          fingerprint: r.fingerprint,
          firstFailedAt:
            r.outcome !== 'fail'
              ? null
              : streakFor
                ? (streakFor.get(streakKey({ agentId: r.agent_id, system: r.system, target: r.target, ruleId: r.rule_id })) ?? null)
                : (r.first_failed ?? null),
        };
      }),
    };
  }

  /** report.findings of each batch, from the cache or decompressed from `reports`. */
  private async findingsOf(refs: number[]): Promise<Map<number, Finding[]>> {
    const out = new Map<number, Finding[]>();
    const missing: number[] = [];
    for (const ref of refs) {
      const hit = this.findingsCache.get(ref);
      if (hit) {
        out.set(ref, hit.findings);
        // Most recently used last: eviction takes from the front.
        this.findingsCache.delete(ref);
        this.findingsCache.set(ref, hit);
      } else missing.push(ref);
    }
    for (let i = 0; i < missing.length; i += 500) {
      const rows = await this.db
        .selectFrom('reports')
        .select(['batch_ref', 'encoding', 'body'])
        .where('batch_ref', 'in', missing.slice(i, i + 500))
        .execute();
      await Promise.all(
        rows.map(async (r) => {
          const ref = Number(r.batch_ref);
          let findings: Finding[] = [];
          try {
            const report = await readStoredReport(r.body, r.encoding);
            if (Array.isArray(report.findings)) findings = report.findings;
          } catch {
            // An unreadable stored report costs its own findings their texts and evidence (the rows
            // still list them by rule id), never the page.
          }
          out.set(ref, findings);
          this.remember(ref, findings);
        }),
      );
    }
    return out;
  }

  private remember(ref: number, findings: Finding[]): void {
    if (this.findingsCache.has(ref)) return;
    const bytes = heapEstimate(findings);
    // One report larger than the whole budget is used for this answer and not kept.
    if (bytes > this.cacheBudget) return;
    this.findingsCache.set(ref, { findings, bytes });
    this.cachedBytes += bytes;
    for (const [oldest, entry] of this.findingsCache) {
      if (this.cachedBytes <= this.cacheBudget) break;
      this.findingsCache.delete(oldest);
      this.cachedBytes -= entry.bytes;
    }
  }
}

/**
 * The newest `limit` points (default and maximum 10,000), returned oldest first. Read batch by batch
 * from the newest (by agency when given), each batch's findings by key: there is deliberately no
 * index by rule (see migrations.ts), so a query without an agency walks every agency's batches.
 */
export async function history(
  db: Kysely<DB>,
  q: { agency?: string; system?: string; rule?: string; target?: string; limit?: number },
): Promise<HistoryPoint[]> {
  let base = db
    .selectFrom('batches as b')
    .innerJoin('findings as f', 'f.batch_ref', 'b.id')
    .select(['b.batch_id', 'b.created_at', 'f.agency', 'f.system', 'f.rule_id', 'f.target', 'f.outcome']);
  if (q.agency !== undefined) base = base.where('b.agency', '=', q.agency);
  if (q.rule !== undefined) base = base.where('f.rule_id', '=', q.rule);
  if (q.system !== undefined) base = base.where('f.system', '=', q.system);
  if (q.target !== undefined) base = base.where('f.target', '=', q.target);
  const limit = clampInt(q.limit, MAX_HISTORY, 1, MAX_HISTORY);
  const rows = await base.orderBy('b.created_at', 'desc').orderBy('b.id', 'desc').orderBy('f.seq', 'desc').limit(limit).execute();
  return rows.reverse().map((r) => ({
    batchId: r.batch_id,
    scannedAt: r.created_at,
    agency: r.agency,
    system: r.system,
    ruleId: r.rule_id,
    target: r.target,
    outcome: r.outcome as Outcome,
  }));
}

/** Days (UTC) from `days - 1` days before `now` to `now`, only those with a batch; oldest first. */
export async function trend(db: Kysely<DB>, q: { agency?: string; days: number; now: string }): Promise<TrendPoint[]> {
  const now = isoDate(q.now, 'now');
  const days = clampInt(q.days, 30, 1, 3660);
  const from = new Date(Date.parse(now.slice(0, 10)) - (days - 1) * DAY).toISOString();
  const agencyFilter = q.agency !== undefined ? sql`and agency = ${q.agency}` : sql``;
  const result = await sql<{ agency: string; day: string; passed: number | string; failed: number | string }>`
    select agency, day, sum(n_pass) as passed, sum(n_fail) as failed from (
      select agency, substr(created_at, 1, 10) as day, n_pass, n_fail,
             row_number() over (partition by agent_id, substr(created_at, 1, 10) order by created_at desc, batch_id desc) as rn
      from batches
      where created_at >= ${from} and created_at <= ${now} ${agencyFilter}
    ) last_of_day
    where rn = 1
    group by agency, day
    order by day, agency`.execute(db);
  return result.rows.map((r) => ({
    day: r.day,
    agency: r.agency,
    passed: num(r.passed),
    failed: num(r.failed),
    passRate: passRate(num(r.passed), num(r.failed)),
  }));
}

/** `x.%` for LIKE, with the pattern characters of `x` escaped. */
function likePrefix(x: string): string {
  return escapeLike(x) + '.%';
}

function likeContains(x: string): string {
  return '%' + escapeLike(x) + '%';
}

function escapeLike(x: string): string {
  return x.replace(/[\\%_]/g, (c) => '\\' + c);
}
