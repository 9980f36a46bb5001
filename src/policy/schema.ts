// Schema validation of a pack against policies/policy.schema.json. The generic ajv-error wording and
// positions come from engine/schema-errors; what is said here is only what a pack needs on top:
// bilingual texts (Localized) and paths named by rule id.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { InputError } from '../core/errors.js';
import { compileSchema, dottedPath, schemaErrors, type SchemaErrorMapping } from '../core/schema-errors.js';
import { packageRoot } from '../core/package-root.js';
import type { PathSegment, YamlSource } from '../core/yaml-source.js';
import type { PolicyDocument } from './types.js';

const POLICY_SCHEMA_FILE = 'policy.schema.json';

/** The package's `policies/` folder: the built-in packs and the pack schema. */
export function policiesDir(): string {
  return join(packageRoot(), 'policies');
}

let validator: ValidateFunction<PolicyDocument> | null = null;

function getValidator(): ValidateFunction<PolicyDocument> {
  if (validator) return validator;
  const schema: unknown = JSON.parse(readFileSync(join(policiesDir(), POLICY_SCHEMA_FILE), 'utf8'));
  validator = compileSchema<PolicyDocument>(schema as Record<string, unknown>);
  return validator;
}

export type SchemaResult = { ok: true; doc: PolicyDocument } | { ok: false; errors: InputError[] };

export function validateSchema(value: unknown, source: YamlSource): SchemaResult {
  const validate = getValidator();
  if (validate(value)) return { ok: true, doc: value };
  return {
    ok: false,
    errors: schemaErrors(chosenBranches(validate.errors ?? []), value, source, { describePath, refine: localizedWording }),
  };
}

/**
 * The pack schema's anyOfs are between a plain value and a mapping (a date or { param: NAME }; a value
 * or a parameter declaration). A wrong value is reported for the branch its type chose alone — not
 * "must be a mapping" for a mistyped date, nor "must match a schema in anyOf" on top.
 */
function chosenBranches(errors: readonly ErrorObject[]): ErrorObject[] {
  const choices = errors.filter((e) => e.keyword === 'anyOf');
  const isMapping = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
  return errors.filter((e) => {
    if (e.keyword === 'anyOf') return false;
    const choice = choices.find((c) => c.instancePath === e.instancePath);
    if (!choice || e.keyword !== 'type') return true;
    const wantsMapping = (e.params as { type?: unknown }).type === 'object';
    return wantsMapping === isMapping(choice.data);
  });
}

/** A missing or empty translation is reported as "missing Vietnamese (vi) text", whichever way it is missing. */
function localizedWording(e: ErrorObject, generic: SchemaErrorMapping): SchemaErrorMapping | undefined {
  const path = generic.label;
  const last = path[path.length - 1];
  const blank = typeof e.data === 'string' && !e.data.trim();
  if ((last === 'en' || last === 'vi') && blank && (e.keyword === 'minLength' || e.keyword === 'pattern')) {
    // An empty translation is a missing one; say so the same way as an absent key.
    return { at: path, key: false, label: path.slice(0, -1), detail: `missing ${languageName(last)} text` };
  }
  if (e.keyword === 'required' && isLocalized(e.parentSchema)) {
    const missing = String((e.params as Record<string, unknown>)['missingProperty']);
    return { ...generic, detail: `missing ${languageName(missing)} text` };
  }
  return undefined;
}

// Recognised by shape, not by schema path: ajv reports paths relative to wherever a $ref landed.
function isLocalized(schema: unknown): boolean {
  const required = (schema as { required?: unknown } | undefined)?.required;
  return Array.isArray(required) && required.length === 2 && required.includes('en') && required.includes('vi');
}

function languageName(code: string): string {
  if (code === 'vi') return 'Vietnamese (vi)';
  if (code === 'en') return 'English (en)';
  return `"${code}"`;
}

/**
 * `rule TLS-X: severityOverrides[0].severity` inside a rule that has an id, else a dotted path from
 * the document root; rule ids are how authors find their way in a long pack.
 */
function describePath(path: readonly PathSegment[], value: unknown): string {
  if (path[0] === 'spec' && path[1] === 'rules' && typeof path[2] === 'number') {
    const rule = ruleAt(value, path[2]);
    const rest = dottedPath(path.slice(3));
    const head = rule ? `rule ${rule}` : `spec.rules[${path[2]}]`;
    return rest ? `${head}: ${rest}` : head;
  }
  return dottedPath(path);
}

function ruleAt(value: unknown, index: number): string | null {
  const rules = (value as { spec?: { rules?: unknown } } | null)?.spec?.rules;
  if (!Array.isArray(rules)) return null;
  const id = (rules[index] as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && id ? id : null;
}
