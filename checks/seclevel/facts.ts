// Facts of the security-level record (Decree 85/2016 Arts. 12–20, Decree 331/2026; REGULATIONS §B)
// as an evidence manifest declares it: which fields and documents exist, dates and their age. Absent
// text is '' and absent numbers 0, so rules compare without null checks. Only the packs
// vn-nd85-2016 / vn-nd331-2026 judge these.

import type { Static } from '../../src/core/schema-builders.js';
import type { activity, decision, documentsFacts, presence, seclevelFacts } from './facts.schema.js';
// Defined once, with their JSON Schemas, in facts.schema.ts.
export type DocumentPresence = Static<typeof presence>;
export type DecisionFacts = Static<typeof decision>;
export type ActivityFacts = Static<typeof activity>;
export type SeclevelFacts = Static<typeof seclevelFacts>;
export type DocumentsFacts = Static<typeof documentsFacts>;
