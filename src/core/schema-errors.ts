// JSON Schema validation of YAML input (inventories, policy packs, later waivers, evidence manifests
// and agent config), with each ajv error turned into a sentence the author can act on and pinned to
// the YAML node it is about as `file:line:col`. Wording that only one kind of file needs (e.g. a
// pack's bilingual texts) comes in through `SchemaErrorOptions`.

import { Ajv } from 'ajv';
import type { AnySchema, ErrorObject, ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import type { InputError } from './errors.js';
import { errorAt, type PathSegment, type YamlSource } from './yaml-source.js';

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

/**
 * A validator set up for `schemaErrors`: every error (not just the first), `verbose` so errors carry
 * the offending data and schema, formats, and the `x-hint` annotation (a pattern's human wording).
 */
export function compileSchema<T>(schema: AnySchema): ValidateFunction<T> {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  ajv.addVocabulary(['x-hint']);
  formatsPlugin()(ajv);
  return ajv.compile<T>(schema);
}

/** How one ajv error is reported: where it points, which path it names, and what it says. */
export interface SchemaErrorMapping {
  /** The YAML node the error points at. */
  at: PathSegment[];
  /** Point at the key of `at`'s last segment rather than its value (unknown or misspelt keys). */
  key: boolean;
  /** The path named before the colon (see `describePath`). */
  label: PathSegment[];
  detail: string;
}

export interface SchemaErrorOptions {
  /** How a path is named in front of the message; `dottedPath` by default (empty path: no label). */
  describePath?: (path: readonly PathSegment[], value: unknown) => string;
  /** Wording for one kind of file: a replacement for the generic mapping, or undefined to keep it. */
  refine?: (error: ErrorObject, generic: SchemaErrorMapping) => SchemaErrorMapping | undefined;
}

/** Every ajv error of a failed validation as an InputError, in file order, without repeats. */
export function schemaErrors(
  errors: readonly ErrorObject[],
  value: unknown,
  source: YamlSource,
  options: SchemaErrorOptions = {},
): InputError[] {
  const describe = options.describePath ?? dottedPath;
  const mapped = errors
    // propertyNames reports once for the name and once for the failing sub-schema; keep the latter.
    .filter((e) => e.keyword !== 'propertyNames')
    .map((e) => {
      const generic = mapError(e);
      const m = options.refine?.(e, generic) ?? generic;
      const label = describe(m.label, value);
      return errorAt(source, m.at, label ? `${label}: ${m.detail}` : m.detail, m.key);
    });
  return dedupe(mapped).sort(byPosition);
}

function byPosition(a: InputError, b: InputError): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

function dedupe(errors: InputError[]): InputError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (seen.has(e.message)) return false;
    seen.add(e.message);
    return true;
  });
}

/** ajv's instancePath (`/systems/0/level`) as path segments, array indexes as numbers. */
export function decodePointer(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function mapError(e: ErrorObject): SchemaErrorMapping {
  const path = decodePointer(e.instancePath);
  const params = e.params as Record<string, unknown>;
  const hint = (e.parentSchema as { 'x-hint'?: unknown } | undefined)?.['x-hint'];
  const propertyName = typeof e.propertyName === 'string' ? e.propertyName : null;
  let detail: string;
  let at: PathSegment[] = path;
  let key = false;
  switch (e.keyword) {
    case 'required':
      detail = `missing required field "${String(params['missingProperty'])}"`;
      break;
    case 'additionalProperties':
      at = [...path, String(params['additionalProperty'])];
      key = true;
      detail = `unknown field "${String(params['additionalProperty'])}"`;
      break;
    case 'enum':
      if (propertyName !== null) {
        at = [...path, propertyName];
        key = true;
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
        key = true;
      }
      detail =
        typeof hint === 'string'
          ? `${JSON.stringify(propertyName ?? e.data)} is not valid: use ${hint}`
          : typeof e.data === 'string' && !e.data.trim()
            ? 'must not be empty'
            : `${JSON.stringify(propertyName ?? e.data)} does not match ${String(params['pattern'])}`;
      break;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      // ajv's own "must be <= 5", plus what was found.
      detail = `${e.message ?? e.keyword} (got ${JSON.stringify(e.data)})`;
      break;
    case 'format':
      detail =
        params['format'] === 'date'
          ? `must be a date YYYY-MM-DD (got ${JSON.stringify(e.data)})`
          : `must be a valid ${String(params['format'])}`;
      break;
    default:
      detail = e.message ?? e.keyword;
  }
  return { at, key, label: path, detail };
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

/** `spec.rules[0].severity`: a path from the document root, array indexes in brackets. */
export function dottedPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}
