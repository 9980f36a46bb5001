// A minimal DER reader: just what certificate facts need, working on slices of one Buffer.
// pkijs builds a full object tree per certificate (~1 ms and ~50 KiB each), which made parsing
// the largest CPU cost of an endpoint probe; this reads the same fields in a few microseconds.
// Input has already been accepted by OpenSSL (X509Certificate), but every read is bounds-checked
// anyway and throws DerError rather than returning garbage.

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

export const TagClass = { Universal: 0, Application: 1, Context: 2, Private: 3 } as const;
export type TagClass = (typeof TagClass)[keyof typeof TagClass];

export interface Tlv {
  cls: TagClass;
  constructed: boolean;
  tag: number;
  /** Offset of the identifier octet: buf.subarray(start, end) is the whole encoding. */
  start: number;
  /** Offset of the contents. */
  body: number;
  end: number;
}

export function readTlv(buf: Buffer, offset: number, limit = buf.length): Tlv {
  if (offset >= limit) throw new DerError(`DER: element expected at offset ${offset}`);
  const id = buf[offset] as number;
  let pos = offset + 1;
  let tag = id & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    for (;;) {
      if (pos >= limit) throw new DerError('DER: truncated tag');
      const b = buf[pos++] as number;
      tag = tag * 128 + (b & 0x7f);
      if (!(b & 0x80)) break;
      if (tag > 0xffffff) throw new DerError('DER: tag number too large');
    }
  }
  if (pos >= limit) throw new DerError('DER: truncated length');
  let len = buf[pos++] as number;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError('DER: indefinite or oversized length');
    if (pos + n > limit) throw new DerError('DER: truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[pos++] as number);
  }
  const end = pos + len;
  if (end > limit) throw new DerError(`DER: element at offset ${offset} overruns its container`);
  return { cls: (id >> 6) as TagClass, constructed: (id & 0x20) !== 0, tag, start: offset, body: pos, end };
}

export function children(buf: Buffer, parent: Tlv): Tlv[] {
  if (!parent.constructed) throw new DerError('DER: constructed element expected');
  const out: Tlv[] = [];
  let pos = parent.body;
  while (pos < parent.end) {
    const child = readTlv(buf, pos, parent.end);
    out.push(child);
    pos = child.end;
  }
  return out;
}

export function expectUniversal(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.cls !== TagClass.Universal || t.tag !== tag) throw new DerError(`DER: ${what} expected`);
  return t;
}

export const TAG = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  UTF8_STRING: 12,
  SEQUENCE: 16,
  SET: 17,
  NUMERIC_STRING: 18,
  PRINTABLE_STRING: 19,
  TELETEX_STRING: 20,
  IA5_STRING: 22,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
  VISIBLE_STRING: 26,
  UNIVERSAL_STRING: 28,
  BMP_STRING: 30,
} as const;

export function contents(buf: Buffer, t: Tlv): Buffer {
  return buf.subarray(t.body, t.end);
}

// The same few dozen OIDs (attribute types, extensions, algorithms) fill every certificate: decoding
// each once is a measurable share of reading one. Bounded, as a hostile peer can send endless new ones.
const oidCache = new Map<string, string>();
const OID_CACHE_SIZE = 2048;

export function oid(buf: Buffer, t: Tlv): string {
  if (t.end === t.body) throw new DerError('DER: empty OID');
  const key = buf.toString('latin1', t.body, t.end);
  const known = oidCache.get(key);
  if (known !== undefined) return known;
  const decoded = decodeOid(contents(buf, t));
  if (oidCache.size >= OID_CACHE_SIZE) oidCache.clear();
  oidCache.set(key, decoded);
  return decoded;
}

function decodeOid(bytes: Buffer): string {
  const parts: number[] = [];
  let value = 0;
  for (const b of bytes) {
    value = value * 128 + (b & 0x7f);
    if (b & 0x80) continue;
    if (!parts.length) {
      const first = value < 40 ? 0 : value < 80 ? 1 : 2;
      parts.push(first, value - first * 40);
    } else {
      parts.push(value);
    }
    value = 0;
  }
  return parts.join('.');
}

/** Text of a directory string; null for types that are not text (they print as #hex). */
export function text(buf: Buffer, t: Tlv): string | null {
  if (t.cls !== TagClass.Universal) return null;
  const b = contents(buf, t);
  switch (t.tag) {
    case TAG.UTF8_STRING:
      return b.toString('utf8');
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
    case TAG.NUMERIC_STRING:
    case TAG.VISIBLE_STRING:
    case TAG.TELETEX_STRING: // T.61 in theory; Latin-1 in every certificate seen in practice
      return b.toString('latin1');
    case TAG.BMP_STRING: {
      if (b.length % 2) throw new DerError('DER: odd BMPString length');
      const swapped = Buffer.from(b);
      swapped.swap16();
      return swapped.toString('utf16le');
    }
    case TAG.UNIVERSAL_STRING: {
      if (b.length % 4) throw new DerError('DER: bad UniversalString length');
      let s = '';
      for (let i = 0; i < b.length; i += 4) {
        const cp = b.readUInt32BE(i);
        if (cp > 0x10ffff) throw new DerError('DER: UniversalString character out of range');
        s += String.fromCodePoint(cp);
      }
      return s;
    }
    default:
      return null;
  }
}

export function time(buf: Buffer, t: Tlv): Date {
  const s = contents(buf, t).toString('latin1');
  let m: RegExpExecArray | null;
  let year: number;
  if (t.tag === TAG.UTC_TIME) {
    m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s);
    if (!m) throw new DerError(`DER: bad UTCTime ${s}`);
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy; // RFC 5280 §4.1.2.5.1
  } else if (t.tag === TAG.GENERALIZED_TIME) {
    m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(s);
    if (!m) throw new DerError(`DER: bad GeneralizedTime ${s}`);
    year = Number(m[1]);
  } else {
    throw new DerError('DER: time expected');
  }
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 31 February over into March: a field out of range is an error, not a date.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59)
    throw new DerError(`DER: bad time ${s}`);
  return date;
}

/** Hex of an INTEGER's magnitude: the sign octet DER adds to positive values is dropped. */
export function integerHex(buf: Buffer, t: Tlv): string {
  const b = contents(buf, t);
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i).toString('hex') || '00';
}

/**
 * Bits of a BIT STRING (without the unused-bits octet), as DER allows them: primitive, at most 7
 * unused bits and those zero. Keys and signatures are whole octets (`aligned`, the default): an
 * unused-bits count there is a re-encoding the signature does not cover, so it is refused as
 * browsers refuse it.
 */
export function bitString(buf: Buffer, t: Tlv, { aligned = true }: { aligned?: boolean } = {}): Buffer {
  if (t.constructed) throw new DerError('DER: constructed BIT STRING');
  const b = contents(buf, t);
  if (!b.length) throw new DerError('DER: empty BIT STRING');
  const unused = b[0] as number;
  if (unused > 7 || (b.length === 1 && unused !== 0)) throw new DerError(`DER: BIT STRING with ${unused} unused bits`);
  if (aligned && unused !== 0) throw new DerError('DER: BIT STRING of a key or signature is not whole octets');
  if (unused && ((b[b.length - 1] as number) & ((1 << unused) - 1)) !== 0)
    throw new DerError('DER: unused bits of a BIT STRING are not zero');
  return b.subarray(1);
}
