// The inventory file, defined once: inventory.ts takes the document's type from this definition and
// validates with it; inventory.schema.json is this schema written out for users
// (scripts/write-schemas.mjs, checked by test/contract/schemas.test.ts).

import { Type, type Static } from '../core/schema-builders.js';

const LEGAL_BASES = ['nd85-2016', 'nd331-2026'] as const;
/** `{ type: 'string', enum }`, as the file always said it. */
const stringEnum = <const V extends readonly string[]>(values: V, options: Record<string, unknown> = {}) =>
  Type.Unsafe<V[number]>({ type: 'string', enum: [...values], ...options });

export const InventoryDocumentSchema = Type.Object(
  {
    agency: Type.Optional(Type.String({ minLength: 1 })),
    legalBasis: Type.Optional(
      stringEnum(LEGAL_BASES, {
        description:
          "Security-level regime of every system here: Decree 85/2016 or Decree 331/2026. A system's own legalBasis wins; --legal-basis wins over both. Default: the system's evidence manifest, else the dates (a system approved before Decree 331 took effect keeps Decree 85 until the transition ends).",
      }),
    ),
    params: Type.Optional(
      Type.Unsafe<Record<string, number | string | boolean>>({
        type: 'object',
        description:
          'Values for policy-pack parameters, as --param takes them: NAME or PACK:NAME (e.g. vn-nd331-2026:scanDaysL3: 120). --param wins.',
        propertyNames: { pattern: '^(?:[a-z0-9][a-z0-9.-]*:)?[A-Za-z_][A-Za-z0-9_]*$' },
        additionalProperties: { type: ['number', 'string', 'boolean'] },
      }),
    ),
    systems: Type.Array(
      Type.Object(
        {
          id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }),
          name: Type.Optional(Type.String()),
          level: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
          domain: Type.Optional(Type.String()),
          kind: Type.Optional(stringEnum(['portal', 'online-public-service', 'internal', 'infrastructure', 'other'])),
          endpoints: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
          evidence: Type.Optional(Type.String()),
          legalBasis: Type.Optional(
            stringEnum(LEGAL_BASES, { description: "This system's security-level regime (see the inventory's legalBasis)." }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    $id: 'https://govscan.dev/schemas/inventory.schema.json',
    title: 'govscan inventory',
    description: "An agency's information systems, their approved security level, endpoints and evidence.",
  },
);

/** The file as the schema admits it: endpoints may be left out. */
export type InventoryDocument = Static<typeof InventoryDocumentSchema>;
