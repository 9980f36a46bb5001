// Baselines: an earlier govscan report (JSON or SARIF) whose findings are known. A failed finding
// that was already in it stays visible but is marked `baselined` and does not count toward
// --fail-on, so CI blocks only on what a change introduced. Findings are matched by rule id and
// target fingerprint only — never by message text, which changes with facts, wording and language.

import { InputError } from '../core/errors.js';
import { readInputText } from '../core/input-limits.js';
import type { Finding, Localized, Outcome, Severity } from '../core/types.js';
import { SEVERITIES } from '../core/types.js';
import { parseJsonReport } from './json.js';

/** One finding as an earlier report recorded it: what diff and baseline matching need. */
export interface RecordedFinding {
  ruleId: string;
  /** Stable hash of (rule, target): `fingerprint` in JSON, `primaryLocationLineHash` in SARIF. */
  fingerprint: string;
  target: string;
  /** `fail` or `waived` (a SARIF result with a suppression). */
  outcome: Outcome;
  severity: Severity | null;
  message: Localized;
}

export interface RecordedReport {
  file: string;
  format: 'json' | 'sarif';
  /** Failed and waived findings: the ones a later run can match. */
  findings: RecordedFinding[];
  /**
   * Keys (see `findingKey`) the report judged as not tested. Only JSON reports know them; a later
   * run's diff must not call a finding fixed when the new run could not test it.
   */
  notTested: Set<string>;
}

/** Rule id and fingerprint together: a fingerprint alone would do, but the rule id keeps it readable. */
export function findingKey(f: { ruleId: string; fingerprint: string }): string {
  return `${f.ruleId}\u0000${f.fingerprint}`;
}

export async function loadRecordedReport(file: string, what = 'baseline'): Promise<RecordedReport> {
  let text: string;
  try {
    text = await readInputText(file, 'report');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw InputError.inFile(file, `cannot read ${what} report: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseRecordedReport(text, file);
}

/** A govscan JSON report or a govscan SARIF log, told apart by SARIF's `version` and `runs`. */
export function parseRecordedReport(text: string, file: string): RecordedReport {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    // parseJsonReport words the syntax error with its position.
    value = undefined;
  }
  if (isSarifLike(value)) return fromSarif(value, file);
  return fromJsonReport(parseJsonReport(text, file), file);
}

function fromJsonReport(report: { findings: Finding[] }, file: string): RecordedReport {
  const findings: RecordedFinding[] = [];
  const notTested = new Set<string>();
  for (const f of report.findings) {
    if (f.outcome === 'not-tested') notTested.add(findingKey(f));
    if (f.outcome !== 'fail' && f.outcome !== 'waived') continue;
    findings.push({
      ruleId: f.ruleId,
      fingerprint: f.fingerprint,
      target: f.target,
      outcome: f.outcome,
      severity: f.severity,
      message: f.message,
    });
  }
  return { file, format: 'json', findings, notTested };
}

interface SarifLike {
  version: string;
  runs: unknown[];
}

function isSarifLike(v: unknown): v is SarifLike {
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray((v as { runs?: unknown }).runs) &&
    typeof (v as { version?: unknown }).version === 'string'
  );
}

function fromSarif(log: SarifLike, file: string): RecordedReport {
  if (log.version !== '2.1.0')
    throw InputError.inFile(file, `SARIF version ${JSON.stringify(log.version)} is not supported (expected 2.1.0)`);
  const findings: RecordedFinding[] = [];
  log.runs.forEach((run, i) => {
    const r = record(run);
    const driver = record(record(r['tool'])['driver']);
    if (driver['name'] !== 'govscan') {
      // Another tool's fingerprints can never match ours: a silent empty baseline would hide that.
      throw InputError.inFile(
        file,
        `runs[${i}] was not written by govscan (tool.driver.name ${JSON.stringify(driver['name'] ?? null)}): a baseline must be a govscan report`,
      );
    }
    const results = Array.isArray(r['results']) ? (r['results'] as unknown[]) : [];
    results.forEach((raw, j) => {
      const res = record(raw);
      const ruleId = res['ruleId'];
      const fp = record(res['partialFingerprints'])['primaryLocationLineHash'];
      if (typeof ruleId !== 'string' || typeof fp !== 'string' || !fp) {
        throw InputError.inFile(
          file,
          `runs[${i}].results[${j}] has no ruleId or partialFingerprints.primaryLocationLineHash to match findings by`,
        );
      }
      const props = record(res['properties']);
      const severity =
        typeof props['severity'] === 'string' && (SEVERITIES as readonly string[]).includes(props['severity'])
          ? (props['severity'] as Severity)
          : null;
      const text = typeof record(res['message'])['text'] === 'string' ? String(record(res['message'])['text']) : '';
      const suppressed = Array.isArray(res['suppressions']) && res['suppressions'].length > 0;
      findings.push({
        ruleId,
        fingerprint: fp,
        target: typeof props['target'] === 'string' ? props['target'] : logicalTarget(res),
        outcome: suppressed ? 'waived' : 'fail',
        severity,
        // SARIF carries one language only: the same text stands for both.
        message: { en: text, vi: text },
      });
    });
  });
  return { file, format: 'sarif', findings, notTested: new Set() };
}

function logicalTarget(res: Record<string, unknown>): string {
  const loc = Array.isArray(res['locations']) ? record(res['locations'][0]) : {};
  const logical = Array.isArray(loc['logicalLocations']) ? record(loc['logicalLocations'][0]) : {};
  const name = logical['fullyQualifiedName'] ?? logical['name'];
  return typeof name === 'string' ? name : '';
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The set a scan matches its findings against. */
export interface Baseline {
  file: string;
  keys: ReadonlySet<string>;
}

export async function loadBaseline(file: string): Promise<Baseline> {
  return toBaseline(await loadRecordedReport(file, 'baseline'));
}

/**
 * Only the failures of the earlier report. A finding it recorded as waived was accepted by a waiver,
 * not known to fail: once that waiver lapses the finding must count again, not hide in the baseline.
 */
export function toBaseline(report: RecordedReport): Baseline {
  return { file: report.file, keys: new Set(report.findings.filter((f) => f.outcome === 'fail').map(findingKey)) };
}

/**
 * Failed findings already in the baseline come back marked `baselined: true`; everything else is
 * returned as is. A waived finding needs no mark: it does not count anyway. Pure.
 */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): Finding[] {
  return findings.map((f) => (f.outcome === 'fail' && baseline.keys.has(findingKey(f)) ? { ...f, baselined: true } : f));
}
