// A Batch turned into the rows the store keeps: one per finding (passes included, for history), one
// per target (systems and their names), per certificate seen (endpoint leafs, files on the agent's
// host) and per IPv6-scored domain. Pure: no database here.

import type { Finding, Report } from '../../core/types.js';
import { emptySummary } from '../../report/summary.js';
import { InputError } from '../../core/errors.js';
import { HOST_CHECK, type HostFactsForServer } from '../../../checks/host/check-id.js';
import { TLS_CHECK } from '../../../checks/tls/check-id.js';
import type { Batch } from '../../contract/agent-api.js';
import type { BatchesTable, CertificatesTable, FindingsTable, Ipv6ScoresTable, TargetsTable } from './schema.js';

type Child<T> = Omit<T, 'batch_ref'>;

export interface BatchRows {
  batch: Omit<BatchesTable, 'id'>;
  findings: Child<FindingsTable>[];
  targets: Child<TargetsTable>[];
  certificates: Child<CertificatesTable>[];
  ipv6: Child<Ipv6ScoresTable>[];
  agent: { id: string; agency: string; hostname: string; version: string; intervalSeconds: number };
  /** The agency's display name, for an agency the store has not seen yet. */
  agencyName: string;
}

/** An ISO date in the one form the store compares lexically (`…T…:…:….sssZ`), or an InputError. */
export function isoDate(value: unknown, what: string): string {
  const t = typeof value === 'string' || typeof value === 'number' ? Date.parse(String(value)) : NaN;
  if (!Number.isFinite(t)) throw InputError.inFile(what, `not a date: ${JSON.stringify(value)}`);
  return new Date(t).toISOString();
}

function optionalIso(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const t = Date.parse(value);
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function normaliseBatch(batch: Batch, receivedAt: string): BatchRows {
  const received = isoDate(receivedAt, 'receivedAt');
  // An agent's clock is not the server's: a batch dated after its own arrival (2099, or a clock
  // running fast) is dated when it arrived, so it cannot stay an agent's "latest" and hide the
  // batches that follow. Earlier dates are kept: a spooled batch delivered late is older, as it says.
  const sent = isoDate(batch.createdAt, 'createdAt');
  // biome-ignore lint/complexity/useMathMinMax: ISO instants, compared as text
  const createdAt = sent > received ? received : sent;
  const report: Report = batch.report;
  const agency = batch.agency;

  const systemOf = new Map<string, string>();
  const targets: Child<TargetsTable>[] = [];
  for (const t of report.targets ?? []) {
    if (systemOf.has(t.key)) continue;
    const system = t.system?.id ?? '';
    systemOf.set(t.key, system);
    targets.push({
      seq: targets.length,
      agency,
      system,
      system_name: t.system?.name ?? null,
      system_level: typeof t.system?.level === 'number' ? t.system.level : null,
      target: t.key,
    });
  }

  // Counted here, not with countFindings: a batch from a store caller (not the HTTP schema) may carry
  // an unknown outcome or severity, which must be stored but not counted.
  const { findings: counts, failedBySeverity: failed } = emptySummary(0);
  const findings: Child<FindingsTable>[] = (report.findings ?? []).map((f: Finding, seq) => {
    if (f.outcome in counts) counts[f.outcome]++;
    if (f.outcome === 'fail' && f.severity in failed) failed[f.severity]++;
    return {
      seq,
      agency,
      system: systemOf.get(f.target) ?? '',
      target: f.target,
      rule_id: f.ruleId,
      policy_id: f.policyId,
      check_id: f.check,
      outcome: f.outcome,
      severity: f.severity,
      fingerprint: f.fingerprint,
      scanned_at: createdAt,
    };
  });

  const certificates: Child<CertificatesTable>[] = [];
  const seen = new Set<string>();
  const addCert = (c: Omit<Child<CertificatesTable>, 'seq' | 'agency'>): void => {
    const key = `${c.location}\u0000${c.subject}\u0000${c.not_after}`;
    if (seen.has(key)) return;
    seen.add(key);
    certificates.push({ seq: certificates.length, agency, ...c });
  };
  for (const a of report.attempts ?? []) {
    if (a.status !== 'ok' || !a.facts || typeof a.facts !== 'object') continue;
    if (a.check === TLS_CHECK) {
      const leaf = (a.facts as { leaf?: { subject?: unknown; issuer?: unknown; notAfter?: unknown } }).leaf;
      const notAfter = optionalIso(leaf?.notAfter);
      if (!leaf || !notAfter) continue;
      addCert({
        system: systemOf.get(a.target) ?? '',
        location: a.target,
        subject: str(leaf.subject) ?? '',
        issuer: str(leaf.issuer),
        not_after: notAfter,
        source: 'endpoint',
      });
    } else if (a.check === HOST_CHECK) {
      const facts = a.facts as Partial<HostFactsForServer>;
      const host = str(facts.hostname) ?? batch.agent?.hostname ?? '';
      for (const file of Array.isArray(facts.certificateFiles) ? facts.certificateFiles : []) {
        const notAfter = optionalIso(file?.notAfter);
        if (file?.status !== 'ok' || !notAfter) continue;
        addCert({
          system: systemOf.get(a.target) ?? '',
          location: `file:${file.path}@${host}`,
          subject: str(file.subject) ?? '',
          issuer: str(file.issuer),
          not_after: notAfter,
          source: 'file',
        });
      }
    }
  }

  const ipv6: Child<Ipv6ScoresTable>[] = (report.ipv6Scores ?? []).map((s, seq) => ({
    seq,
    agency,
    domain: s.domain,
    score: typeof s.score === 'number' ? s.score : null,
    failed_rules: JSON.stringify([...new Set((s.categories ?? []).flatMap((c) => c.failedRules ?? []))].sort()),
  }));

  return {
    batch: {
      batch_id: batch.batchId,
      agency,
      agent_id: batch.agentId,
      created_at: createdAt,
      received_at: received,
      findings: findings.length,
      n_pass: counts.pass,
      n_fail: counts.fail,
      n_not_applicable: counts['not-applicable'],
      n_not_tested: counts['not-tested'],
      n_waived: counts.waived,
      f_critical: failed.critical,
      f_high: failed.high,
      f_medium: failed.medium,
      f_low: failed.low,
      f_info: failed.info,
    },
    findings,
    targets,
    certificates,
    ipv6,
    agent: {
      id: batch.agentId,
      agency,
      hostname: batch.agent?.hostname ?? report.run?.scannerHost ?? '',
      version: batch.agent?.version ?? '',
      intervalSeconds: Number.isFinite(batch.agent?.intervalSeconds) ? Math.max(0, Math.round(batch.agent.intervalSeconds)) : 0,
    },
    agencyName: report.run?.agency || agency,
  };
}
