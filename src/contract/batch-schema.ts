// The batch an agent uploads (POST /api/v1/batches), defined once: the Batch type and the JSON Schema
// the server validates bodies with. Its report is the report schema itself (src/core/report-schema.ts,
// the same object `govscan report` validates with), plus the bounds a server sets on what it stores:
// string lengths and list sizes, and ids that must not be empty. The envelope is strict (no unknown
// properties); the report may carry fields a newer agent adds.

import type { Report } from '../core/types.js';
import { ReportSchema } from '../core/report-schema.js';
import { closed, constOf, Type, type Static } from '../core/schema-builders.js';

type Json = Record<string, unknown>;

const dateTime: Json = { type: 'string', maxLength: 64 };
const id: Json = { type: 'string', minLength: 1, maxLength: 256 };
const shortText: Json = { type: 'string', maxLength: 2048 };
const text: Json = { type: 'string', maxLength: 20000 };
const localized: Json = { type: 'object', properties: { en: text, vi: text } };
const stringList: Json = { type: 'array', maxItems: 200, items: shortText };
/** Only the bounds: the report schema already says which properties exist and what they hold. */
const object = (properties: Json): Json => ({ type: 'object', properties });
const list = (maxItems: number, items: Json): Json => ({ type: 'array', maxItems, items });

/**
 * What the server adds to the report schema. Every property named here exists in ReportSchema
 * (test/contract/schemas.test.ts checks it), so a renamed field cannot leave its bound behind.
 */
export const REPORT_BOUNDS: Json = object({
  tool: object({ version: { type: 'string', maxLength: 64 } }),
  run: object({
    startedAt: dateTime,
    finishedAt: dateTime,
    scannerHost: { type: 'string', maxLength: 253 },
    inventory: shortText,
    agency: { type: 'string', maxLength: 256 },
    waivers: shortText,
    baseline: shortText,
  }),
  policies: list(
    200,
    object({ id, version: { type: 'string', maxLength: 64 }, title: localized, legalBasis: stringList, source: shortText }),
  ),
  rules: list(
    10000,
    object({
      id,
      policyId: id,
      check: id,
      title: localized,
      description: localized,
      remediation: localized,
      references: stringList,
      tags: stringList,
    }),
  ),
  targets: list(
    20000,
    object({
      key: { type: 'string', maxLength: 2048 },
      host: { type: 'string', maxLength: 253 },
      path: { type: 'string', maxLength: 2048 },
      agency: { type: 'string', maxLength: 256 },
      system: object({
        id: { type: 'string', maxLength: 256 },
        name: { type: 'string', maxLength: 512 },
        domain: { type: 'string', maxLength: 253 },
        kind: { type: 'string', maxLength: 64 },
        evidence: shortText,
      }),
      source: object({ file: { type: 'string', maxLength: 2048 } }),
    }),
  ),
  attempts: list(100000, object({ check: id, target: { type: 'string', maxLength: 2048 }, reason: text, startedAt: dateTime })),
  findings: list(
    100000,
    object({
      ruleId: id,
      policyId: id,
      policyVersion: { type: 'string', maxLength: 64 },
      check: id,
      target: { type: 'string', maxLength: 2048 },
      title: localized,
      message: localized,
      remediation: localized,
      references: stringList,
      fingerprint: { type: 'string', maxLength: 256 },
      reason: text,
      waiver: object({ id: shortText, expires: { type: 'string', maxLength: 32 } }),
    }),
  ),
  ipv6Scores: list(
    5000,
    object({
      domain: { type: 'string', maxLength: 253 },
      targets: stringList,
      categories: { type: 'array', maxItems: 10, items: object({ failedRules: stringList }) },
    }),
  ),
  waivers: list(
    10000,
    object({
      id: shortText,
      rule: shortText,
      target: shortText,
      justification: text,
      approver: shortText,
      expires: { type: 'string', maxLength: 32 },
    }),
  ),
});

/**
 * One agent run: written to the agent's spool before upload, sent as the body of POST /api/v1/batches.
 * `report` is the engine's full JSON report (every finding, passes included, attempts with facts), so
 * the server can keep history per rule and show the evidence behind each failure.
 */
export const BatchSchema = closed(
  {
    schemaVersion: constOf(1),
    /** UUID v4 chosen by the agent when the run starts; the idempotency key. */
    batchId: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }),
    agentId: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' }),
    /** Agency id the agent was enrolled for; must match the token's agency (else 403). */
    agency: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }),
    /** When the run finished (ISO 8601). */
    createdAt: Type.String({ maxLength: 64, format: 'date-time' }),
    agent: closed({
      version: Type.String({ minLength: 1, maxLength: 64 }),
      hostname: Type.String({ minLength: 1, maxLength: 253 }),
      intervalSeconds: Type.Integer({ minimum: 1, maximum: 2678400 }),
    }),
    report: Type.Unsafe<Report>({ allOf: [ReportSchema, REPORT_BOUNDS] }),
  },
  {
    $id: 'urn:govscan:schema:batch:1',
    title: 'govscan agent batch (POST /api/v1/batches)',
    description:
      'One agent run. The envelope is checked strictly (no unknown properties); the report must match the report schema, within the sizes the server stores, and may carry fields a newer agent adds.',
  },
);

export type Batch = Static<typeof BatchSchema>;
