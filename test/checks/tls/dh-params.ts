// DH parameter files (PKCS#3 "BEGIN DH PARAMETERS") for the tests: the prime read out of one (the
// writer, for lab servers, is src/lab/dh-params.ts).

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
