// Facts of the security-level record (Decree 85/2016 Arts. 12–20, Decree 331/2026; REGULATIONS §B)
// as an evidence manifest declares it: which fields and documents exist, dates and their age. Absent
// text is '' and absent numbers 0, so rules compare without null checks. Only the packs
// vn-nd85-2016 / vn-nd331-2026 judge these.

import type { ManifestFacts } from '../../src/evidence/bundle.js';
import type { DocumentFacts } from '../../src/evidence/documents.js';

export type { ManifestFacts, DocumentFacts };

export interface DocumentPresence {
  declared: boolean;
  path: string;
  /** Present and readable. */
  ok: boolean;
}

export interface DecisionFacts {
  /** Any of number, date or document is given. */
  declared: boolean;
  number: string;
  date: string;
  /** Whole days since `date`; 0 when no date. */
  ageDays: number;
  signer: string;
  by: string;
  document: DocumentPresence;
}

export interface ActivityFacts {
  present: boolean;
  /** The latest one. */
  date: string;
  ageDays: number;
  assessor: string;
  licence: string;
  independent: boolean;
  report: DocumentPresence;
}

export interface SeclevelFacts {
  observedAt: string;
  manifest: ManifestFacts;
  /** The regime the manifest says it was prepared under ('' when it does not say). */
  legalBasis: string;
  system: { id: string; name: string; owner: string; operator: string; specialisedUnit: string };
  level: {
    /** Level in the inventory (0: not given). */
    inventory: number;
    proposed: number;
    approved: number;
    /** approved, else inventory, else proposed: the level the periods are judged by. */
    effective: number;
    criterion: string;
  };
  /** `authority`: who appraised it (manifest enum; '' when not declared). */
  appraisal: DecisionFacts & { authority: string };
  approval: DecisionFacts;
  regulation: DecisionFacts;
  /** Decree 331/2026, level 3: the approved penetration-test programme. */
  penetrationTestProgramme: DecisionFacts;
  /** Days the system keeps its logs, as declared (0: not declared). */
  logging: { retentionDays: number };
  plan: { version: string; status: string; document: DocumentPresence };
  assessments: {
    securityAssessment: ActivityFacts;
    vulnerabilityScan: ActivityFacts;
    penetrationTest: ActivityFacts;
    logReview: ActivityFacts;
  };
  annualReport: { present: boolean; date: string; ageDays: number };
}

export interface DocumentsFacts {
  observedAt: string;
  manifest: ManifestFacts;
  /** --ca-file anchors were given, so signer chains could be checked. */
  anchors: boolean;
  documents: DocumentFacts[];
}
