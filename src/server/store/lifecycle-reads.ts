// Lifecycle of a failure over all stored batches: when the current failing streak of a rule on a
// target began (first failed), which rules the fleet fails now and how widely, and per day how many
// failures were open by severity, newly opened and fixed. A "streak" is keyed by agency, system,
// target and rule; a pass (or not-applicable) ends it, a not-tested run does not.

import { sql, type Kysely } from 'kysely';
import type { Severity } from '../../core/types.js';
import type { SeverityTrendPoint } from '../../contract/read-api.js';
import { isoDate } from './ingest.js';
import { DAY, clampInt, num, zeroSeverities } from './read-util.js';
import type { DB } from './schema.js';

/** How far before the trend window a finding's previous outcome is looked for. */
const LOOKBACK_DAYS = 7;

/** Outcomes that end a failing streak: the rule was judged and did not fail. */
const ENDS_STREAK = ['pass', 'not-applicable'] as const;

/**
 * A sub-select of (agency, system, target, rule_id, first_failed): for every key failing after its
 * last streak-ending outcome, the first such failure. Joined by the findings read on the four keys.
 */
export function streakStarts(db: Kysely<DB>, agency?: string) {
  let lastOk = db
    .selectFrom('findings')
    .where('outcome', 'in', ENDS_STREAK)
    .select((eb) => ['agency', 'system', 'target', 'rule_id', eb.fn.max('scanned_at').as('last_ok')])
    .groupBy(['agency', 'system', 'target', 'rule_id']);
  if (agency !== undefined) lastOk = lastOk.where('agency', '=', agency);
  let q = db
    .selectFrom('findings as s')
    .leftJoin(lastOk.as('ok'), (j) =>
      j
        .onRef('ok.agency', '=', 's.agency')
        .onRef('ok.system', '=', 's.system')
        .onRef('ok.target', '=', 's.target')
        .onRef('ok.rule_id', '=', 's.rule_id'),
    )
    .where('s.outcome', '=', 'fail')
    .where((eb) => eb.or([eb('ok.last_ok', 'is', null), eb('s.scanned_at', '>', eb.ref('ok.last_ok'))]))
    .select((eb) => ['s.agency', 's.system', 's.target', 's.rule_id', eb.fn.min('s.scanned_at').as('first_failed')])
    .groupBy(['s.agency', 's.system', 's.target', 's.rule_id']);
  if (agency !== undefined) q = q.where('s.agency', '=', agency);
  return q;
}

/** Failures of the latest state per rule: how many agencies, systems and findings. */
export async function ruleFailures(
  db: Kysely<DB>,
  agency?: string,
): Promise<{ ruleId: string; policyId: string; severity: Severity; agencies: number; systems: number; findings: number }[]> {
  let q = db
    .selectFrom('latest_batches as lb')
    .innerJoin('findings as f', 'f.batch_ref', 'lb.batch_ref')
    .where('f.outcome', '=', 'fail')
    .select((eb) => [
      'f.rule_id',
      eb.fn.max('f.policy_id').as('policy_id'),
      eb.fn.max('f.severity').as('severity'),
      eb.fn.count<number>('f.agency').distinct().as('agencies'),
      sql<number>`count(distinct f.agency || '/' || f.system)`.as('systems'),
      eb.fn.countAll<number>().as('n'),
    ])
    .groupBy('f.rule_id');
  if (agency !== undefined) q = q.where('lb.agency', '=', agency);
  const rows = await q.execute();
  return rows.map((r) => ({
    ruleId: r.rule_id,
    policyId: r.policy_id ?? '',
    severity: (r.severity ?? 'info') as Severity,
    agencies: num(r.agencies),
    systems: num(r.systems),
    findings: num(r.n),
  }));
}

/**
 * Per UTC day of the window: open failures by severity (the last batch of each agent that day, as
 * /trend counts them), and how many rule × target pairs started failing or were fixed that day.
 * Days without a batch are left out.
 */
