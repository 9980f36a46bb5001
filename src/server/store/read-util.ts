// Small helpers shared by the read modules (fleet-reads, finding-reads, latest-reads).

import type { Outcome, Severity } from '../../core/types.js';
import { emptySummary } from '../../report/summary.js';

export const DAY = 86_400_000;

/** Every outcome key at 0: the same record a report's summary starts from. */
export function zeroCounts(): Record<Outcome, number> {
  return emptySummary(0).findings;
}

/** Every severity key at 0. */
export function zeroSeverities(): Record<Severity, number> {
  return emptySummary(0).failedBySeverity;
}

/** pass / (pass + fail); null when nothing was judged. */
export function passRate(passed: number, failed: number): number | null {
  return passed + failed === 0 ? null : passed / (passed + failed);
}

/** Drivers return counts and sums as numbers, bigints, strings or null (an empty sum). */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function clampInt(v: number | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined || !Number.isFinite(v)) return dflt;
  return Math.min(max, Math.max(min, Math.trunc(v)));
}

export function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
