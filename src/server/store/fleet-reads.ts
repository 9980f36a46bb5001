// Fleet reads: the overview, agencies, agents and systems of the latest state (latest_batches → the
// child rows of those batches), and the store's row counts. Counts come back with every outcome and
// severity key present, as the contract's shapes have them.

import type { Kysely } from 'kysely';
import type { Outcome, Severity } from '../../core/types.js';
import type { AgencyRow, AgentRow, FleetOverview, SystemRow } from '../../contract/read-api.js';
import { isoDate } from './ingest.js';
import { cmp, num, passRate, zeroCounts, zeroSeverities } from './read-util.js';
import type { DB } from './schema.js';

/** Staleness of an agent that has not yet said how often it runs. */
const DEFAULT_INTERVAL_SECONDS = 3600;

/** The whole fleet, or (`agency` given) that agency alone: the overview an agency-scoped viewer gets. */
export async function overview(db: Kysely<DB>, now: string, staleAfterIntervals: number, agency?: string): Promise<FleetOverview> {
  const agents = await listAgents(db, now, staleAfterIntervals, agency);
  const agencies = await listAgenciesWith(db, agents, agency);
  let policyQuery = db
    .selectFrom('latest_batches as lb')
    .innerJoin('findings as f', 'f.batch_ref', 'lb.batch_ref')
    .select((eb) => [
      'f.policy_id',
      eb.fn.sum<number>(eb.case().when('f.outcome', '=', 'pass').then(1).else(0).end()).as('passed'),
      eb.fn.sum<number>(eb.case().when('f.outcome', '=', 'fail').then(1).else(0).end()).as('failed'),
    ])
    .groupBy('f.policy_id')
    .orderBy('f.policy_id');
  let batchQuery = db.selectFrom('batches').select((eb) => eb.fn.countAll<number>().as('n'));
  if (agency !== undefined) {
    policyQuery = policyQuery.where('lb.agency', '=', agency);
    batchQuery = batchQuery.where('agency', '=', agency);
  }
  const policyRows = await policyQuery.execute();
  const batches = await batchQuery.executeTakeFirstOrThrow();
  return {
    generatedAt: isoDate(now, 'now'),
    agencies,
    agents,
    policies: policyRows.map((p) => ({
      policyId: p.policy_id,
      passed: num(p.passed),
      failed: num(p.failed),
      passRate: passRate(num(p.passed), num(p.failed)),
    })),
    totals: {
      agencies: agencies.length,
      agents: agents.length,
      staleAgents: agents.filter((a) => a.stale).length,
      batches: num(batches.n),
      failed: agencies.reduce((s, a) => s + a.counts.fail, 0),
    },
  };
}

/**
 * Agencies with their latest state, all or (`agency` given) that one alone. Given `now`, agents not
 * reporting on time are found, counted in `staleAgents`, and their results kept out of `passRate`
 * (their failures still count: an expired certificate does not renew itself because its agent went quiet).
 */
export async function listAgencies(db: Kysely<DB>, agency?: string, now?: string, staleAfterIntervals?: number): Promise<AgencyRow[]> {
  const agents = now !== undefined && staleAfterIntervals !== undefined ? await listAgents(db, now, staleAfterIntervals, agency) : null;
  return listAgenciesWith(db, agents, agency);
}

