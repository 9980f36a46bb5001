// The evidence manifest, defined once: manifest.ts takes the document's types from these definitions
// and validates with them; manifest.schema.json is this schema written out for users
// (scripts/write-schemas.mjs, checked by test/contract/schemas.test.ts).

import { constOf, enumOf, Type, type Static } from '../core/schema-builders.js';

export const LEGAL_BASIS_IDS = ['nd85-2016', 'nd331-2026'] as const;
/** Who appraised a level dossier: the regime decides who may (SECLEVEL-APPRAISER). */
const APPRAISAL_AUTHORITIES = [
  'ministry-of-public-security',
  'ministry-of-information-and-communications',
  'specialised-unit',
  'other',
] as const;

type Options = Record<string, unknown>;
const closed = { additionalProperties: false } as const;
const text = () => Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' });
const level = () => Type.Integer({ minimum: 1, maximum: 5 });
const date = () => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', 'x-hint': 'a date as YYYY-MM-DD' });
const days = (description: string) => Type.Integer({ minimum: 1, maximum: 36500, description });
const list = <T extends Parameters<typeof Type.Array>[0]>(items: T, options: Options = {}) =>
  Type.Array(items, { maxItems: 200, ...options });

export const documentDoc = Type.Object(
  {
    path: Type.String({ minLength: 1, maxLength: 1000 }),
    sha256: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$', 'x-hint': '64 hexadecimal digits' })),
    type: Type.Optional(enumOf(['pdf', 'signed-pdf', 'p7s', 'text', 'any'])),
    /** Detached CMS signature; `<path>.p7s` is looked for when absent. */
    signature: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  },
  closed,
);

/** A dated record (a report), optionally with its document. */
const dated = (options: Options = {}) =>
  Type.Object({ date: Type.Optional(date()), document: Type.Optional(documentDoc) }, { ...closed, ...options });

const decisionProperties = {
  number: Type.Optional(text()),
  date: Type.Optional(date()),
  signer: Type.Optional(text()),
  by: Type.Optional(text()),
  document: Type.Optional(documentDoc),
};
const decision = (options: Options = {}) => Type.Object(decisionProperties, { ...closed, ...options });
export const decisionDoc = decision();
const datedDoc = dated();

export const assessmentDoc = Type.Object(
  {
    kind: Type.Optional(enumOf(['security-assessment', 'vulnerability-scan', 'penetration-test', 'log-review'])),
    date: date(),
    assessor: Type.Optional(text()),
    licence: Type.Optional(text()),
    independent: Type.Optional(Type.Boolean()),
    report: Type.Optional(documentDoc),
  },
  closed,
);

export const forwarderDoc = Type.Object(
  {
    endpoint: Type.Optional(
      Type.String({ pattern: '^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+):[0-9]{1,5}$', 'x-hint': 'host:port, IPv6 in brackets' }),
    ),
    config: Type.Optional(documentDoc),
  },
  closed,
);

