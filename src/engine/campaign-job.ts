// One campaign job scanned by the same pipeline as `govscan scan` (prepareScan, executeScan): its
// target with the campaign's options, the scanning process's own network settings (CA files, DNS
// servers, pins) and one dialer shared by all its jobs, so its per-address limit holds across jobs.
// `govscan worker` (src/worker/) and the embedded server's in-process pool both scan jobs with this.
// A scan where no probe could gather a single fact (the target timed out, refused, did not resolve)
// is no result: it is handed back as a failure with the probes' reasons, for the server to retry
// and, after its last attempt, to keep dead with that reason.

import type { ClaimedJob } from '../contract/campaign-api.js';
import { InputError } from '../core/errors.js';
import { localize } from '../core/i18n/index.js';
import { parseTarget } from '../core/targets.js';
import type { FamilyOptionValues } from '../core/family.js';
import type { Dialer, Lang, Report, Severity, SystemRef } from '../core/types.js';
import { defineMessages } from '../core/i18n/index.js';
import { executeScan, nothingScanned, prepareScan, type ScanRequest } from './scan.js';

/** What the scanning process's settings (the worker's flags) say about scanning, whatever the job. */
export interface JobScanSettings {
  /** --resolve pins of this machine's network, after the campaign's own. */
  resolve: string[];
  caFiles: string[];
  caPins: string[];
  dnsServers: string[];
  /** Per-connection timeout when the campaign sets none. */
  timeoutMs: number;
  /** The check families' own options of this machine (--lab, --tls-quick, …; src/engine/registry.ts FAMILY_OPTIONS). */
  options?: FamilyOptionValues;
  dialer: Dialer;
  lang: Lang;
}

export type JobOutcome =
  | { kind: 'report'; report: Report; failed: number }
  /** `retryable` false: no later attempt can do better (the job itself is malformed). */
  | { kind: 'failed'; reason: string; retryable: boolean };

/** Reasons quoted in a failure: the distinct ones, a bounded text (the server keeps 2000 characters). */
const MAX_REASONS = 4;
const MAX_REASON_CHARS = 1500;

/** Reasons a job's failure gives, in the scanning process's language (the server keeps one text). */
const M = defineMessages({
  reasonNothingScanned: {
    en: 'no probe of the target could gather facts: {reasons}',
    vi: 'không phép thăm dò nào thu thập được dữ liệu của đối tượng quét: {reasons}',
  },
  reasonNoCheck: {
    en: "no check of the campaign's policy packs applies to this target",
    vi: 'không phép kiểm tra nào của các bộ quy tắc trong chiến dịch áp dụng cho đối tượng quét này',
  },
  reasonBadJob: { en: 'the job cannot be scanned: {message}', vi: 'không quét được việc này: {message}' },
  reasonStopped: { en: 'the scan was stopped before it finished', vi: 'lượt quét bị dừng trước khi xong' },
  reasonScanError: { en: 'the scan failed: {message}', vi: 'lượt quét bị lỗi: {message}' },
});

export async function scanJob(job: ClaimedJob, settings: JobScanSettings, signal: AbortSignal): Promise<JobOutcome> {
  const system = job.system ? systemRef(job.system) : undefined;
  const parsed = parseTarget(job.target, { agency: job.agency, ...(system ? { system } : {}) });
  if (!parsed.ok) return badJob(parsed.error, settings.lang);
  const options = job.options;
  const timeoutMs = options.timeoutMs ?? settings.timeoutMs;
  const legalBasis = options.legalBasis ?? job.system?.legalBasis;
  const request: ScanRequest = {
    targets: [],
    extraTargets: [parsed.target],
    policies: options.policies ?? [],
    resolve: [...(options.resolve ?? []), ...settings.resolve],
    caFiles: settings.caFiles,
    caPins: settings.caPins,
    dnsServers: settings.dnsServers,
    ...(settings.options ? { options: settings.options } : {}),
    failOn: 'none',
    params: options.params ?? [],
    rules: options.rules ?? [],
    skipRules: options.skipRules ?? [],
    severities: (options.severities ?? []) as Severity[],
    ...(legalBasis ? { legalBasis } : {}),
  };
  let report: Report;
  try {
    const prepared = await prepareScan(request, { timeoutMs });
    report = await executeScan(prepared, {
      concurrency: 1,
      perHostLimit: 1,
      dialer: settings.dialer,
      timeoutMs,
      targetTimeoutMs: timeoutMs * 4,
      // The server keeps history per rule and shows the evidence of each failure: every finding, every fact.
      keepFacts: true,
      signal,
    });
  } catch (err) {
    // Bad options (an unknown pack, a malformed pin) fail every attempt alike; anything else may pass.
    if (err instanceof InputError) return badJob(err.messageIn(settings.lang), settings.lang);
    return {
      kind: 'failed',
      reason: localize(M.reasonScanError, settings.lang, { message: String((err as Error).message) }),
      retryable: true,
    };
  }
  if (signal.aborted) return { kind: 'failed', reason: localize(M.reasonStopped, settings.lang), retryable: true };
  if (!report.attempts.length) return { kind: 'failed', reason: localize(M.reasonNoCheck, settings.lang), retryable: false };
  if (nothingScanned(report)) return { kind: 'failed', reason: nothingScannedReason(report, settings.lang), retryable: true };
  report.run.agency = job.agency;
  return { kind: 'report', report, failed: report.summary.findings.fail };
}

function badJob(message: string, lang: Lang): JobOutcome {
  return { kind: 'failed', reason: localize(M.reasonBadJob, lang, { message }), retryable: false };
}

function nothingScannedReason(report: Report, lang: Lang): string {
  const reasons = [
    ...new Set(
      report.attempts.map((a) => `${a.check}: ${(lang === 'vi' ? a.reasonText?.vi : undefined) ?? a.reason ?? a.errorKind ?? '?'}`),
    ),
  ];
  const text = reasons.slice(0, MAX_REASONS).join('; ') + (reasons.length > MAX_REASONS ? '; …' : '');
  return localize(M.reasonNothingScanned, lang, { reasons: text }).slice(0, MAX_REASON_CHARS);
}

function systemRef(s: NonNullable<ClaimedJob['system']>): SystemRef {
  return {
    id: s.id,
    ...(s.name !== undefined ? { name: s.name } : {}),
    ...(s.level !== undefined ? { level: s.level } : {}),
    ...(s.domain !== undefined ? { domain: s.domain } : {}),
    ...(s.kind !== undefined ? { kind: s.kind } : {}),
  } as SystemRef;
}
