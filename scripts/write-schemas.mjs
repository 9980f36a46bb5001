// `npm run build && node scripts/write-schemas.mjs`: writes the JSON Schema files the README names from their
// single-source definitions (src/published-schemas.ts). Not part of `npm run build`: the committed
// files are checked against the definitions by a test, which a build that rewrote them would hide.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaDocumentText } from '../dist/src/core/schema-document.js';
import { PUBLISHED_SCHEMAS } from '../dist/src/published-schemas.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
for (const { file, schema, draft } of PUBLISHED_SCHEMAS) {
  await writeFile(join(root, file), schemaDocumentText(schema, draft));
  console.log(`wrote ${file}`);
}