export const ManifestDocumentSchema = Type.Object(
  {
    apiVersion: constOf('govscan/v1'),
    kind: constOf('Evidence'),
    legalBasis: Type.Optional(Type.Unsafe<(typeof LEGAL_BASIS_IDS)[number]>({ type: 'string', enum: [...LEGAL_BASIS_IDS] })),
    system: Type.Object(
      {
        id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }),
        name: Type.Optional(text()),
        owner: Type.Optional(text()),
        operator: Type.Optional(text()),
        specialisedUnit: Type.Optional(text()),
      },
      closed,
    ),
    level: Type.Optional(
      Type.Object({ proposed: Type.Optional(level()), approved: Type.Optional(level()), criterion: Type.Optional(text()) }, closed),
    ),
    appraisal: Type.Optional(
      Type.Object(
        {
          number: decisionProperties.number,
          date: decisionProperties.date,
          signer: decisionProperties.signer,
          by: decisionProperties.by,
          authority: Type.Optional(enumOf(APPRAISAL_AUTHORITIES)),
          document: decisionProperties.document,
        },
        {
          ...closed,
          description:
            'The appraisal opinion (Form 04); authority: who appraised it (levels 4–5: the national authority the regime names).',
        },
      ),
    ),
    approval: Type.Optional(decisionDoc),
    plan: Type.Optional(
      Type.Object(
        {
          version: Type.Optional(text()),
          status: Type.Optional(enumOf(['full', 'partial', 'none'])),
          document: Type.Optional(documentDoc),
        },
        closed,
      ),
    ),
    regulation: Type.Optional(decisionDoc),
    /** Put into official operation (Directive 02/CT-TTg §1.o: assessed before). */
    goLive: Type.Optional(
      Type.Object(
        { date: date(), document: Type.Optional(documentDoc) },
        {
          ...closed,
          description:
            'When the system was put into official operation: a security assessment is due before it (Directive 02/CT-TTg §1.o).',
        },
      ),
    ),
    changes: Type.Optional(
      list(Type.Object({ date: date(), description: text(), document: Type.Optional(documentDoc) }, closed), {
        description: 'Upgrades and changes put into operation: a security assessment is due on or after each (Directive 02/CT-TTg §1.o).',
      }),
    ),
    penetrationTestProgramme: Type.Optional(
      decision({ description: 'Decree 331/2026, level 3: the decision approving the penetration-test programme.' }),
    ),
    logging: Type.Optional(
      Type.Object(
        {
          retentionDays: Type.Optional(
            days('Days the system keeps its logs (TCVN 14423:2026: level 2 one month … level 5 twelve months).'),
          ),
        },
        closed,
      ),
    ),
    assessments: Type.Optional(list(assessmentDoc)),
    annualReport: Type.Optional(dated({ description: 'The latest yearly security report of a level 3–5 system.' })),
    layers: Type.Optional(
      Type.Object(
        {
          onsite: Type.Optional(
            Type.Object(
              {
                decision: Type.Optional(decisionDoc),
                staff: Type.Optional(
                  list(Type.Object({ name: text(), role: Type.Optional(text()), phone: Type.Optional(text()) }, closed)),
                ),
                onCall: Type.Optional(text()),
              },
              closed,
            ),
          ),
          monitoring: Type.Optional(
            Type.Object(
              {
                provider: Type.Optional(text()),
                inHouse: Type.Optional(Type.Boolean()),
                contract: Type.Optional(
                  Type.Object(
                    {
                      number: Type.Optional(text()),
                      validFrom: Type.Optional(date()),
                      validTo: Type.Optional(date()),
                      document: Type.Optional(documentDoc),
                    },
                    closed,
                  ),
                ),
                forwarder: Type.Optional(forwarderDoc),
                dataRetentionDays: Type.Optional(days('Days of monitoring data kept (≥ 30 from level 3, Circular 31/2017 Art. 5).')),
                reports: Type.Optional(
                  Type.Object(
                    { daily: Type.Optional(datedDoc), weekly: Type.Optional(datedDoc), sixMonthly: Type.Optional(datedDoc) },
                    { ...closed, description: 'The latest monitoring report of each period (from level 3: daily, weekly and 6-monthly).' },
                  ),
                ),
              },
              closed,
            ),
          ),
          ncsc: Type.Optional(Type.Object({ confirmation: Type.Optional(decisionDoc), forwarder: Type.Optional(forwarderDoc) }, closed)),
        },
        closed,
      ),
    ),
  },
  {
    ...closed,
    $id: 'https://govscan.dev/schemas/evidence.schema.json',
    title: 'govscan evidence manifest',
    description:
      "One information system's security-level record (Decree 85/2016, Decree 331/2026) and its 4-layer operation evidence (Directive 14/CT-TTg 2019). Document paths are relative to this file and may not leave its folder.",
  },
);

export type ManifestDocument = Static<typeof ManifestDocumentSchema>;
