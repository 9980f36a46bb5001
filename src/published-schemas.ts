// The JSON Schema files the README names for users, each written out from the one definition govscan
// validates with (scripts/write-schemas.mjs writes them; test/contract/schemas.test.ts checks that
// every committed file still equals its definition).

import type { TSchema } from 'typebox';
import { AgentConfigDocumentSchema } from '../agent/config-schema.js';
import { ReportSchema } from './core/report-schema.js';
import { InventoryDocumentSchema } from './engine/inventory-schema.js';
import { ManifestDocumentSchema } from './evidence/manifest-schema.js';
import { WaiverDocumentSchema } from './policy/waivers-schema.js';
import { DRAFT_07 } from './core/schema-document.js';

/** `draft`: the `$schema` the file declares (2020-12 unless given), as it always has. */
export const PUBLISHED_SCHEMAS: readonly { file: string; schema: TSchema; draft?: string }[] = [
  { file: 'src/report/report.schema.json', schema: ReportSchema },
  { file: 'agent/config.schema.json', schema: AgentConfigDocumentSchema, draft: DRAFT_07 },
  { file: 'src/engine/inventory.schema.json', schema: InventoryDocumentSchema, draft: DRAFT_07 },
  { file: 'src/policy/waivers.schema.json', schema: WaiverDocumentSchema, draft: DRAFT_07 },
  { file: 'src/evidence/manifest.schema.json', schema: ManifestDocumentSchema, draft: DRAFT_07 },
];
