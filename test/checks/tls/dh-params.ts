// DH parameter files (PKCS#3 "BEGIN DH PARAMETERS") for the tests: the prime read out of one, and
// one written around a given prime, so lab servers can use the RFC groups by their formula-free copies.

/** p of a DHparameter PEM: SEQUENCE { INTEGER p, INTEGER g, ... }, without the sign byte. */
export function dhParamsPrime(pem: string): Buffer {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  let off = 1 + lengthOfLength(der, 1);
  if (der[off] !== 0x02) throw new Error('DH parameters: p is not an INTEGER');
  const len = derLength(der, off + 1);
  const start = off + 1 + lengthOfLength(der, off + 1);
  off = start + len;
  const p = der.subarray(start, off);
  return p[0] === 0 ? p.subarray(1) : p;
}

/** A DHparameter PEM with prime p and generator g. */
export function dhParamsPem(p: Buffer, g = 2): string {
  const int = (v: Buffer): Buffer => tlv(0x02, (v[0] as number) & 0x80 ? Buffer.concat([Buffer.alloc(1), v]) : v);
  const der = tlv(0x30, Buffer.concat([int(p), int(Buffer.from([g]))]));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN DH PARAMETERS-----\n${b64.replace(/\n$/, '')}\n-----END DH PARAMETERS-----\n`;
}

function tlv(tag: number, value: Buffer): Buffer {
  const n = value.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, value]);
}

function derLength(der: Buffer, off: number): number {
  const first = der[off] as number;
  if (first < 0x80) return first;
  return der.readUIntBE(off + 1, first & 0x7f);
}

/** Bytes the DER length field at `off` takes. */
function lengthOfLength(der: Buffer, off: number): number {
  const first = der[off] as number;
  return first < 0x80 ? 1 : 1 + (first & 0x7f);
}
