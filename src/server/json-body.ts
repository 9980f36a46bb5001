// The JSON body parser. fastify's default (secure-json-parse) runs two regular expressions over every
// body looking for `__proto__` and `constructor` in any escaped spelling; on a 70 KB batch that cost
// more than validating it. Here the raw bytes are searched for the plain words and for `\u` escapes
// (fast byte searches); only a body containing one of them is walked for the dangerous keys.
// JSON.parse itself never changes a prototype: an own `__proto__` key is only a hazard once some later
// code copies it by assignment, so such bodies are refused outright.

import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as received: the store keeps it as is instead of serialising the parsed batch again. */
    rawBody?: Buffer;
  }
}

const SUSPECT = ['__proto__', 'constructor', '\\u'].map((s) => Buffer.from(s, 'latin1'));

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
    if (Object.prototype.hasOwnProperty.call(record, '__proto__')) return true;
    const ctor = Object.prototype.hasOwnProperty.call(record, 'constructor') ? record.constructor : undefined;
    if (ctor !== null && typeof ctor === 'object' && Object.prototype.hasOwnProperty.call(ctor, 'prototype')) return true;
    for (const key in record) stack.push(record[key]);
  }
  return false;
}

export function parseJsonBody(request: FastifyRequest, body: Buffer, done: (err: Error | null, value?: unknown) => void): void {
  if (body.length === 0) {
    done(new HttpError(400, 'bad-request', 'The request body is empty.'));
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    done(new HttpError(400, 'bad-request', 'The request body is not valid JSON.'));
    return;
  }
  if (SUSPECT.some((s) => body.includes(s)) && poisoned(value)) {
    done(new HttpError(400, 'bad-request', 'The request body uses a reserved key (__proto__ or constructor.prototype).'));
    return;
  }
  request.rawBody = body;
  done(null, value);
}
