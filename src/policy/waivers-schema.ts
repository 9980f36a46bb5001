// The waiver file, defined once: waivers.ts takes the document's type from this definition and
// validates with it; waivers.schema.json is this schema written out for users
// (scripts/write-schemas.mjs, checked by test/contract/schemas.test.ts).

import { constOf, Type, type Static } from '../core/schema-builders.js';

/** A string with something besides white space in it. */
const text = (description: string) => Type.String({ minLength: 1, pattern: '\\S', description });

export const WaiverDocumentSchema = Type.Object(
  {
    apiVersion: Type.Optional(constOf('govscan/v1')),
    kind: Type.Optional(constOf('Waivers')),
    waivers: Type.Array(
      Type.Object(
        {
          rule: Type.String({
            pattern: '^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$',
            'x-hint': 'a rule id such as TLS-CERT-EXPIRED (upper case, digits and dashes)',
            description: 'The rule id, exactly as the policy pack names it.',
          }),
          target: text(
            'Glob on the target: its key (https://host:port), host:port, or host. `*` matches any run of characters, `?` one; case-insensitive.',
          ),
          justification: text('Why the risk is accepted, and what will end it.'),
          approver: text('Who accepted the risk (name and role).'),
          expires: Type.String({
            format: 'date',
            description: 'Last day (UTC) the waiver applies, YYYY-MM-DD. From the next day the finding counts again and says so.',
          }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    $id: 'https://govscan.dev/schemas/waivers.schema.json',
    title: 'govscan waivers',
    description:
      'Accepted exceptions: a failed rule on matching targets stops counting toward --fail-on until the waiver expires. Every waiver needs a justification, an approver and an expiry date.',
  },
);

/** The file as the schema admits it. */
export type WaiverDocument = Static<typeof WaiverDocumentSchema>;