async function listAgenciesWith(db: Kysely<DB>, agents: AgentRow[] | null, agency: string | undefined): Promise<AgencyRow[]> {
  let agencyQuery = db.selectFrom('agencies').select(['id', 'name']).orderBy('id');
  let agentQuery = db
    .selectFrom('agents')
    .select((eb) => ['agency', eb.fn.countAll<number>().as('n'), eb.fn.max('last_seen_at').as('last')])
    .groupBy('agency');
  if (agency !== undefined) {
    agencyQuery = agencyQuery.where('id', '=', agency);
    agentQuery = agentQuery.where('agency', '=', agency);
  }
  const agencies = await agencyQuery.execute();
  const agentStats = await agentQuery.execute();
  const sums = await db
    .selectFrom('latest_batches as lb')
    .innerJoin('batches as b', 'b.id', 'lb.batch_ref')
    .select((eb) => [
      'lb.agency',
      'lb.agent_id',
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
    .groupBy(['lb.agency', 'lb.agent_id'])
    .$if(agency !== undefined, (q) => q.where('lb.agency', '=', agency as string))
    .execute();
  const systems = await db
    .selectFrom('latest_batches as lb')
    .innerJoin('targets as t', 't.batch_ref', 'lb.batch_ref')
    .where('t.system', '<>', '')
    .select((eb) => ['lb.agency', eb.fn.count<number>('t.system').distinct().as('n')])
    .groupBy('lb.agency')
    .$if(agency !== undefined, (q) => q.where('lb.agency', '=', agency as string))
    .execute();
  const agentsBy = new Map(agentStats.map((r) => [r.agency, r]));
  const stale = new Set((agents ?? []).filter((a) => a.stale).map((a) => a.id));
  const sumsBy = new Map<string, AgencySums>();
  for (const r of sums) {
    const acc = sumsBy.get(r.agency) ?? { counts: zeroCounts(), failedBySeverity: zeroSeverities(), rate: { pass: 0, fail: 0 } };
    const c = acc.counts;
    c.pass += num(r.pass);
    c.fail += num(r.fail);
    c['not-applicable'] += num(r.na);
    c['not-tested'] += num(r.nt);
    c.waived += num(r.waived);
    const f = acc.failedBySeverity;
    f.critical += num(r.critical);
    f.high += num(r.high);
    f.medium += num(r.medium);
    f.low += num(r.low);
    f.info += num(r.info);
    if (!stale.has(r.agent_id)) {
      acc.rate.pass += num(r.pass);
      acc.rate.fail += num(r.fail);
    }
    sumsBy.set(r.agency, acc);
  }
  const staleBy = new Map<string, number>();
  for (const a of agents ?? []) if (a.stale) staleBy.set(a.agency, (staleBy.get(a.agency) ?? 0) + 1);
  const systemsBy = new Map(systems.map((r) => [r.agency, num(r.n)]));
  return agencies.map((a) => {
    const s = sumsBy.get(a.id);
    const counts: Record<Outcome, number> = s?.counts ?? zeroCounts();
    const failedBySeverity: Record<Severity, number> = s?.failedBySeverity ?? zeroSeverities();
    const rate = s?.rate ?? { pass: 0, fail: 0 };
    const row: AgencyRow = {
      id: a.id,
      name: a.name,
      agents: num(agentsBy.get(a.id)?.n),
      systems: systemsBy.get(a.id) ?? 0,
      lastSeenAt: agentsBy.get(a.id)?.last ?? null,
      counts,
      failedBySeverity,
      passRate: passRate(rate.pass, rate.fail),
    };
    if (agents) {
      row.staleAgents = staleBy.get(a.id) ?? 0;
      row.rateCounts = rate;
    }
    return row;
  });
}

interface AgencySums {
  counts: Record<Outcome, number>;
  failedBySeverity: Record<Severity, number>;
  /** pass/fail of agents reporting on time */
  rate: { pass: number; fail: number };
}

export async function listAgents(db: Kysely<DB>, now: string, staleAfterIntervals: number, agency?: string): Promise<AgentRow[]> {
  const nowMs = Date.parse(isoDate(now, 'now'));
  let q = db.selectFrom('agents').selectAll().orderBy('agency').orderBy('hostname').orderBy('id');
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

export async function listSystems(db: Kysely<DB>, agency?: string): Promise<SystemRow[]> {
  let tq = db
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
  let fq = db
    .selectFrom('latest_batches as lb')
    .innerJoin('findings as f', 'f.batch_ref', 'lb.batch_ref')
    .select((eb) => [
      'lb.agency',
      'f.system',
      'f.outcome',
      'f.severity',
      eb.fn.countAll<number>().as('n'),
      eb.fn.max('lb.created_at').as('last'),
    ])
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
      r = {
        agency: ag,
        id,
        name: null,
        level: null,
        targets: 0,
        counts: zeroCounts(),
        failedBySeverity: zeroSeverities(),
        lastScannedAt: last,
      };
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

export async function stats(db: Kysely<DB>): Promise<{ agencies: number; agents: number; batches: number; findings: number }> {
  const count = async (table: 'agencies' | 'agents'): Promise<number> =>
    num(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  // Findings are summed from the batches' counts: counting the biggest table would scan it.
  const b = await db
    .selectFrom('batches')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('findings').as('f')])
    .executeTakeFirstOrThrow();
  return { agencies: await count('agencies'), agents: await count('agents'), batches: num(b.n), findings: num(b.f) };
}
