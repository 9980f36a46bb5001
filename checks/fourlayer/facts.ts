// Facts of the 4-layer operation model (Directive 14/CT-TTg 07/06/2019; MIC 1552/BTTTT-CATTT;
// REGULATIONS §D) from a system's evidence manifest, plus the live layer-2 and layer-4 evidence:
// does the declared collector / NCSC endpoint accept a TCP connection, and does the forwarder
// configuration name it. Only policies/vn-ct14-2019.yaml judges these.

import type { ActivityFacts, DecisionFacts, DocumentPresence, ManifestFacts } from '../seclevel/facts.js';

export type { ActivityFacts, DecisionFacts, DocumentPresence };

export interface ForwarderFacts {
  declared: boolean;
  /** host:port as declared; '' when none. */
  endpoint: string;
  host: string;
  port: number;
  /** A TCP connection was accepted. */
  reachable: boolean;
  /** Address dialled, or why none was. */
  address: string;
  reason: string;
  config: DocumentPresence & {
    /** The configuration text names the endpoint's host and port. */
    mentionsHost: boolean;
    mentionsPort: boolean;
  };
  /** The probe stopped on an unexpected error ('' when it did not): reachability is not tested. */
  error: string;
}

/** The latest report of one monitoring period. */
export interface ReportFacts {
  present: boolean;
  date: string;
  ageDays: number;
}

export interface FourLayerFacts {
  observedAt: string;
  manifest: ManifestFacts;
  level: { effective: number };
  onsite: { decision: DecisionFacts; staff: number; onCall: boolean };
  monitoring: {
    provider: string;
    inHouse: boolean;
    contract: {
      declared: boolean;
      number: string;
      validFrom: string;
      validTo: string;
      /** Days from now to validTo (negative once lapsed); 0 without validTo. */
      daysToExpiry: number;
      /** validFrom is today or earlier (true without validFrom). */
      started: boolean;
      document: DocumentPresence;
    };
    forwarder: ForwarderFacts;
    /** Days of monitoring data kept, as declared (0: not declared). */
    dataRetentionDays: number;
    reports: { daily: ReportFacts; weekly: ReportFacts; sixMonthly: ReportFacts };
  };
  /** Latest independent assessment (security assessment or penetration test). */
  assessment: ActivityFacts;
  /**
   * Latest periodic security assessment, independent or not: what seclevel.dossier's
   * assessments.securityAssessment reads, so layer 3 and SECLEVEL-ASSESSMENT-OVERDUE judge the same facts.
   */
  periodicAssessment: ActivityFacts;
  /** Go-live and recorded changes, and the dates of every security assessment and penetration test. */
  lifecycle: {
    goLive: string;
    /** Days since goLive (negative while it lies ahead; 0 without one). */
    goLiveAgeDays: number;
    changes: { date: string; description: string; ageDays: number }[];
    assessmentDates: string[];
  };
  ncsc: { confirmation: DecisionFacts; forwarder: ForwarderFacts };
}
