// The evidence manifest (REGULATIONS §B record + §D 4-layer evidence) as written, and its loader:
// YAML with positions → JSON Schema → semantic checks (real dates, document paths that stay inside
// the manifest's folder). Any problem is an InputError at `file:line:col` (exit 2) before a document
// is opened, so a hostile manifest cannot make govscan read outside the evidence folder.

import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Static } from '../core/schema-builders.js';
import type * as D from './manifest-schema.js';
import { type LEGAL_BASIS_IDS, ManifestDocumentSchema as schema, type ManifestDocument } from './manifest-schema.js';
import { InputError } from '../core/errors.js';
import { readInputText } from '../core/input-limits.js';
import { compileSchema, dottedPath, schemaErrors } from '../core/schema-errors.js';
import { errorAt, nodeAt, parseYamlOrThrow, positionOf, type PathSegment, type YamlSource } from '../core/yaml-source.js';
import { isCalendarDate } from '../core/i18n/dates.js';

// The manifest's shapes are defined once, with their JSON Schema, in manifest-schema.ts.
export { LEGAL_BASIS_IDS } from './manifest-schema.js';
export type LegalBasisId = (typeof LEGAL_BASIS_IDS)[number];
export type DocumentDoc = Static<typeof D.documentDoc>;
export type DocumentType = NonNullable<DocumentDoc['type']>;
export type DecisionDoc = Static<typeof D.decisionDoc>;
export type AssessmentDoc = Static<typeof D.assessmentDoc>;
export type AssessmentKind = NonNullable<AssessmentDoc['kind']>;
export type ForwarderDoc = Static<typeof D.forwarderDoc>;

/** A document named by the manifest, with where it is named and where it is on disk. */
export interface DocumentRef {
  /** Dotted path of the field, e.g. `approval.document`: how facts and messages name it. */
  role: string;
  doc: DocumentDoc;
  /** Absolute path, checked to be inside the manifest's folder. */
  file: string;
  /** Absolute path of the detached signature when one is named. */
  signatureFile: string | null;
  line: number;
}

export interface EvidenceManifest {
  file: string;
  dir: string;
  doc: ManifestDocument;
  documents: DocumentRef[];
}

let validator: ReturnType<typeof compileSchema<ManifestDocument>> | undefined;
function validate(): ReturnType<typeof compileSchema<ManifestDocument>> {
  validator ??= compileSchema<ManifestDocument>(schema);
  return validator;
}