export async function severityTrend(db: Kysely<DB>, q: { agency?: string; days: number; now: string }): Promise<SeverityTrendPoint[]> {
  const now = isoDate(q.now, 'now');
  const days = clampInt(q.days, 30, 1, 3660);
  const from = new Date(Date.parse(now.slice(0, 10)) - (days - 1) * DAY).toISOString();
  const agencyFilter = q.agency !== undefined ? sql`and agency = ${q.agency}` : sql``;
  const open = await sql<{ day: string; critical: unknown; high: unknown; medium: unknown; low: unknown; info: unknown }>`
    select day, sum(f_critical) as critical, sum(f_high) as high, sum(f_medium) as medium, sum(f_low) as low, sum(f_info) as info from (
      select substr(created_at, 1, 10) as day, f_critical, f_high, f_medium, f_low, f_info,
             row_number() over (partition by agent_id, substr(created_at, 1, 10) order by created_at desc, batch_id desc) as rn
      from batches
      where created_at >= ${from} and created_at <= ${now} ${agencyFilter}
    ) last_of_day
    where rn = 1
    group by day
    order by day`.execute(db);
  // lag() needs each finding's previous outcome, which may be older than the window: a week before
  // it is read too (an agent silent for longer counts its next failure as new).
  const lookback = new Date(Date.parse(from) - LOOKBACK_DAYS * DAY).toISOString();
  const changes = await sql<{ day: string; opened: unknown; fixed: unknown }>`
    select substr(scanned_at, 1, 10) as day,
           sum(case when outcome = 'fail' and (prev is null or prev in ('pass', 'not-applicable')) then 1 else 0 end) as opened,
           sum(case when outcome in ('pass', 'not-applicable') and prev = 'fail' then 1 else 0 end) as fixed
    from (
      select scanned_at, outcome,
             lag(outcome) over (partition by agency, system, target, rule_id order by scanned_at, batch_ref) as prev
      from findings
      where scanned_at >= ${lookback} and scanned_at <= ${now} ${agencyFilter}
    ) steps
    where scanned_at >= ${from}
    group by substr(scanned_at, 1, 10)`.execute(db);
  const changeBy = new Map(changes.rows.map((r) => [r.day, r]));
  return open.rows.map((r) => {
    const c = changeBy.get(r.day);
    const sev = zeroSeverities();
    sev.critical = num(r.critical);
    sev.high = num(r.high);
    sev.medium = num(r.medium);
    sev.low = num(r.low);
    sev.info = num(r.info);
    return { day: r.day, open: sev, opened: num(c?.opened), fixed: num(c?.fixed) };
  });
}

/** A latest-state finding whose streak start is wanted: its agent's batches are walked back. */
export interface StreakKey {
  agentId: string;
  system: string;
  target: string;
  ruleId: string;
}

/**
 * First-failed dates for a page of failing findings, read through each agent's own batches (by the
 * agent/created index) rather than the whole findings table: newest batch first, a key's streak
 * starts at its oldest failure after the last pass or not-applicable. Keyed `agent|system|target|rule`.
 */
export async function firstFailedOf(db: Kysely<DB>, keys: readonly StreakKey[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (keys.length === 0) return out;
  const keyOf = (agent: string, system: string, target: string, rule: string): string =>
    `${agent}\u0000${system}\u0000${target}\u0000${rule}`;
  const wanted = new Set(keys.map((k) => keyOf(k.agentId, k.system, k.target, k.ruleId)));
  const agents = [...new Set(keys.map((k) => k.agentId))];
  const rules = [...new Set(keys.map((k) => k.ruleId))];
  const ended = new Set<string>();
  for (let i = 0; i < agents.length; i += 200) {
    const rows = await db
      .selectFrom('batches as b')
      .innerJoin('findings as f', 'f.batch_ref', 'b.id')
      .where('b.agent_id', 'in', agents.slice(i, i + 200))
      .where('f.rule_id', 'in', rules)
      .select(['b.agent_id', 'b.created_at', 'b.id', 'f.system', 'f.target', 'f.rule_id', 'f.outcome'])
      .orderBy('b.agent_id')
      .orderBy('b.created_at', 'desc')
      .orderBy('b.id', 'desc')
      .execute();
    for (const r of rows) {
      const key = keyOf(r.agent_id, r.system, r.target, r.rule_id);
      if (!wanted.has(key) || ended.has(key)) continue;
      if (r.outcome === 'fail') out.set(key, r.created_at);
      else if ((ENDS_STREAK as readonly string[]).includes(r.outcome)) ended.add(key);
    }
  }
  return out;
}

export function streakKey(k: StreakKey): string {
  return `${k.agentId}\u0000${k.system}\u0000${k.target}\u0000${k.ruleId}`;
}
