// Shape limits of JSON request bodies, checked on the bytes BEFORE JSON.parse. The body limit bounds
// the bytes, not what they cost once parsed: 8 MB of `{},` is 2.7 million objects (~2 s to parse,
// hundreds of MB held while a report is cached), and 8 MB of `[` nests 4 million levels deep (8 s
// to parse; every recursive reader after it — JSON.stringify, the SARIF writer — overflows its
// stack). One pass over the bytes, skipping string contents with indexOf, costs a small fraction
// of the parse and refuses such bodies before anything is built from them.
//
// The parts of a batch that are free-form by design (an attempt's `facts`, a finding's `evidence`)
// get a size bound of their own once parsed (freeFormViolation), so one finding cannot fill a
// findings page nor one attempt a cache.

import { HttpError } from './errors.js';

export interface ShapeLimits {
  /** Deepest nesting of arrays and objects (the batch envelope itself is level 1). */
  maxDepth: number;
  /** Most keys in one object. */
  maxKeys: number;
  /** Most items in one array. */
  maxItems: number;
  /** Longest string, in bytes as sent (escapes included). */
  maxStringBytes: number;
  /** Most values (objects, arrays, strings, numbers, literals) in the whole body. */
  maxValues: number;
}

/**
 * Real reports nest about 12 levels deep (facts of a TLS attempt), hold at most a few dozen keys per
 * object and strings of a few KB (a certificate in PEM); 20,000-character texts are allowed by the
 * batch schema, which agents send with every non-ASCII character escaped (6 bytes each).
 */
const DEFAULT_SHAPE_LIMITS: Omit<ShapeLimits, 'maxValues'> = {
  maxDepth: 32,
  maxKeys: 1_000,
  maxItems: 100_000,
  maxStringBytes: 256 * 1024,
};

/** Values allowed per body of `bodyLimit` bytes: a real report averages ~25 bytes per value, so
 * this leaves room while 8 MiB of empty objects (2.7 million) is refused before it is parsed. */
export function shapeLimitsFor(bodyLimit: number): ShapeLimits {
  return { ...DEFAULT_SHAPE_LIMITS, maxValues: Math.max(10_000, Math.floor(bodyLimit / 16)) };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/**
 * The first limit the body breaks, as an HttpError (400 for nesting, 413 for sizes), or null.
 * Values are counted as container members (commas, and the first member of each container): an
 * object of N keys holds N values. Malformed JSON is not judged here: JSON.parse reports it next.
 */
export function shapeViolation(body: Uint8Array, limits: ShapeLimits): HttpError | null {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // Per open container: is it an object, and how many members so far.
  const isObject: boolean[] = [];
  const members: number[] = [];
  let depth = 0;
  let values = 1;
  let prev = 0; // the last byte outside strings that was not whitespace
  const tooLarge = (what: string): HttpError =>
    new HttpError(413, 'payload-too-large', `The request body is too large in shape: ${what}; see the server's documented limits.`);
  const member = (at: number): HttpError | null => {
    const count = ++(members[depth - 1] as number);
    if (++values > limits.maxValues) return tooLarge(`more than ${limits.maxValues} values`);
    if (isObject[depth - 1])
      return count > limits.maxKeys ? tooLarge(`an object with more than ${limits.maxKeys} keys at byte ${at}`) : null;
    return count > limits.maxItems ? tooLarge(`an array with more than ${limits.maxItems} items at byte ${at}`) : null;
  };
  for (let i = 0, n = buf.length; i < n; i++) {
    const c = buf[i] as number;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (depth > 0 && (prev === OPEN_OBJECT || prev === OPEN_ARRAY) && c !== CLOSE_OBJECT && c !== CLOSE_ARRAY) {
      const err = member(i);
      if (err) return err;
    }
    if (c === QUOTE) {
      let j = i + 1;
      for (;;) {
        j = buf.indexOf(QUOTE, j);
        if (j < 0) return null; // unterminated: JSON.parse will say so
        let slashes = 0;
        for (let b = j - 1; buf[b] === BACKSLASH; b--) slashes++;
        if (slashes % 2 === 0) break;
        j++;
      }
      if (j - i - 1 > limits.maxStringBytes)
        return tooLarge(`a string of ${j - i - 1} bytes at byte ${i} (at most ${limits.maxStringBytes})`);
      prev = QUOTE;
      i = j;
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > limits.maxDepth)
        return new HttpError(
          400,
          'bad-request',
          `The request body nests arrays and objects more than ${limits.maxDepth} levels deep (at byte ${i}).`,
        );
      isObject[depth - 1] = c === OPEN_OBJECT;
      members[depth - 1] = 0;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth > 0) depth--;
    } else if (c === COMMA && depth > 0) {
      const err = member(i);
      if (err) return err;
    }
    prev = c;
  }
  return null;
}

/** A finding's evidence holds the facts that decided it: about 2.5 KB at most in real reports. */
const MAX_EVIDENCE_BYTES = 64 * 1024;
/** An attempt's facts: about 4 KB for a TLS endpoint; a host's listeners and files take more. */
const MAX_FACTS_BYTES = 1024 * 1024;

/** Free-form parts of a (schema-valid) batch: each finding's evidence and each attempt's facts, bounded as JSON text. */
export function freeFormViolation(report: {
  findings?: readonly { evidence?: unknown }[];
  attempts?: readonly { facts?: unknown }[];
}): HttpError | null {
  const check = (value: unknown, max: number, where: string): HttpError | null => {
    if (value === undefined) return null;
    // Nesting is bounded already (shapeViolation ran on the bytes), so stringify cannot overflow.
    const size = JSON.stringify(value)?.length ?? 0;
    return size > max
      ? new HttpError(413, 'payload-too-large', `body/report/${where} is ${size} bytes as JSON; at most ${max} are accepted.`)
      : null;
  };
  const findings = report.findings ?? [];
  for (let i = 0; i < findings.length; i++) {
    const err = check(findings[i]?.evidence, MAX_EVIDENCE_BYTES, `findings/${i}/evidence`);
    if (err) return err;
  }
  const attempts = report.attempts ?? [];
  for (let i = 0; i < attempts.length; i++) {
    const err = check(attempts[i]?.facts, MAX_FACTS_BYTES, `attempts/${i}/facts`);
    if (err) return err;
  }
  return null;
}
