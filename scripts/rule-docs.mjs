// Writes docs/rules/ (the rule reference, English and vi/) from the built-in packs. Run after
// `npm run build` (`npm run docs:rules` does both); test/report/rule-docs.test.ts fails when the
// committed pages differ from what this writes.

import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist', 'src');
const { CHECKS, KNOWN_CHECKS } = await import(join(dist, 'engine', 'registry.js'));
const { loadBuiltinPolicies } = await import(join(dist, 'policy', 'builtin.js'));
const { ruleDocFiles } = await import(join(dist, 'report', 'rule-reference.js'));

const out = join(root, 'docs', 'rules');
const files = ruleDocFiles(await loadBuiltinPolicies({ knownChecks: KNOWN_CHECKS }), new Map(CHECKS.map((c) => [c.id, c.title])));
// Pages of rules that no longer exist go.
for (const dir of [out, join(out, 'vi')]) {
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(dir)) if (name.endsWith('.md')) await rm(join(dir, name));
}
for (const [path, text] of files) {
  await mkdir(dirname(join(out, path)), { recursive: true });
  await writeFile(join(out, path), text);
}
console.log(`docs/rules: ${files.size} pages`);
