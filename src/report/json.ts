// The JSON report: the whole Report (facts included), so later runs can convert it to another format
// or merge several without probing again. Reading it back validates against report.schema.json.

import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { InputError } from '../core/errors.js';
import type { Report } from '../core/types.js';
import schema from './report.schema.json' with { type: 'json' };
import { terminalJson } from './terminal-text.js';

export { schema as reportSchema };

/** Top-level keys in reading order; everything below is sorted so diffs of two reports stay small. */
const TOP_LEVEL = ['schemaVersion', 'tool', 'run', 'summary', 'policies', 'rules', 'targets', 'attempts', 'findings'];

/** The report sections a scan can spill to disk as targets complete (src/report/spill.ts). */
export type SpilledSection = 'attempts' | 'findings';

/** Where a streamed report takes its spilled sections from: each element already rendered by jsonElement. */
export interface SpilledSections {
  /** How many elements the section holds. */
  size(name: SpilledSection): number;
  /** The section's elements in report order, separated by `,\n`. */
  section(name: SpilledSection): AsyncIterable<string | Uint8Array>;
}

export function toJson(report: Report): string {
  let text = '';
  for (const part of layout(report, null)) text += part as string;
  return text;
}

/**
 * The same document, piece by piece, with attempts and findings read from a spill instead of the
 * report (which then holds a lean copy of them): a 10,000-target report is written without ever being
 * whole in memory. Byte for byte what toJson writes for the report with every attempt and finding.
 */
export async function* jsonChunks(report: Report, spilled: SpilledSections): AsyncGenerator<string | Uint8Array> {
  for (const part of layout(report, spilled)) {
    if (typeof part === 'string') yield part;
    else yield* spilled.section(part.section);
  }
}

// JSON.stringify cannot start at a given depth; wrapping the value in objects it then indents and
// slicing the wrapper off gives the text at the right depth without another pass over it.
const ELEMENT_HEAD = '{\n  "e": [\n'.length;
const ELEMENT_TAIL = '\n  ]\n}'.length;

/**
 * One element of a top-level array exactly as toJson indents it (two levels deep), so a spill can
 * store elements in their final form and writing the report is copying bytes.
 */
export function jsonElement(value: unknown): string {
  // terminalJson: a report printed to a terminal must not carry raw C1 or bidi controls from a server.
  return terminalJson(JSON.stringify({ e: [stable(value)] }, null, 2).slice(ELEMENT_HEAD, -ELEMENT_TAIL));
}

/**
 * What JSON.stringify(report, null, 2) writes with keys in stable order, one top-level entry at a
 * time; with `spilled`, attempts and findings are placeholders for the spill's elements.
 */
function* layout(report: Report, spilled: SpilledSections | null): Generator<string | { section: SpilledSection }> {
  const record = report as unknown as Record<string, unknown>;
  let first = true;
  for (const key of Object.keys(record).sort(byKey(true))) {
    const section = spilled && (key === 'attempts' || key === 'findings') ? key : null;
    let entry: string;
    if (section) {
      entry = `  ${JSON.stringify(key)}: ${spilled?.size(section) ? '[' : '[]'}`;
    } else {
      // `{}` when the value is one JSON leaves out (undefined, a function): so is the key.
      const wrapped = terminalJson(JSON.stringify({ [key]: stable(record[key]) }, null, 2));
      if (wrapped === '{}') continue;
      entry = wrapped.slice(2, -2);
    }
    yield `${first ? '{\n' : ',\n'}${entry}`;
    first = false;
    if (section && spilled?.size(section)) {
      yield '\n';
      yield { section };
      yield '\n  ]';
    }
  }
  yield first ? '{}\n' : '\n}\n';
}

function byKey(top: boolean): (a: string, b: string) => number {
  const rank = (k: string): number => (top && TOP_LEVEL.includes(k) ? TOP_LEVEL.indexOf(k) : TOP_LEVEL.length);
  return (a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => stable(v));
  if (value === null || typeof value !== 'object') return value;
  // Dates, URLs and the like serialize through their own toJSON; keep that.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort(byKey(false));
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = stable(record[k]);
  return out;
}

// ajv-formats is CommonJS with a default export; under NodeNext the plugin sits on `.default`.
const addFormats = addFormatsModule.default;
// Compiled on first use: writing a report must not pay for validating one.
let validator: ValidateFunction<Report> | undefined;
function reportValidator(): ValidateFunction<Report> {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile<Report>(schema);
  }
  return validator;
}

const SCHEMA_VERSION = 1;
const MAX_LISTED_ERRORS = 3;

/** Parse and validate a JSON report; any problem becomes an InputError naming the file (exit 2). */
export function parseJsonReport(text: string, file: string): Report {
  // Editors on Windows like to add a byte-order mark; JSON.parse refuses it.
  const body = text.replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const pos = jsonErrorPosition(body, message);
    const detail = body.trim() === '' ? 'the file is empty' : message.replace(/\s*\(line \d+ column \d+\)$/, '');
    throw new InputError(file, pos?.line ?? null, pos?.column ?? null, `not a JSON document: ${detail}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw InputError.inFile(file, `not a govscan JSON report: expected an object, found ${describe(value)}`);
  }
  const version = (value as { schemaVersion?: unknown }).schemaVersion;
  if (version !== undefined && version !== SCHEMA_VERSION) {
    throw InputError.inFile(file, `report schemaVersion ${JSON.stringify(version)} is not supported (this govscan reads ${SCHEMA_VERSION})`,
    );
  }
  const validateReport = reportValidator();
  if (!validateReport(value)) {
    throw InputError.inFile(file, `not a govscan JSON report: ${explain(validateReport.errors ?? [])}`);
  }
  return value;
}

/** The deepest few schema errors, each as `/json/pointer message`: they name the field that is wrong. */
function explain(errors: ErrorObject[]): string {
  const useful = errors.filter((e) => !['if', 'anyOf', 'oneOf', 'allOf'].includes(e.keyword));
  const sorted = [...(useful.length > 0 ? useful : errors)].sort((a, b) => depth(b) - depth(a));
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const e of sorted) {
    const line = `${e.instancePath || '/'} ${errorMessage(e)}`;
    if (seen.has(line)) continue;
    seen.add(line);
    lines.push(line);
  }
  if (lines.length === 0) return 'does not match the report schema';
  const more = lines.length > MAX_LISTED_ERRORS ? ` (and ${lines.length - MAX_LISTED_ERRORS} more)` : '';
  return lines.slice(0, MAX_LISTED_ERRORS).join('; ') + more;
}

function errorMessage(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (e.keyword === 'const') return `must be ${JSON.stringify(params.allowedValue)}`;
  return e.message ?? 'is invalid';
}

function depth(e: ErrorObject): number {
  return e.instancePath.split('/').length;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** V8 reports either `(line L column C)` (newer) or `at position N` (Node 20); turn either into line:col. */
function jsonErrorPosition(text: string, message: string): { line: number; column: number } | null {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const p = /position (\d+)/.exec(message);
  if (!p) return null;
  const offset = Number(p[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}
