// The JSON body parser. Before anything is parsed the bytes are checked against the shape limits
// (body-shape.ts: nesting, keys, items, string sizes, values). fastify's default parser
// (secure-json-parse) runs two regular expressions over every body looking for `__proto__` and
// `constructor` in any escaped spelling; on a 70 KB batch that cost more than validating it. Here
// the text is searched once (one regular expression, no backtracking) for the plain words and for
// `\u` escapes that spell an ASCII character (`\u0040`–`\u007f`: how a key could be disguised); only a body
// containing one of them is walked for the dangerous keys. Escapes of non-ASCII characters (all of
// an agent's Vietnamese text, see wire.ts) cannot spell either key and do not trigger the walk.
// JSON.parse itself never changes a prototype: an own `__proto__` key is only a hazard once some later
// code copies it by assignment, so such bodies are refused outright.

import type { FastifyRequest } from 'fastify';
import { shapeViolation, type ShapeLimits } from './body-shape.js';
import { HttpError } from './errors.js';
import { decodeJsonText } from '../contract/wire.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as received: the store keeps it as is instead of serialising the parsed batch again. */
    rawBody?: Buffer;
  }
}

const SUSPECT = /__proto__|constructor|\\u00[4-7]/;

function poisoned(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    const record = node as Record<string, unknown>;
    if (Object.hasOwn(record, '__proto__')) return true;
    const ctor = Object.hasOwn(record, 'constructor') ? record.constructor : undefined;
    if (ctor !== null && typeof ctor === 'object' && Object.hasOwn(ctor, 'prototype')) return true;
    for (const key in record) stack.push(record[key]);
  }
  return false;
}

export type JsonBodyParser = (request: FastifyRequest, body: Buffer, done: (err: Error | null, value?: unknown) => void) => void;

/** The parser for bodies within `limits` (body-shape.ts: checked on the bytes, before parsing). */
export function jsonBodyParser(limits: ShapeLimits): JsonBodyParser {
  return (request, body, done) => {
    if (body.length === 0) {
      done(new HttpError(400, 'bad-request', 'The request body is empty.'));
      return;
    }
    const shape = shapeViolation(body, limits);
    if (shape) {
      done(shape);
      return;
    }
    parseJsonBody(request, body, done);
  };
}

function parseJsonBody(request: FastifyRequest, body: Buffer, done: (err: Error | null, value?: unknown) => void): void {
  const text = decodeJsonText(body);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    done(new HttpError(400, 'bad-request', 'The request body is not valid JSON.'));
    return;
  }
  if (SUSPECT.test(text) && poisoned(value)) {
    done(new HttpError(400, 'bad-request', 'The request body uses a reserved key (__proto__ or constructor.prototype).'));
    return;
  }
  request.rawBody = body;
  done(null, value);
}
