// Parsing a pack with positions kept, so every later error (schema, CEL, duplicate id) can point at
// the exact YAML node as `file:line:col`.

import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { InputError } from '../engine/errors.js';

export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export type ParsedYaml = { ok: true; source: YamlSource; value: unknown } | { ok: false; errors: InputError[] };

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
  return { ok: true, source: { file, doc, lines }, value: doc.toJS({ maxAliasCount: 100 }) };
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
  return isMap(v) || isSeq(v) || isScalar(v);
}

export function positionOf(source: YamlSource, node: YamlNode | null): { line: number; col: number } {
  const offset = node?.range?.[0];
  if (offset === undefined) return { line: 1, col: 1 };
  return source.lines.linePos(offset);
}

export function errorAt(source: YamlSource, path: readonly PathSegment[], detail: string, key = false): InputError {
  const pos = positionOf(source, nodeAt(source, path, key));
  return new InputError(source.file, pos.line, pos.col, detail);
}
