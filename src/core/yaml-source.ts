// YAML input (inventories, policy packs, later waivers, evidence manifests and agent config) parsed
// with positions kept, so every later complaint about it (schema, CEL, duplicate id) can point at the
// exact node as `file:line:col`.

import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { InputError } from './errors.js';

export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export type ParsedYaml = { ok: true; source: YamlSource; value: unknown } | { ok: false; errors: InputError[] };

/** Every syntax error of the text, or the parsed value with its source for locating nodes later. */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return new InputError(file, pos.line, pos.col, `YAML syntax error: ${e.message}`);
      }),
    };
  }
  try {
    return { ok: true, source: { file, doc, lines }, value: doc.toJS({ maxAliasCount: 100 }) };
  } catch (err) {
    // Alias problems (an alias before its anchor, alias bombs) only show when the value is built.
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, errors: [new InputError(file, 1, 1, `YAML syntax error: ${message}`)] };
  }
}

/** For callers that stop at the first problem: the parsed value, or the first syntax error thrown. */
export function parseYamlOrThrow(text: string, file: string): { source: YamlSource; value: unknown } {
  const parsed = parseYaml(text, file);
  if (parsed.ok) return parsed;
  throw parsed.errors[0] ?? InputError.inFile(file, 'YAML syntax error');
}

export type PathSegment = string | number;

/**
 * The node at a JSON path, or the deepest ancestor that exists. With `key`, the key node of the last
 * segment is returned instead (unknown-field errors point at the field's name, not its value).
 */
export function nodeAt(source: YamlSource, path: readonly PathSegment[], key = false): YamlNode | null {
  let node: unknown = source.doc.contents;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return node;
      if (last && key && isScalar(pair.key)) return pair.key;
      node = pair.value ?? pair.key;
    } else if (isSeq(node)) {
      const item: unknown = node.items[Number(seg)];
      if (item === undefined || item === null) return node;
      node = item;
    } else {
      break;
    }
  }
  return isYamlNode(node) ? node : null;
}

function isYamlNode(v: unknown): v is YamlNode {
  return isMap(v) || isSeq(v) || isScalar(v) || isAlias(v);
}

/** 1-based line and column of a node; the start of the file when there is none. */
export function positionOf(source: YamlSource, node: YamlNode | null): { line: number; col: number } {
  const offset = node?.range?.[0];
  if (offset === undefined) return { line: 1, col: 1 };
  return source.lines.linePos(offset);
}

export function errorAt(source: YamlSource, path: readonly PathSegment[], detail: string, key = false): InputError {
  const pos = positionOf(source, nodeAt(source, path, key));
  return new InputError(source.file, pos.line, pos.col, detail);
}
