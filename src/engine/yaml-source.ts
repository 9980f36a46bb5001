// YAML input (inventories, later waivers and evidence manifests) parsed with positions kept, so every
// complaint about it can say `file:line:col`.

import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document, type Node } from 'yaml';
import type { ErrorObject } from 'ajv';
import { InputError } from './errors.js';

export interface Position {
  line: number;
  column: number;
}

export interface LocatedYaml {
  file: string;
  value: unknown;
  /**
   * Position of the node at a JSON-pointer-like path; the closest existing ancestor when it is absent.
   * With `key`, the position of the last segment's key instead of its value (for "unknown field").
   */
  locate(path: ReadonlyArray<string | number>, opts?: { key?: boolean }): Position;
}

export function parseLocatedYaml(text: string, file: string): LocatedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    throw new InputError(file, pos.line, pos.col, `invalid YAML: ${firstLine(first.message)}`);
  }
  const at = (node: Node | null | undefined): Position => {
    const offset = node?.range?.[0] ?? 0;
    const pos = lineCounter.linePos(offset);
    return { line: Math.max(pos.line, 1), column: Math.max(pos.col, 1) };
  };
  return {
    file,
    value: doc.toJS({ maxAliasCount: 100 }) as unknown,
    locate: (path, opts) => at(nodeAt(doc, path, opts?.key ?? false)),
  };
}

function nodeAt(doc: Document, path: ReadonlyArray<string | number>, wantKey: boolean): Node | null {
  let node: unknown = doc.contents;
  let last: Node | null = (doc.contents as Node | null) ?? null;
  for (const [i, key] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) break;
      // Point at the value when there is one, else at the key that introduced it.
      node = wantKey && i === path.length - 1 ? pair.key : (pair.value ?? pair.key);
    } else if (isSeq(node)) {
      node = node.items[Number(key)];
    } else {
      break;
    }
    if (node && typeof node === 'object' && 'range' in node) last = node as Node;
    else break;
  }
  return last;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** ajv's instancePath (`/systems/0/level`) as path segments. */
export function pointerSegments(instancePath: string): string[] {
  if (!instancePath) return [];
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The most useful ajv error as one `file:line:col: message` InputError. */
export function schemaErrorToInput(source: LocatedYaml, errors: ErrorObject[], what: string): InputError {
  // Prefer the deepest error: it names the field the user actually got wrong.
  const sorted = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length);
  const err = sorted.find((e) => e.keyword !== 'if' && e.keyword !== 'anyOf' && e.keyword !== 'oneOf') ?? sorted[0];
  if (!err) return new InputError(source.file, 1, 1, `invalid ${what}`);
  const segments = pointerSegments(err.instancePath);
  let detail = err.message ?? 'is invalid';
  if (err.keyword === 'additionalProperties') {
    const extra = String((err.params as { additionalProperty?: string }).additionalProperty);
    segments.push(extra);
    detail = `unknown field "${extra}"`;
  } else if (err.keyword === 'enum') {
    const allowed = (err.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    detail = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  } else if (err.keyword === 'required') {
    detail = `missing required field "${String((err.params as { missingProperty?: string }).missingProperty)}"`;
  }
  const where = segments.length ? segments.join('.') : what;
  const pos = source.locate(segments, { key: err.keyword === 'additionalProperties' });
  return new InputError(source.file, pos.line, pos.column, `${where}: ${detail}`);
}
