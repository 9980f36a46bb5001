// Every folder under checks/ is a check family of one shape (src/core/family.ts), listed in the
// registry, with flags the CLI offers in both languages, checks named under its prefixes, facts
// schemas that accept what its probes recorded (test/fixtures/facts/), and built-in packs that judge
// each of its checks. CONTRIBUTING.md walks through adding a family; this is what holds it to that.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckFamily, FamilyOption } from '../../src/core/family.js';
import type { Attempt } from '../../src/core/types.js';
import { FAMILIES, FAMILY_OPTIONS, prepareFamilies } from '../../src/engine/registry.js';
import { loadBuiltinPolicies, type LoadedPolicy } from '../../src/policy/index.js';
import Scan from '../../src/commands/scan.js';
import { KNOWN } from '../policy/helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FACTS = join(ROOT, 'test/fixtures/facts');
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

const localizedProblems = (where: string, text: { en?: unknown; vi?: unknown } | undefined): string[] =>
  (['en', 'vi'] as const).flatMap((lang) =>
    typeof text?.[lang] === 'string' && (text[lang] as string).trim() ? [] : [`${where}: no ${lang} text`],
  );

/** What is wrong with a family's shape (empty: nothing). */
function shapeProblems(family: CheckFamily): string[] {
  const problems: string[] = [...localizedProblems(`${family.id}: title`, family.title)];
  if (!family.idPrefixes.includes(family.id)) problems.push(`${family.id}: its own id is not one of its prefixes`);
  if (!family.checks.length) problems.push(`${family.id}: no check`);
  for (const check of family.checks) {
    const prefix = check.id.split('.')[0] ?? '';
    if (!family.idPrefixes.includes(prefix) || !/^[a-z0-9]+\.[a-z0-9-]+$/.test(check.id))
      problems.push(`${check.id}: not named <${family.idPrefixes.join('|')}>.<name>`);
    if (check.family !== family.id) problems.push(`${check.id}: family "${check.family}", registered under "${family.id}"`);
    problems.push(
      ...localizedProblems(`${check.id}: title`, check.title),
      ...localizedProblems(`${check.id}: description`, check.description),
    );
    if (typeof check.appliesTo !== 'function' || typeof check.run !== 'function')
      problems.push(`${check.id}: appliesTo and run must be functions`);
    if (typeof check.factsSchema !== 'object' || check.factsSchema === null) problems.push(`${check.id}: no facts schema`);
  }
  for (const option of family.options) problems.push(...optionProblems(family.id, option));
  if (!family.packs.length) problems.push(`${family.id}: no pack judges it`);
  return problems;
}

function optionProblems(family: string, o: FamilyOption): string[] {
  const problems = localizedProblems(`${family}: --${o.name}`, o.help);
  if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(o.name)) problems.push(`${family}: --${o.name} is not a kebab-case flag name`);
  if (o.help.en === o.help.vi) problems.push(`${family}: --${o.name} has the same text in English and Vietnamese`);
  if (o.kind === 'choice' && !o.choices.includes(o.default))
    problems.push(`${family}: --${o.name} default "${o.default}" is not one of its choices`);
  return problems;
}

/** Every ok attempt recorded under test/fixtures/facts: `{ target, attempts }` files in its folders; the top-level files are tls.endpoint facts. */
function recordedFacts(): Map<string, { file: string; facts: unknown }[]> {
  const byCheck = new Map<string, { file: string; facts: unknown }[]>();
  const add = (check: string, file: string, facts: unknown): void =>
    void byCheck.set(check, [...(byCheck.get(check) ?? []), { file, facts }]);
  for (const name of readdirSync(FACTS)) {
    const path = join(FACTS, name);
    if (statSync(path).isDirectory()) {
      for (const file of readdirSync(path).filter((f) => f.endsWith('.json'))) {
        const recorded = JSON.parse(readFileSync(join(path, file), 'utf8')) as { attempts: Attempt[] };
        for (const a of recorded.attempts) if (a.status === 'ok') add(a.check, `${name}/${file}`, a.facts);
      }
    } else if (name.endsWith('.json')) {
      add('tls.endpoint', name, JSON.parse(readFileSync(path, 'utf8')));
    }
  }
  return byCheck;
}

