// The read side of the store: every view the API, the dashboard and `govscan fleet` show, as queries
// over the latest state (latest_batches → the child rows of those batches) or over all batches
// (history, trend). The same kysely queries on SQLite and PostgreSQL; rows come back in exactly the
// contract's shapes, counts with every outcome and severity key present.

import { sql, type Kysely } from 'kysely';
import type { Finding, Outcome, Report, Severity } from '../../engine/types.js';
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
  SystemRow,
  TrendPoint,
} from '../contract.js';
import { isoDate } from './ingest.js';
import type { DB } from './schema.js';
import { readStoredReport } from './writer.js';

const DAY = 86_400_000;
/** Staleness of an agent that has not yet said how often it runs. */
export const DEFAULT_INTERVAL_SECONDS = 3600;
export const MAX_FINDINGS_PAGE = 1000;
export const DEFAULT_FINDINGS_PAGE = 100;
export const MAX_HISTORY = 10_000;
/** Reports whose findings are kept parsed for the findings API (about 60 KB each for 50 findings). */
const FINDINGS_CACHE = 256;

function zeroCounts(): Record<Outcome, number> {
  return { pass: 0, fail: 0, 'not-applicable': 0, 'not-tested': 0, waived: 0 };
}
function zeroSeverities(): Record<Severity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}
function passRate(passed: number, failed: number): number | null {
  return passed + failed === 0 ? null : passed / (passed + failed);
}
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export class Queries {
  /** Findings of reports already read, by batch key: batches never change, so entries never go stale. */
  private readonly findingsCache = new Map<number, Finding[]>();

  constructor(private readonly db: Kysely<DB>) {}

  async overview(now: string, staleAfterIntervals: number): Promise<FleetOverview> {
    const agencies = await this.listAgencies();
    const agents = await this.listAgents(now, staleAfterIntervals);
    const policyRows = await this.db
      .selectFrom('latest_batches as lb')
      .innerJoin('findings as f', 'f.batch_ref', 'lb.batch_ref')
      .select((eb) => [
        'f.policy_id',
        eb.fn.sum<number>(eb.case().when('f.outcome', '=', 'pass').then(1).else(0).end()).as('passed'),
        eb.fn.sum<number>(eb.case().when('f.outcome', '=', 'fail').then(1).else(0).end()).as('failed'),
      ])
      .groupBy('f.policy_id')
      .orderBy('f.policy_id')
      .execute();
    const batches = await this.db.selectFrom('batches').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return {
      generatedAt: isoDate(now, 'now'),
      agencies,
      agents,
      policies: policyRows.map((p) => ({ policyId: p.policy_id, passed: num(p.passed), failed: num(p.failed), passRate: passRate(num(p.passed), num(p.failed)) })),
      totals: {
        agencies: agencies.length,
        agents: agents.length,
        staleAgents: agents.filter((a) => a.stale).length,
        batches: num(batches.n),
        failed: agencies.reduce((s, a) => s + a.counts.fail, 0),
      },
    };
  }

  async listAgencies(): Promise<AgencyRow[]> {
    const agencies = await this.db.selectFrom('agencies').select(['id', 'name']).orderBy('id').execute();
    const agentStats = await this.db
      .selectFrom('agents')
      .select((eb) => ['agency', eb.fn.countAll<number>().as('n'), eb.fn.max('last_seen_at').as('last')])
      .groupBy('agency')
      .execute();
    const sums = await this.db
      .selectFrom('latest_batches as lb')
      .innerJoin('batches as b', 'b.id', 'lb.batch_ref')
      .select((eb) => [
        'lb.agency',
        eb.fn.sum<number>('b.n_pass').as('pass'),
        eb.fn.sum<number>('b.n_fail').as('fail'),
        eb.fn.sum<number>('b.n_not_applicable').as('na'),
        eb.fn.sum<number>('b.n_not_tested').as('nt'),
        eb.fn.sum<number>('b.n_waived').as('waived'),
        eb.fn.sum<number>('b.f_critical').as('critical'),
        eb.fn.sum<number>('b.f_high').as('high'),
        eb.fn.sum<number>('b.f_medium').as('medium'),
        eb.fn.sum<number>('b.f_low').as('low'),
        eb.fn.sum<number>('b.f_info').as('info'),
      ])
      .groupBy('lb.agency')
      .execute();
    const systems = await this.db
      .selectFrom('latest_batches as lb')
      .innerJoin('targets as t', 't.batch_ref', 'lb.batch_ref')
      .where('t.system', '<>', '')
      .select((eb) => ['lb.agency', eb.fn.count<number>('t.system').distinct().as('n')])
      .groupBy('lb.agency')
      .execute();
    const agentsBy = new Map(agentStats.map((r) => [r.agency, r]));
    const sumsBy = new Map(sums.map((r) => [r.agency, r]));
    const systemsBy = new Map(systems.map((r) => [r.agency, num(r.n)]));
    return agencies.map((a) => {
      const s = sumsBy.get(a.id);
      const counts: Record<Outcome, number> = s
        ? { pass: num(s.pass), fail: num(s.fail), 'not-applicable': num(s.na), 'not-tested': num(s.nt), waived: num(s.waived) }
        : zeroCounts();
      const failedBySeverity: Record<Severity, number> = s
        ? { critical: num(s.critical), high: num(s.high), medium: num(s.medium), low: num(s.low), info: num(s.info) }
        : zeroSeverities();
      return {
        id: a.id,
        name: a.name,
        agents: num(agentsBy.get(a.id)?.n),
        systems: systemsBy.get(a.id) ?? 0,
        lastSeenAt: agentsBy.get(a.id)?.last ?? null,
        counts,
        failedBySeverity,
        passRate: passRate(counts.pass, counts.fail),
      };
    });
  }

  async listAgents(now: string, staleAfterIntervals: number, agency?: string): Promise<AgentRow[]> {
    const nowMs = Date.parse(isoDate(now, 'now'));
    let q = this.db.selectFrom('agents').selectAll().orderBy('agency').orderBy('hostname').orderBy('id');
    if (agency !== undefined) q = q.where('agency', '=', agency);
    const rows = await q.execute();
    return rows.map((r) => {
      const interval = r.interval_seconds > 0 ? r.interval_seconds : DEFAULT_INTERVAL_SECONDS;
      // An agent that never reported is judged from its enrolment.
      const since = Date.parse(r.last_seen_at ?? r.enrolled_at);
      return {
        id: r.id,
        agency: r.agency,
        hostname: r.hostname,
        version: r.version,
        intervalSeconds: num(r.interval_seconds),
        enrolledAt: r.enrolled_at,
        lastSeenAt: r.last_seen_at,
        stale: nowMs - since > staleAfterIntervals * interval * 1000,
      };
    });
  }

  async listSystems(agency?: string): Promise<SystemRow[]> {
    let tq = this.db
      .selectFrom('latest_batches as lb')
      .innerJoin('targets as t', 't.batch_ref', 'lb.batch_ref')
      .select((eb) => [
        'lb.agency',
        't.system',
        eb.fn.max('t.system_name').as('name'),
        eb.fn.max('t.system_level').as('level'),
        eb.fn.count<number>('t.target').distinct().as('targets'),
        eb.fn.max('lb.created_at').as('last'),
      ])
      .groupBy(['lb.agency', 't.system']);
    let fq = this.db
      .selectFrom('latest_batches as lb')
      .innerJoin('findings as f', 'f.batch_ref', 'lb.batch_ref')
      .select((eb) => ['lb.agency', 'f.system', 'f.outcome', 'f.severity', eb.fn.countAll<number>().as('n'), eb.fn.max('lb.created_at').as('last')])
      .groupBy(['lb.agency', 'f.system', 'f.outcome', 'f.severity']);
    if (agency !== undefined) {
      tq = tq.where('lb.agency', '=', agency);
      fq = fq.where('lb.agency', '=', agency);
    }
    const rows = new Map<string, SystemRow>();
    const row = (ag: string, id: string, last: string): SystemRow => {
      const key = `${ag}\u0000${id}`;
      let r = rows.get(key);
      if (!r) {
        r = { agency: ag, id, name: null, level: null, targets: 0, counts: zeroCounts(), failedBySeverity: zeroSeverities(), lastScannedAt: last };
        rows.set(key, r);
      }
      if (last > r.lastScannedAt) r.lastScannedAt = last;
      return r;
    };
    for (const t of await tq.execute()) {
      const r = row(t.agency, t.system, t.last ?? '');
      r.name = t.name ?? null;
      r.level = t.level === null || t.level === undefined ? null : num(t.level);
      r.targets = num(t.targets);
    }
    for (const f of await fq.execute()) {
      const r = row(f.agency, f.system, f.last ?? '');
      const n = num(f.n);
      if (f.outcome in r.counts) r.counts[f.outcome as Outcome] += n;
      if (f.outcome === 'fail' && f.severity in r.failedBySeverity) r.failedBySeverity[f.severity as Severity] += n;
    }
    return [...rows.values()].sort((a, b) => cmp(a.agency, b.agency) || cmp(a.id, b.id));
  }

  async listFindings(q: FindingQuery): Promise<Page<FindingRow>> {
    let base = this.db.selectFrom('latest_batches as lb').innerJoin('findings as f', 'f.batch_ref', 'lb.batch_ref');
    if (q.agency !== undefined) base = base.where('lb.agency', '=', q.agency);
    if (q.system !== undefined) base = base.where('f.system', '=', q.system);
    if (q.rule !== undefined) base = base.where('f.rule_id', '=', q.rule);
    if (q.policy !== undefined) base = base.where('f.policy_id', '=', q.policy);
    if (q.target !== undefined) base = base.where('f.target', '=', q.target);
    const outcome = q.outcome ?? 'fail';
    if (outcome !== 'all') base = base.where('f.outcome', '=', outcome);
    if (q.severity !== undefined) base = base.where('f.severity', '=', q.severity);
    const limit = clampInt(q.limit, DEFAULT_FINDINGS_PAGE, 0, MAX_FINDINGS_PAGE);
    const offset = clampInt(q.offset, 0, 0, Number.MAX_SAFE_INTEGER);
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows =
      limit === 0
        ? []
        : await base
            .select(['f.batch_ref', 'f.seq', 'f.agency', 'f.system', 'f.target', 'f.rule_id', 'f.policy_id', 'f.check_id', 'f.outcome', 'f.severity', 'f.fingerprint', 'f.scanned_at', 'lb.batch_id'])
            .orderBy('f.scanned_at', 'desc')
            .orderBy('f.agency')
            .orderBy('f.system')
            .orderBy('f.target')
            .orderBy('f.rule_id')
            .orderBy('f.batch_ref')
            .orderBy('f.seq')
            .limit(limit)
            .offset(offset)
            .execute();
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
      if (hit) out.set(ref, hit);
      else missing.push(ref);
    }
    for (let i = 0; i < missing.length; i += 500) {
      const rows = await this.db.selectFrom('reports').select(['batch_ref', 'encoding', 'body']).where('batch_ref', 'in', missing.slice(i, i + 500)).execute();
      await Promise.all(
        rows.map(async (r) => {
          const report = await readStoredReport(r.body, r.encoding);
          const findings = Array.isArray(report.findings) ? report.findings : [];
          out.set(Number(r.batch_ref), findings);
          this.findingsCache.set(Number(r.batch_ref), findings);
        }),
      );
    }
    while (this.findingsCache.size > FINDINGS_CACHE) this.findingsCache.delete(this.findingsCache.keys().next().value as number);
    return out;
  }

  /**
   * The newest `limit` points (default and maximum 10,000), returned oldest first. Read batch by batch
   * from the newest (by agency when given), each batch's findings by key: there is deliberately no
   * index by rule (see migrations.ts), so a query without an agency walks every agency's batches.
   */
  async history(q: { agency?: string; system?: string; rule?: string; target?: string; limit?: number }): Promise<HistoryPoint[]> {
    let base = this.db
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
  async trend(q: { agency?: string; days: number; now: string }): Promise<TrendPoint[]> {
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
      order by day, agency`.execute(this.db);
    return result.rows.map((r) => ({ day: r.day, agency: r.agency, passed: num(r.passed), failed: num(r.failed), passRate: passRate(num(r.passed), num(r.failed)) }));
  }

  /** Certificates of the latest state with notAfter ≤ now + days, soonest first; already expired ones included (daysLeft < 0). */
  async certificates(q: { agency?: string; days: number; now: string }): Promise<CertificateRow[]> {
    const nowMs = Date.parse(isoDate(q.now, 'now'));
    const until = new Date(nowMs + q.days * DAY).toISOString();
    let base = this.db
      .selectFrom('latest_batches as lb')
      .innerJoin('certificates as c', 'c.batch_ref', 'lb.batch_ref')
      .select(['c.agency', 'c.system', 'c.location', 'c.subject', 'c.issuer', 'c.not_after', 'c.source'])
      .where('c.not_after', '<=', until);
    if (q.agency !== undefined) base = base.where('lb.agency', '=', q.agency);
    const rows = await base.orderBy('c.not_after').orderBy('c.agency').orderBy('c.location').execute();
    const seen = new Set<string>();
    const out: CertificateRow[] = [];
    for (const r of rows) {
      // Two agents of one agency may watch the same endpoint: one row per certificate and place.
      const key = `${r.agency}\u0000${r.location}\u0000${r.subject}\u0000${r.not_after}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        agency: r.agency,
        system: r.system,
        where: r.location,
        subject: r.subject,
        issuer: r.issuer,
        notAfter: r.not_after,
        daysLeft: Math.floor((Date.parse(r.not_after) - nowMs) / DAY),
        source: r.source === 'file' ? 'file' : 'endpoint',
      });
    }
    return out;
  }

  /** Every agency (or the one asked for), with the newest score of each domain its agents scored. */
  async ipv6(agency?: string): Promise<Ipv6AgencyRow[]> {
    let aq = this.db.selectFrom('agencies').select('id').orderBy('id');
    let sq = this.db
      .selectFrom('latest_batches as lb')
      .innerJoin('ipv6_scores as s', 's.batch_ref', 'lb.batch_ref')
      .select(['lb.agency', 's.domain', 's.score', 's.failed_rules'])
      .orderBy('lb.created_at', 'desc')
      .orderBy('lb.batch_id', 'desc');
    if (agency !== undefined) {
      aq = aq.where('id', '=', agency);
      sq = sq.where('lb.agency', '=', agency);
    }
    const byAgency = new Map<string, Map<string, Ipv6AgencyRow['domains'][number]>>();
    for (const a of await aq.execute()) byAgency.set(a.id, new Map());
    for (const r of await sq.execute()) {
      let domains = byAgency.get(r.agency);
      if (!domains) byAgency.set(r.agency, (domains = new Map()));
      if (!domains.has(r.domain)) domains.set(r.domain, { domain: r.domain, score: r.score === null ? null : Number(r.score), failedRules: parseJson<string[]>(r.failed_rules, []) });
    }
    return [...byAgency.entries()]
      .sort(([a], [b]) => cmp(a, b))
      .map(([id, domains]) => {
        const list = [...domains.values()].sort((a, b) => cmp(a.domain, b.domain));
        const scored = list.filter((d) => d.score !== null).map((d) => d.score as number);
        return { agency: id, score: scored.length ? scored.reduce((s, x) => s + x, 0) / scored.length : null, domains: list };
      });
  }

  async latestReports(agency: string): Promise<Report[]> {
    const rows = await this.db
      .selectFrom('latest_batches as lb')
      .innerJoin('reports as r', 'r.batch_ref', 'lb.batch_ref')
      .select(['r.body', 'r.encoding'])
      .where('lb.agency', '=', agency)
      .orderBy('lb.created_at')
      .orderBy('lb.agent_id')
      .execute();
    return Promise.all(rows.map((r) => readStoredReport(r.body, r.encoding)));
  }

  async stats(): Promise<{ agencies: number; agents: number; batches: number; findings: number }> {
    const count = async (table: 'agencies' | 'agents'): Promise<number> =>
      num((await this.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    // Findings are summed from the batches' counts: counting the biggest table would scan it.
    const b = await this.db
      .selectFrom('batches')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('findings').as('f')])
      .executeTakeFirstOrThrow();
    return { agencies: await count('agencies'), agents: await count('agents'), batches: num(b.n), findings: num(b.f) };
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function clampInt(v: number | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined || !Number.isFinite(v)) return dflt;
  return Math.min(max, Math.max(min, Math.trunc(v)));
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

