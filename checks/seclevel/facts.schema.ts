// The security-level and document facts, defined once: facts.ts takes its types from these
// definitions, and the JSON Schemas (draft 2020-12) published for policy authors, the server and
// `govscan checks list` are the same objects. test/checks/seclevel validates probed facts against them.

import {
  bool,
  enumOf,
  factsSchema as schema,
  int,
  list,
  nullableStr,
  closed as object,
  str,
  Type,
  type Static,
} from '../../src/core/schema-builders.js';

export const observedAt = Type.String({ format: 'date-time' });
export const manifest = object({ found: bool, file: str, reason: str });
export const presence = object({
  declared: bool,
  path: str,
  /** Present and readable. */
  ok: bool,
});
const decisionProperties = {
  /** Any of number, date or document is given. */
  declared: bool,
  number: str,
  date: str,
  /** Whole days since `date`; 0 when no date. */
  ageDays: int,
  signer: str,
  by: str,
  document: presence,
};
export const decision = object(decisionProperties);
export const activity = object({
  present: bool,
  /** The latest one. */
  date: str,
  ageDays: int,
  assessor: str,
  licence: str,
  independent: bool,
  report: presence,
});

export const seclevelFacts = object({
  observedAt,
  manifest,
  /** The regime the manifest says it was prepared under ('' when it does not say). */
  legalBasis: str,
  system: object({ id: str, name: str, owner: str, operator: str, specialisedUnit: str }),
  level: object({
    /** Level in the inventory (0: not given). */
    inventory: int,
    proposed: int,
    approved: int,
    /** approved, else inventory, else proposed: the level the periods are judged by. */
    effective: int,
    criterion: str,
  }),
  /** `authority`: who appraised it (manifest enum; '' when not declared). */
  appraisal: object({ ...decisionProperties, authority: str }),
  approval: decision,
  regulation: decision,
  /** Decree 331/2026, level 3: the approved penetration-test programme. */
  penetrationTestProgramme: decision,
  /** Days the system keeps its logs, as declared (0: not declared). */
  logging: object({ retentionDays: int }),
  plan: object({ version: str, status: str, document: presence }),
  assessments: object({ securityAssessment: activity, vulnerabilityScan: activity, penetrationTest: activity, logReview: activity }),
  annualReport: object({ present: bool, date: str, ageDays: int }),
});
export const seclevelFactsSchema = schema('seclevel.dossier', seclevelFacts);

const signature = object({
  kind: enumOf(['pdf', 'detached']),
  file: nullableStr,
  signed: bool,
  intact: bool,
  coversWholeFile: bool,
  signer: nullableStr,
  signerCN: nullableStr,
  signingTime: nullableStr,
  chainChecked: bool,
  trusted: bool,
  trustProblems: list(str),
  anchor: nullableStr,
  reason: nullableStr,
  error: nullableStr,
});

export const documentFacts = object({
  role: str,
  path: str,
  line: int,
  claimedType: enumOf(['pdf', 'signed-pdf', 'p7s', 'text', 'any', null]),
  decision: bool,
  present: bool,
  readable: bool,
  reason: nullableStr,
  bytes: Type.Unsafe<number | null>({ type: ['integer', 'null'] }),
  detectedType: enumOf(['pdf', 'cms', 'text', 'other', null]),
  typeMatches: bool,
  sha256: nullableStr,
  expectedSha256: nullableStr,
  hashMatches: Type.Unsafe<boolean | null>({ type: ['boolean', 'null'] }),
  signature: Type.Unsafe<Static<typeof signature> | null>({ anyOf: [signature, { type: 'null' }] }),
  error: nullableStr,
});

export const documentsFacts = object({
  observedAt,
  manifest,
  /** --ca-file anchors were given, so signer chains could be checked. */
  anchors: bool,
  documents: list(documentFacts),
});
export const documentsFactsSchema = schema('evidence.documents', documentsFacts);