export async function loadManifest(file: string): Promise<EvidenceManifest> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw InputError.inFile(file, 'evidence manifest is not a file');
    // A manifest is a short YAML file; anything bigger is a mistake or an attack, and is not parsed.
    text = await readInputText(file, 'manifest');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw InputError.inFile(file, `cannot read evidence manifest: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseManifest(text, file);
}

function parseManifest(text: string, file: string): EvidenceManifest {
  const { source, value } = parseYamlOrThrow(text, file);
  if (value === null || value === undefined)
    throw new InputError(file, 1, 1, 'evidence manifest is empty: expected apiVersion, kind and system');
  const check = validate();
  if (!check(value)) {
    const [first] = schemaErrors(check.errors ?? [], value, source, { describePath: (path) => dottedPath(path) || 'manifest' });
    throw first ?? new InputError(file, 1, 1, 'invalid evidence manifest');
  }
  checkDates(value, source);
  const dir = dirname(resolve(file));
  const documents = collectDocuments(value).map(({ path, doc }) => locateDocument(source, dir, path, doc));
  return { file, dir, doc: value, documents };
}

/** Every document field of the manifest, in file order, with its JSON path. */
function collectDocuments(m: ManifestDocument): { path: PathSegment[]; doc: DocumentDoc }[] {
  const out: { path: PathSegment[]; doc: DocumentDoc }[] = [];
  const add = (path: PathSegment[], doc: DocumentDoc | undefined): void => {
    if (doc) out.push({ path, doc });
  };
  add(['appraisal', 'document'], m.appraisal?.document);
  add(['approval', 'document'], m.approval?.document);
  add(['plan', 'document'], m.plan?.document);
  add(['regulation', 'document'], m.regulation?.document);
  add(['goLive', 'document'], m.goLive?.document);
  for (const [i, c] of (m.changes ?? []).entries()) add(['changes', i, 'document'], c.document);
  add(['penetrationTestProgramme', 'document'], m.penetrationTestProgramme?.document);
  for (const [i, a] of (m.assessments ?? []).entries()) add(['assessments', i, 'report'], a.report);
  add(['annualReport', 'document'], m.annualReport?.document);
  add(['layers', 'onsite', 'decision', 'document'], m.layers?.onsite?.decision?.document);
  add(['layers', 'monitoring', 'contract', 'document'], m.layers?.monitoring?.contract?.document);
  add(['layers', 'monitoring', 'forwarder', 'config'], m.layers?.monitoring?.forwarder?.config);
  for (const period of ['daily', 'weekly', 'sixMonthly'] as const)
    add(['layers', 'monitoring', 'reports', period, 'document'], m.layers?.monitoring?.reports?.[period]?.document);
  add(['layers', 'ncsc', 'confirmation', 'document'], m.layers?.ncsc?.confirmation?.document);
  add(['layers', 'ncsc', 'forwarder', 'config'], m.layers?.ncsc?.forwarder?.config);
  return out;
}

function locateDocument(source: YamlSource, dir: string, path: PathSegment[], doc: DocumentDoc): DocumentRef {
  const role = path.map(String).join('.');
  const file = insideFolder(source, dir, [...path, 'path'], doc.path, role);
  const signatureFile = doc.signature === undefined ? null : insideFolder(source, dir, [...path, 'signature'], doc.signature, role);
  return { role, doc, file, signatureFile, line: positionOf(source, nodeAt(source, [...path, 'path'])).line };
}

/** The absolute path of `written`, or an InputError when it is absolute or climbs out of `dir`. */
function insideFolder(source: YamlSource, dir: string, at: PathSegment[], written: string, role: string): string {
  if (written.includes('\0')) throw errorAt(source, at, `${role}: path contains a NUL byte`);
  if (isAbsolute(written) || /^[A-Za-z]:[\\/]/.test(written)) {
    throw errorAt(source, at, `${role}: "${written}" is an absolute path; document paths are relative to the manifest's folder`);
  }
  const full = resolve(dir, written);
  const rel = relative(dir, full);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw errorAt(source, at, `${role}: "${written}" leaves the manifest's folder; documents must be inside ${dir}`);
  }
  return full;
}

const DATE_FIELDS: PathSegment[][] = [
  ['appraisal', 'date'],
  ['approval', 'date'],
  ['regulation', 'date'],
  ['annualReport', 'date'],
  ['goLive', 'date'],
  ['penetrationTestProgramme', 'date'],
  ['layers', 'monitoring', 'reports', 'daily', 'date'],
  ['layers', 'monitoring', 'reports', 'weekly', 'date'],
  ['layers', 'monitoring', 'reports', 'sixMonthly', 'date'],
];

/** The schema admits YYYY-MM-DD shapes; 2025-02-30 is still not a date. */
function checkDates(m: ManifestDocument, source: YamlSource): void {
  const paths: PathSegment[][] = [...DATE_FIELDS];
  for (const i of (m.assessments ?? []).keys()) paths.push(['assessments', i, 'date']);
  for (const i of (m.changes ?? []).keys()) paths.push(['changes', i, 'date']);
  paths.push(
    ['layers', 'onsite', 'decision', 'date'],
    ['layers', 'monitoring', 'contract', 'validFrom'],
    ['layers', 'monitoring', 'contract', 'validTo'],
  );
  paths.push(['layers', 'ncsc', 'confirmation', 'date']);
  for (const path of paths) {
    const value = valueAt(m, path);
    if (typeof value === 'string' && !isCalendarDate(value))
      throw errorAt(source, path, `${dottedPath(path)}: "${value}" is not a calendar date`);
  }
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let node: unknown = root;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[String(seg)];
  }
  return node;
}