let packs: LoadedPolicy[];
beforeAll(async () => {
  packs = await loadBuiltinPolicies(KNOWN);
});

describe('check families', () => {
  const folders = readdirSync(join(ROOT, 'checks')).filter((d) => statSync(join(ROOT, 'checks', d)).isDirectory());

  it.each(folders)('checks/%s/index.ts exports one CheckFamily, the one the registry lists', async (folder) => {
    const mod = (await import(/* @vite-ignore */ pathToFileURL(join(ROOT, 'checks', folder, 'index.ts')).href)) as Record<string, unknown>;
    const exported = Object.values(mod);
    expect(Object.keys(mod), 'exports of index.ts').toHaveLength(1);
    const family = exported[0] as CheckFamily;
    expect(family.id).toBe(folder);
    expect(FAMILIES, `checks/${folder} is missing from src/engine/registry.ts FAMILIES`).toContain(family);
    expect(shapeProblems(family)).toEqual([]);
  });

  it('the registry lists each folder once, and no check id or flag twice', () => {
    expect(FAMILIES.map((f) => f.id).sort()).toEqual([...folders].sort());
    const ids = FAMILIES.flatMap((f) => f.checks.map((c) => c.id));
    expect(new Set(ids).size).toBe(ids.length);
    const names = FAMILY_OPTIONS.map((o) => o.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('names what breaks the shape', () => {
    const [good] = FAMILIES;
    if (!good) throw new Error('no family registered');
    const check = good.checks[0]!;
    const broken: CheckFamily = {
      ...good,
      checks: [{ ...check, id: 'elsewhere.check', title: { en: 'Title', vi: '' } }],
      options: [{ name: 'Bad_Name', kind: 'choice', choices: ['a'], default: 'b', help: { en: 'Same', vi: 'Same' } }],
      packs: [],
    };
    expect(shapeProblems(broken)).toEqual([
      `elsewhere.check: not named <${good.idPrefixes.join('|')}>.<name>`,
      'elsewhere.check: title: no vi text',
      `${good.id}: --Bad_Name is not a kebab-case flag name`,
      `${good.id}: --Bad_Name has the same text in English and Vietnamese`,
      `${good.id}: --Bad_Name default "b" is not one of its choices`,
      `${good.id}: no pack judges it`,
    ]);
  });

  it('govscan scan offers every family option, and the defaults prepare without error', async () => {
    const flags = Scan.flags as Record<string, { description?: string; default?: unknown }>;
    for (const o of FAMILY_OPTIONS) {
      expect(flags[o.name]?.description, `--${o.name}`).toBe(o.help.en);
      if (o.kind !== 'list') expect(flags[o.name]?.default, `--${o.name}`).toBe(o.default);
    }
    await expect(prepareFamilies({})).resolves.toBeTypeOf('object');
  });

  it('every facts schema accepts the facts its probes recorded under test/fixtures/facts', () => {
    const recorded = recordedFacts();
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    for (const check of FAMILIES.flatMap((f) => f.checks)) {
      const samples = recorded.get(check.id) ?? [];
      expect(samples.length, `${check.id}: no recorded facts under test/fixtures/facts`).toBeGreaterThan(0);
      const validate = ajv.compile(check.factsSchema);
      for (const s of samples) expect(validate(s.facts), `${check.id} in ${s.file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('each family names built-in packs that judge every one of its checks, and every built-in pack belongs to a family', () => {
    const byId = new Map(packs.map((p) => [p.id, p]));
    for (const family of FAMILIES) {
      for (const id of family.packs) expect(byId.has(id), `${family.id}: pack ${id} is not built in`).toBe(true);
      const judged = new Set(family.packs.flatMap((id) => byId.get(id)?.rules.map((r) => r.check) ?? []));
      for (const check of family.checks)
        expect(judged.has(check.id), `${check.id}: no rule of ${family.packs.join(', ')} judges it`).toBe(true);
    }
    const listed = new Set(FAMILIES.flatMap((f) => f.packs));
    expect(packs.map((p) => p.id).filter((id) => !listed.has(id))).toEqual([]);
  });
});
