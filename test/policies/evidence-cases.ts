// The recorded evidence of a compliant level-3 system (test/fixtures/facts/evidence/), and the
// variants the security-level and 4-layer pack tests judge: each breaks one thing.

import type { FourLayerFacts } from '../../checks/fourlayer/facts.js';
import type { DocumentsFacts, SeclevelFacts } from '../../checks/seclevel/facts.js';
import type { SystemLegalBasis } from '../../src/core/types.js';
import { changed, readRecorded, type Recorded } from './recorded.js';

/** The run date the evidence was recorded on: its ages and dates agree with it. */
export const RECORDED_AT = new Date('2026-11-20T00:00:00Z');

export const compliant = (): Recorded => readRecorded('evidence', 'compliant-level-3');
export const noManifest = (): Recorded => readRecorded('evidence', 'no-manifest');

export const dossier = (change: (f: SeclevelFacts) => void, from: Recorded = compliant()): Recorded =>
  changed(from, 'seclevel.dossier', change);
export const layers = (change: (f: FourLayerFacts) => void, from: Recorded = compliant()): Recorded =>
  changed(from, 'fourlayer.evidence', change);
export const documents = (change: (f: DocumentsFacts) => void, from: Recorded = compliant()): Recorded =>
  changed(from, 'evidence.documents', change);

/** The system judged under one security-level regime, as the run chose it (policy/legal-basis.ts). */
export function underRegime(recorded: Recorded, id: 'nd85-2016' | 'nd331-2026'): Recorded {
  const legalBasis: SystemLegalBasis = {
    id,
    policy: `vn-${id}`,
    chosenBy: 'flag',
    reason: { en: 'chosen with --legal-basis', vi: 'chọn bằng --legal-basis' },
    state: 'in-effect',
  };
  const copy = structuredClone(recorded);
  if (copy.target.system) copy.target.system.legalBasis = legalBasis;
  return copy;
}

/** Level 4 on every side (inventory, proposal, approval). */
export const level =
  (n: number) =>
  (f: SeclevelFacts): void => {
    f.level = { ...f.level, inventory: n, proposed: n, approved: n, effective: n };
  };
