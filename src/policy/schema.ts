// Schema validation of a pack against policies/policy.schema.json, with each ajv error turned into a
// sentence a pack author can act on and pinned to the YAML node it is about.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import type { InputError } from '../engine/errors.js';
import { policiesDir } from './package-root.js';
import type { PolicyDocument } from './types.js';
import { errorAt, type PathSegment, type YamlSource } from './yaml-source.js';

export const POLICY_SCHEMA_FILE = 'policy.schema.json';

let validator: ValidateFunction<PolicyDocument> | null = null;

// ajv-formats is CommonJS; depending on the loader its plugin is the module or its `default`.
type FormatsPlugin = (ajv: Ajv) => Ajv;
function formatsPlugin(): FormatsPlugin {
  const mod: unknown = ajvFormats;
  const candidate = (mod as { default?: unknown }).default;
  if (typeof candidate === 'function') return candidate as FormatsPlugin;
  const nested = (candidate as { default?: unknown } | undefined)?.default;
  if (typeof nested === 'function') return nested as FormatsPlugin;
  throw new Error('ajv-formats: plugin not found');
}

function getValidator(): ValidateFunction<PolicyDocument> {
  if (validator) return validator;
  const schema: unknown = JSON.parse(readFileSync(join(policiesDir(), POLICY_SCHEMA_FILE), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  ajv.addVocabulary(['x-hint']);
  formatsPlugin()(ajv);
  validator = ajv.compile<PolicyDocument>(schema as Record<string, unknown>);
  return validator;
}

export type SchemaResult = { ok: true; doc: PolicyDocument } | { ok: false; errors: InputError[] };

export function validateSchema(value: unknown, source: YamlSource): SchemaResult {
  const validate = getValidator();
  if (validate(value)) return { ok: true, doc: value };
  const errors = (validate.errors ?? [])
    // propertyNames reports once for the name and once for the failing sub-schema; keep the latter.
    .filter((e) => e.keyword !== 'propertyNames')
    .map((e) => toInputError(e, value, source));
  return { ok: false, errors: dedupe(errors).sort(byPosition) };
}

function byPosition(a: InputError, b: InputError): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

function dedupe(errors: InputError[]): InputError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.message) ? false : (seen.add(e.message), true)));
}

function decodePointer(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function toInputError(e: ErrorObject, value: unknown, source: YamlSource): InputError {
  const path = decodePointer(e.instancePath);
  const params = e.params as Record<string, unknown>;
  const hint = (e.parentSchema as { 'x-hint'?: unknown } | undefined)?.['x-hint'];
  const propertyName = typeof e.propertyName === 'string' ? e.propertyName : null;
  let detail: string;
  let at: PathSegment[] = path;
  let atKey = false;
  const last = path[path.length - 1];
  const blank = typeof e.data === 'string' && !e.data.trim();
  if ((last === 'en' || last === 'vi') && blank && (e.keyword === 'minLength' || e.keyword === 'pattern')) {
    // An empty translation is a missing one; say so the same way as an absent key.
    const label = describePath(path.slice(0, -1), value);
    return errorAt(source, at, `${label}: missing ${languageName(last)} text`);
  }
  switch (e.keyword) {
    case 'required': {
      const missing = String(params['missingProperty']);
      detail = isLocalized(e.parentSchema) ? `missing ${languageName(missing)} text` : `missing required field "${missing}"`;
      break;
    }
    case 'additionalProperties':
      at = [...path, String(params['additionalProperty'])];
      atKey = true;
      detail = `unknown field "${String(params['additionalProperty'])}"`;
      break;
    case 'enum':
      if (propertyName !== null) {
        at = [...path, propertyName];
        atKey = true;
        detail = `invalid key "${propertyName}": must be one of ${listOf(params['allowedValues'])}`;
      } else {
        detail = `must be one of ${listOf(params['allowedValues'])} (got ${JSON.stringify(e.data)})`;
      }
      break;
    case 'const':
      detail = `must be ${JSON.stringify(params['allowedValue'])} (got ${JSON.stringify(e.data)})`;
      break;
    case 'type':
      detail = `must be ${article(String(params['type']))} (got ${jsonType(e.data)})`;
      break;
    case 'minLength':
      detail = 'must not be empty';
      break;
    case 'minItems':
      detail = `must list at least ${String(params['limit'])} item${params['limit'] === 1 ? '' : 's'}`;
      break;
    case 'pattern':
      if (propertyName !== null) {
        at = [...path, propertyName];
        atKey = true;
      }
      detail =
        typeof hint === 'string'
          ? `${JSON.stringify(propertyName ?? e.data)} is not valid: use ${hint}`
          : (e.data === '' || (typeof e.data === 'string' && !e.data.trim()))
            ? 'must not be empty'
            : `${JSON.stringify(propertyName ?? e.data)} does not match ${String(params['pattern'])}`;
      break;
    case 'format':
      detail = params['format'] === 'date' ? `must be a date YYYY-MM-DD (got ${JSON.stringify(e.data)})` : `must be a valid ${String(params['format'])}`;
      break;
    default:
      detail = e.message ?? e.keyword;
  }
  const label = describePath(path, value);
  return errorAt(source, at, label ? `${label}: ${detail}` : detail, atKey);
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

function listOf(values: unknown): string {
  return Array.isArray(values) ? values.map(String).join(', ') : String(values);
}

function article(type: string): string {
  const names = type.split(',').map((t) => (t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : `a ${t}`));
  return names.join(' or ');
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * `rule TLS-X: severityOverrides[0].severity` inside a rule that has an id, else a dotted path from
 * the document root; rule ids are how authors find their way in a long pack.
 */
export function describePath(path: readonly PathSegment[], value: unknown): string {
  if (path[0] === 'spec' && path[1] === 'rules' && typeof path[2] === 'number') {
    const rule = ruleAt(value, path[2]);
    const rest = dotted(path.slice(3));
    const head = rule ? `rule ${rule}` : `spec.rules[${path[2]}]`;
    return rest ? `${head}: ${rest}` : head;
  }
  return dotted(path);
}

function ruleAt(value: unknown, index: number): string | null {
  const rules = (value as { spec?: { rules?: unknown } } | null)?.spec?.rules;
  if (!Array.isArray(rules)) return null;
  const id = (rules[index] as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && id ? id : null;
}

function dotted(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}
