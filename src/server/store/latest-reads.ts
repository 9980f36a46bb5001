// Reads of what the latest batches carry besides findings: certificates about to expire, IPv6
// scores by agency, and the stored reports themselves (for exports).

import type { Kysely } from 'kysely';
import type { Report } from '../../core/types.js';
import type { CertificateRow, Ipv6AgencyRow } from '../../contract/read-api.js';
import { isoDate } from './ingest.js';
import { DAY, cmp, parseJson } from './read-util.js';
import type { DB } from './schema.js';
import { readStoredReport } from './writer.js';

/** Certificates of the latest state with notAfter ≤ now + days, soonest first; already expired ones included (daysLeft < 0). */
export async function certificates(db: Kysely<DB>, q: { agency?: string; days: number; now: string }): Promise<CertificateRow[]> {
  const nowMs = Date.parse(isoDate(q.now, 'now'));
  const until = new Date(nowMs + q.days * DAY).toISOString();
  let base = db
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
export async function ipv6(db: Kysely<DB>, agency?: string): Promise<Ipv6AgencyRow[]> {
  let aq = db.selectFrom('agencies').select('id').orderBy('id');
  let sq = db
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
    if (!domains.has(r.domain))
      domains.set(r.domain, {
        domain: r.domain,
        score: r.score === null ? null : Number(r.score),
        failedRules: parseJson<string[]>(r.failed_rules, []),
      });
  }
  return [...byAgency.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([id, domains]) => {
      const list = [...domains.values()].sort((a, b) => cmp(a.domain, b.domain));
      const scored = list.filter((d) => d.score !== null).map((d) => d.score as number);
      return { agency: id, score: scored.length ? scored.reduce((s, x) => s + x, 0) / scored.length : null, domains: list };
    });
}

export async function latestReports(db: Kysely<DB>, agency: string): Promise<Report[]> {
  const rows = await db
    .selectFrom('latest_batches as lb')
    .innerJoin('reports as r', 'r.batch_ref', 'lb.batch_ref')
    .select(['r.body', 'r.encoding'])
    .where('lb.agency', '=', agency)
    .orderBy('lb.created_at')
    .orderBy('lb.agent_id')
    .execute();
  return Promise.all(rows.map((r) => readStoredReport(r.body, r.encoding)));
}
