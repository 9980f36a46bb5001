// DH parameter files (PKCS#3 "BEGIN DH PARAMETERS") for lab servers: `openssl s_server -dhparam`
// takes one, written here around a known prime so the lab can serve the RFC groups by name.

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
