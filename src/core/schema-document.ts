// A single-source schema written out as a JSON Schema document (draft 2020-12) for users and
// editors: scripts/write-schemas.mjs writes the files the README names, and a test checks each file
// equals its definition, so the published file cannot drift from what govscan validates with.

import type { TSchema } from 'typebox';

const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';
export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/**
 * The schema as plain JSON with `$schema` first; TypeBox's own markers are not enumerable and drop
 * out. The definitions use only keywords both drafts share; `draft` says which one the file declares.
 */
export function schemaDocument(schema: TSchema, draft: string = DRAFT_2020_12): Record<string, unknown> {
  return { $schema: draft, ...(JSON.parse(JSON.stringify(schema)) as Record<string, unknown>) };
}

/**
 * The file's text: two-space indentation and a final newline, as the repository's JSON files have.
 * @public scripts/write-schemas.mjs calls it from dist/.
 */
export function schemaDocumentText(schema: TSchema, draft?: string): string {
  return `${JSON.stringify(schemaDocument(schema, draft), null, 2)}\n`;
}
