// The 4-layer facts, defined once: facts.ts takes its types from these definitions and the published
// JSON Schema (draft 2020-12) is the same object. test/checks/fourlayer validates probed facts against it.

import { bool, factsSchema as schema, int, list, closed as object, str } from '../../src/core/schema-builders.js';
import { activity, decision, manifest, observedAt, presence } from '../seclevel/facts.schema.js';

/** The latest report of one monitoring period. */
export const report = object({ present: bool, date: str, ageDays: int });

export const forwarder = object({
  declared: bool,
  /** host:port as declared; '' when none. */
  endpoint: str,
  host: str,
  port: int,
  /** A TCP connection was accepted. */
  reachable: bool,
  /** Address dialled, or why none was. */
  address: str,
  reason: str,
  config: object({
    declared: bool,
    path: str,
    ok: bool,
    /** The configuration text names the endpoint's host and port. */
    mentionsHost: bool,
    mentionsPort: bool,
  }),
  /** The probe stopped on an unexpected error ('' when it did not): reachability is not tested. */
  error: str,
});

export const fourLayerFacts = object({
  observedAt,
  manifest,
  level: object({ effective: int }),
  onsite: object({ decision, staff: int, onCall: bool }),
  monitoring: object({
    provider: str,
    inHouse: bool,
    contract: object({
      declared: bool,
      number: str,
      validFrom: str,
      validTo: str,
      /** Days from now to validTo (negative once lapsed); 0 without validTo. */
      daysToExpiry: int,
      /** validFrom is today or earlier (true without validFrom). */
      started: bool,
      document: presence,
    }),
    forwarder,
    /** Days of monitoring data kept, as declared (0: not declared). */
    dataRetentionDays: int,
    reports: object({ daily: report, weekly: report, sixMonthly: report }),
  }),
  /** Latest independent assessment (security assessment or penetration test). */
  assessment: activity,
  /**
   * Latest periodic security assessment, independent or not: what seclevel.dossier's
   * assessments.securityAssessment reads, so layer 3 and SECLEVEL-ASSESSMENT-OVERDUE judge the same facts.
   */
  periodicAssessment: activity,
  /** Go-live and recorded changes, and the dates of every security assessment and penetration test. */
  lifecycle: object({
    goLive: str,
    /** Days since goLive (negative while it lies ahead; 0 without one). */
    goLiveAgeDays: int,
    changes: list(object({ date: str, description: str, ageDays: int })),
    assessmentDates: list(str),
  }),
  ncsc: object({ confirmation: decision, forwarder }),
});

export const fourLayerFactsSchema = schema('fourlayer.evidence', fourLayerFacts);
