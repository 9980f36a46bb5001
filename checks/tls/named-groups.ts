// The TLS supported_groups registry (IANA "TLS Supported Groups"), as far as a scanner offers it: every
// elliptic curve TLS ever defined (RFC 4492, RFC 7027, RFC 8422, RFC 8446, RFC 8734, GOST and SM2),
// the RFC 7919 finite-field groups, ML-KEM alone and in hybrids (draft-ietf-tls-mlkem,
// draft-ietf-tls-ecdhe-mlkem), and the pre-standard Kyber hybrids browsers shipped in 2023-24. A group
// the server chooses from this list is named with its kind and size; the facts record them, the TLS
// pack judges them.

type GroupKind = 'ecdhe' | 'ffdhe' | 'hybrid-pq' | 'pq';

export interface NamedGroup {
  code: number;
  /** The IANA name ('x25519', 'secp256r1', 'ffdhe2048', 'X25519MLKEM768'). */
  name: string;
  kind: GroupKind;
  /** Curve order or prime size in bits; for ML-KEM and Kyber the parameter set (512, 768, 1024). */
  bits: number;
}

function g(code: number, name: string, kind: GroupKind, bits: number): NamedGroup {
  return { code, name, kind, bits };
}

/** In the order our ClientHellos offer them: strongest-looking first, so a server following the client's order picks a modern group. */
export const NAMED_GROUPS: readonly NamedGroup[] = [
  g(0x11ec, 'X25519MLKEM768', 'hybrid-pq', 768),
  g(0x11eb, 'SecP256r1MLKEM768', 'hybrid-pq', 768),
  g(0x11ed, 'SecP384r1MLKEM1024', 'hybrid-pq', 1024),
  g(0x6399, 'X25519Kyber768Draft00', 'hybrid-pq', 768),
  g(0x639a, 'SecP256r1Kyber768Draft00', 'hybrid-pq', 768),
  g(0x0200, 'MLKEM512', 'pq', 512),
  g(0x0201, 'MLKEM768', 'pq', 768),
  g(0x0202, 'MLKEM1024', 'pq', 1024),
  g(0x001d, 'x25519', 'ecdhe', 256),
  g(0x0017, 'secp256r1', 'ecdhe', 256),
  g(0x001e, 'x448', 'ecdhe', 448),
  g(0x0018, 'secp384r1', 'ecdhe', 384),
  g(0x0019, 'secp521r1', 'ecdhe', 521),
  g(0x001f, 'brainpoolP256r1tls13', 'ecdhe', 256),
  g(0x0020, 'brainpoolP384r1tls13', 'ecdhe', 384),
  g(0x0021, 'brainpoolP512r1tls13', 'ecdhe', 512),
  g(0x001a, 'brainpoolP256r1', 'ecdhe', 256),
  g(0x001b, 'brainpoolP384r1', 'ecdhe', 384),
  g(0x001c, 'brainpoolP512r1', 'ecdhe', 512),
  g(0x0022, 'GC256A', 'ecdhe', 256),
  g(0x0023, 'GC256B', 'ecdhe', 256),
  g(0x0024, 'GC256C', 'ecdhe', 256),
  g(0x0025, 'GC256D', 'ecdhe', 256),
  g(0x0026, 'GC512A', 'ecdhe', 512),
  g(0x0027, 'GC512B', 'ecdhe', 512),
  g(0x0028, 'GC512C', 'ecdhe', 512),
  g(0x0029, 'curveSM2', 'ecdhe', 256),
  g(0x0016, 'secp256k1', 'ecdhe', 256),
  g(0x0015, 'secp224r1', 'ecdhe', 224),
  g(0x0014, 'secp224k1', 'ecdhe', 224),
  g(0x0013, 'secp192r1', 'ecdhe', 192),
  g(0x0012, 'secp192k1', 'ecdhe', 192),
  g(0x0011, 'secp160r2', 'ecdhe', 160),
  g(0x0010, 'secp160r1', 'ecdhe', 160),
  g(0x000f, 'secp160k1', 'ecdhe', 160),
  g(0x000e, 'sect571r1', 'ecdhe', 571),
  g(0x000d, 'sect571k1', 'ecdhe', 571),
  g(0x000c, 'sect409r1', 'ecdhe', 409),
  g(0x000b, 'sect409k1', 'ecdhe', 409),
  g(0x000a, 'sect283r1', 'ecdhe', 283),
  g(0x0009, 'sect283k1', 'ecdhe', 283),
  g(0x0008, 'sect239k1', 'ecdhe', 239),
  g(0x0007, 'sect233r1', 'ecdhe', 233),
  g(0x0006, 'sect233k1', 'ecdhe', 233),
  g(0x0005, 'sect193r2', 'ecdhe', 193),
  g(0x0004, 'sect193r1', 'ecdhe', 193),
  g(0x0003, 'sect163r2', 'ecdhe', 163),
  g(0x0002, 'sect163r1', 'ecdhe', 163),
  g(0x0001, 'sect163k1', 'ecdhe', 163),
  g(0x0100, 'ffdhe2048', 'ffdhe', 2048),
  g(0x0101, 'ffdhe3072', 'ffdhe', 3072),
  g(0x0102, 'ffdhe4096', 'ffdhe', 4096),
  g(0x0103, 'ffdhe6144', 'ffdhe', 6144),
  g(0x0104, 'ffdhe8192', 'ffdhe', 8192),
];

const byCode = new Map(NAMED_GROUPS.map((grp) => [grp.code, grp]));

export function namedGroup(code: number): NamedGroup | undefined {
  return byCode.get(code);
}

/** 'x25519' for 0x001d; a code outside the table by its hex ('0x1234'). */
export function groupName(code: number): string {
  return byCode.get(code)?.name ?? `0x${code.toString(16).padStart(4, '0')}`;
}
