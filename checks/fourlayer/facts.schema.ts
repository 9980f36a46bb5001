// JSON Schema (draft 2020-12) of the 4-layer facts. test/checks/fourlayer validates probed facts against it.

import { activity, bool, decision, int, list, manifest, object, observedAt, presence, schema, str } from '../seclevel/facts.schema.js';

const report = object({ present: bool, date: str, ageDays: int });

const forwarder = object({
  declared: bool,
  endpoint: str,
  host: str,
  port: int,
  reachable: bool,
  address: str,
  reason: str,
  config: object({ declared: bool, path: str, ok: bool, mentionsHost: bool, mentionsPort: bool }),
  error: str,
});

export const fourLayerFactsSchema = schema(
  'fourlayer.evidence',
  object({
    observedAt,
    manifest,
    level: object({ effective: int }),
    onsite: object({ decision, staff: int, onCall: bool }),
    monitoring: object({
      provider: str,
      inHouse: bool,
      contract: object({ declared: bool, number: str, validFrom: str, validTo: str, daysToExpiry: int, started: bool, document: presence }),
      forwarder,
      dataRetentionDays: int,
      reports: object({ daily: report, weekly: report, sixMonthly: report }),
    }),
    assessment: activity,
    periodicAssessment: activity,
    lifecycle: object({ goLive: str, goLiveAgeDays: int, changes: list(object({ date: str, description: str, ageDays: int })), assessmentDates: list(str) }),
    ncsc: object({ confirmation: decision, forwarder }),
  }),
);
