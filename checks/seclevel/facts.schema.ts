// JSON Schemas (draft 2020-12) of the security-level and document facts, for policy authors, the
// server and `govscan checks list`. test/checks/seclevel validates probed facts against them.

type Schema = Record<string, unknown>;

export const str: Schema = { type: 'string' };
export const nullableStr: Schema = { type: ['string', 'null'] };
export const int: Schema = { type: 'integer' };
export const bool: Schema = { type: 'boolean' };
const dateTime: Schema = { type: 'string', format: 'date-time' };

export function object(properties: Record<string, Schema>): Schema {
  return { type: 'object', additionalProperties: false, required: Object.keys(properties), properties };
}
export const list = (items: Schema): Schema => ({ type: 'array', items });

export function schema(id: string, body: Schema): Schema {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: `https://govscan.dev/schemas/checks/${id}.facts.json`, title: `${id} facts`, ...body };
}

export const manifest = object({ found: bool, file: str, reason: str });
export const presence = object({ declared: bool, path: str, ok: bool });
export const decision = object({ declared: bool, number: str, date: str, ageDays: int, signer: str, by: str, document: presence });
export const activity = object({ present: bool, date: str, ageDays: int, assessor: str, licence: str, independent: bool, report: presence });
export const observedAt = dateTime;

export const seclevelFactsSchema = schema(
  'seclevel.dossier',
  object({
    observedAt,
    manifest,
    legalBasis: str,
    system: object({ id: str, name: str, owner: str, operator: str, specialisedUnit: str }),
    level: object({ inventory: int, proposed: int, approved: int, effective: int, criterion: str }),
    appraisal: object({ ...(decision['properties'] as Record<string, Schema>), authority: str }),
    approval: decision,
    regulation: decision,
    penetrationTestProgramme: decision,
    logging: object({ retentionDays: int }),
    plan: object({ version: str, status: str, document: presence }),
    assessments: object({ securityAssessment: activity, vulnerabilityScan: activity, penetrationTest: activity, logReview: activity }),
    annualReport: object({ present: bool, date: str, ageDays: int }),
  }),
);

const signature = object({
  kind: { enum: ['pdf', 'detached'] },
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

export const documentsFactsSchema = schema(
  'evidence.documents',
  object({
    observedAt,
    manifest,
    anchors: bool,
    documents: list(
      object({
        role: str,
        path: str,
        line: int,
        claimedType: { enum: ['pdf', 'signed-pdf', 'p7s', 'text', 'any', null] },
        decision: bool,
        present: bool,
        readable: bool,
        reason: nullableStr,
        bytes: { type: ['integer', 'null'] },
        detectedType: { enum: ['pdf', 'cms', 'text', 'other', null] },
        typeMatches: bool,
        sha256: nullableStr,
        expectedSha256: nullableStr,
        hashMatches: { type: ['boolean', 'null'] },
        signature: { anyOf: [signature, { type: 'null' }] },
        error: nullableStr,
      }),
    ),
  }),
);
