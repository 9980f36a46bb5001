// Validates a SARIF log the way an upload would be judged: the OASIS 2.1.0 schema, plus the rules
// GitHub code scanning applies that the schema does not express. Returns every problem found (empty
// when acceptable) so a failing test shows all of them at once.

import { readFileSync } from 'node:fs';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

// Both packages are CommonJS with a default export; under NodeNext the value sits on `.default`.
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;

const GITHUB_MAX_RUNS = 20;
const GITHUB_MAX_RESULTS_PER_RUN = 25_000;
const GITHUB_MAX_RULES_PER_RUN = 25_000;
const GITHUB_MAX_TAGS_PER_RULE = 20;
const GITHUB_MAX_LOCATIONS_PER_RESULT = 1_000;

let schemaValidator: ValidateFunction | undefined;

function oasisValidator(): ValidateFunction {
  if (!schemaValidator) {
    const schema = JSON.parse(readFileSync(new URL('../fixtures/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as Record<
      string,
      unknown
    >;
    // The schema's patterns use escapes that the `u` flag rejects; draft-04 needs its own Ajv.
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    schemaValidator = ajv.compile(schema);
  }
  return schemaValidator;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function get(v: unknown, ...path: Array<string | number>): unknown {
  let cur: unknown = v;
  for (const key of path) {
    if (typeof key === 'number') cur = Array.isArray(cur) ? cur[key] : undefined;
    else cur = isObj(cur) ? cur[key] : undefined;
  }
  return cur;
}

export function validateSarif(log: unknown): string[] {
  const problems: string[] = [];
  const validate = oasisValidator();
  if (!validate(log)) {
    for (const e of validate.errors ?? []) problems.push(`schema: ${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  }
  if (!isObj(log)) return problems.length > 0 ? problems : ['log is not an object'];

  const runs = arr(log.runs);
  if (runs.length > GITHUB_MAX_RUNS) problems.push(`github: ${runs.length} runs in one file (at most ${GITHUB_MAX_RUNS})`);

  // GitHub derives the analysis category from automationDetails.id up to its last `/`; two runs of
  // one tool in one file must differ in category or the upload is rejected.
  const categories = new Map<string, number>();
  runs.forEach((run, r) => {
    const tool = String(get(run, 'tool', 'driver', 'name') ?? '');
    const id = get(run, 'automationDetails', 'id');
    const category = typeof id === 'string' ? id.slice(0, id.lastIndexOf('/') + 1) || id : '';
    const key = `${tool}\u0000${category}`;
    const previous = categories.get(key);
    if (previous !== undefined) {
      problems.push(
        `github: runs[${r}] and runs[${previous}] of tool "${tool}" share the category "${category}" (automationDetails.id must differ)`,
      );
    } else {
      categories.set(key, r);
    }
    checkRun(run, `runs[${r}]`, problems);
  });
  return problems;
}

function checkRun(run: unknown, at: string, problems: string[]): void {
  const rules = arr(get(run, 'tool', 'driver', 'rules'));
  if (rules.length > GITHUB_MAX_RULES_PER_RUN)
    problems.push(`github: ${at} has ${rules.length} rules (at most ${GITHUB_MAX_RULES_PER_RUN})`);
  const ruleIds = new Map<string, number>();
  rules.forEach((rule, i) => {
    const where = `${at}.tool.driver.rules[${i}]`;
    const id = get(rule, 'id');
    if (typeof id !== 'string' || id === '') problems.push(`github: ${where} has no id`);
    else if (ruleIds.has(id)) problems.push(`github: ${where} repeats rule id "${id}"`);
    else ruleIds.set(id, i);
    for (const field of ['shortDescription', 'fullDescription', 'help'] as const) {
      const text = get(rule, field, 'text');
      if (typeof text !== 'string' || text.trim() === '') problems.push(`github: ${where} has no ${field}.text`);
    }
    const score = get(rule, 'properties', 'security-severity');
    const n = typeof score === 'string' && /^\d+(\.\d+)?$/.test(score.trim()) ? Number(score) : Number.NaN;
    if (!(n >= 0 && n <= 10)) {
      problems.push(`github: ${where} properties["security-severity"] must be a number string in 0.0–10.0, found ${JSON.stringify(score)}`);
    }
    const tags = arr(get(rule, 'properties', 'tags'));
    if (tags.length > GITHUB_MAX_TAGS_PER_RULE)
      problems.push(`github: ${where} has ${tags.length} tags (at most ${GITHUB_MAX_TAGS_PER_RULE})`);
  });

  const results = arr(get(run, 'results'));
  if (results.length > GITHUB_MAX_RESULTS_PER_RUN) {
    problems.push(`github: ${at} has ${results.length} results (at most ${GITHUB_MAX_RESULTS_PER_RUN})`);
  }
  results.forEach((result, i) => {
    const where = `${at}.results[${i}]`;
    const ruleId = get(result, 'ruleId');
    if (typeof ruleId !== 'string' || !ruleIds.has(ruleId)) {
      problems.push(`github: ${where} ruleId ${JSON.stringify(ruleId)} is not among its run's rules`);
    } else {
      const index = get(result, 'ruleIndex');
      if (index !== undefined && index !== ruleIds.get(ruleId)) {
        problems.push(`github: ${where} ruleIndex ${String(index)} does not point at rule "${ruleId}"`);
      }
    }
    const hash = get(result, 'partialFingerprints', 'primaryLocationLineHash');
    if (typeof hash !== 'string' || hash === '') problems.push(`github: ${where} has no partialFingerprints.primaryLocationLineHash`);
    const locations = arr(get(result, 'locations'));
    if (locations.length === 0) problems.push(`github: ${where} has no location`);
    if (locations.length > GITHUB_MAX_LOCATIONS_PER_RESULT) {
      problems.push(`github: ${where} has ${locations.length} locations (at most ${GITHUB_MAX_LOCATIONS_PER_RESULT})`);
    }
    locations.forEach((loc, j) => {
      const line = get(loc, 'physicalLocation', 'region', 'startLine');
      if (typeof line !== 'number' || !Number.isInteger(line) || line < 1) {
        problems.push(`github: ${where}.locations[${j}] has no region.startLine ≥ 1`);
      }
    });
  });

  // Every artifact location anywhere in the run (results, related locations, code flows, fixes,
  // artifacts) must be a relative reference GitHub can resolve against the repository root.
  // originalUriBaseIds is skipped: its entries are the bases and may legitimately be absolute.
  walkArtifactLocations(run, at, (uri, where) => {
    const problem = uriProblem(uri);
    if (problem) problems.push(`github: ${where}.uri ${JSON.stringify(uri)} ${problem}`);
  });
}

function uriProblem(uri: unknown): string | null {
  if (typeof uri !== 'string' || uri === '') return 'is missing';
  if (uri.includes('://')) return 'has a scheme (must be relative)';
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri)) return 'has a scheme (must be relative)';
  if (uri.startsWith('/') || uri.startsWith('\\')) return 'is absolute (must be relative)';
  if (/^[a-z]:[\\/]/i.test(uri)) return 'is a Windows absolute path (must be relative)';
  if (uri.includes('\\')) return 'uses backslashes (must use forward slashes)';
  return null;
}

function walkArtifactLocations(node: unknown, at: string, visit: (uri: unknown, where: string) => void): void {
  if (Array.isArray(node)) {
    for (const [i, v] of node.entries()) walkArtifactLocations(v, `${at}[${i}]`, visit);
    return;
  }
  if (!isObj(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'originalUriBaseIds' || key === 'properties') continue;
    const where = `${at}.${key}`;
    if (key === 'artifactLocation' && isObj(value)) visit(value.uri, where);
    else if (key === 'location' && at.includes('.artifacts[') && isObj(value)) visit(value.uri, where);
    walkArtifactLocations(value, where, visit);
  }
}
