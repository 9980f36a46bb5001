// Writes dist/policies.cache.json after the TypeScript build: every built-in pack that passes the
// full checks a user's pack gets (schema, known checks, CEL, placeholders), as its parsed document
// keyed by a hash of its YAML (src/policy/builtin-cache.ts says how runs use it). A pack that fails is
// left out, so the run loads it from YAML and reports the problem as before.
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseYaml } from '../dist/src/core/yaml-source.js';
import { KNOWN_CHECKS } from '../dist/src/engine/registry.js';
import { checkPolicyText } from '../dist/src/policy/load.js';
import { policiesDir } from '../dist/src/policy/schema.js';
import { CACHE_FORMAT, cacheEntry, cacheFile } from '../dist/src/policy/builtin-cache.js';

const dir = policiesDir();
const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
const packs = {};
const skipped = [];
for (const name of names) {
  const text = await readFile(join(dir, name), 'utf8');
  const result = checkPolicyText(text, `policies/${name}`, { knownChecks: KNOWN_CHECKS });
  const parsed = parseYaml(text, `policies/${name}`);
  const entry = result.policy && parsed.ok ? cacheEntry(text, parsed.value, result.policy) : null;
  if (entry) packs[name] = entry;
  else skipped.push(`${name}${result.errors[0] ? ` (${result.errors[0].message})` : ''}`);
}
const file = cacheFile();
// Replaced whole: a CLI starting while the build runs (tests in parallel) must never read half a file.
const tmp = `${file}.${process.pid}.tmp`;
await writeFile(tmp, JSON.stringify({ format: CACHE_FORMAT, packs }));
await rename(tmp, file);
console.log(
  `policies.cache.json: ${Object.keys(packs).length} of ${names.length} built-in packs${skipped.length ? `; not cached: ${skipped.join(', ')}` : ''}`,
);
