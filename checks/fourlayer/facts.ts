// Facts of the 4-layer operation model (Directive 14/CT-TTg 07/06/2019; MIC 1552/BTTTT-CATTT;
// REGULATIONS §D) from a system's evidence manifest, plus the live layer-2 and layer-4 evidence:
// does the declared collector / NCSC endpoint accept a TCP connection, and does the forwarder
// configuration name it. Only policies/vn-ct14-2019.yaml judges these.

import type { Static } from '../../src/core/schema-builders.js';
import type { ActivityFacts } from '../seclevel/facts.js';
import type { forwarder, fourLayerFacts, report } from './facts.schema.js';

// Defined once, with their JSON Schema, in facts.schema.ts.
export type { ActivityFacts };
export type ForwarderFacts = Static<typeof forwarder>;
/** The latest report of one monitoring period. */
export type ReportFacts = Static<typeof report>;
export type FourLayerFacts = Static<typeof fourLayerFacts>;
