// The well-known finite-field Diffie-Hellman primes, so a DHE ServerKeyExchange's p can be named: the
// RFC 7919 ffdhe groups (TLS's own) and the IKE MODP groups of RFC 2409 / RFC 3526 that servers copied
// into their DH parameter files. Every one of them is defined by a formula over π (MODP) or e (ffdhe),
// p = 2^n − 2^(n−64) − 1 + 2^64·(⌊2^s·c⌋ + k), so they are computed here from that formula and the
// RFC's constants instead of carried as 25 KB of hex; the tests check them against OpenSSL's and
// Node's built-in copies.

interface KnownPrime {
  name: string;
  bits: number;
  /** ⌊2^shift · constant⌋ is the prime's middle part (RFC 3526 §2–7, RFC 7919 appendix A). */
  shift: number;
  add: number;
  constant: 'pi' | 'e';
}

const KNOWN: readonly KnownPrime[] = [
  { name: 'rfc2409-768', bits: 768, shift: 638, add: 149686, constant: 'pi' },
  { name: 'rfc2409-1024', bits: 1024, shift: 894, add: 129093, constant: 'pi' },
  { name: 'rfc3526-1536', bits: 1536, shift: 1406, add: 741804, constant: 'pi' },
  { name: 'rfc3526-2048', bits: 2048, shift: 1918, add: 124476, constant: 'pi' },
  { name: 'rfc3526-3072', bits: 3072, shift: 2942, add: 1690314, constant: 'pi' },
  { name: 'rfc3526-4096', bits: 4096, shift: 3966, add: 240904, constant: 'pi' },
  { name: 'rfc3526-6144', bits: 6144, shift: 6014, add: 929484, constant: 'pi' },
  { name: 'rfc3526-8192', bits: 8192, shift: 8062, add: 4743158, constant: 'pi' },
  { name: 'ffdhe2048', bits: 2048, shift: 1918, add: 560316, constant: 'e' },
  { name: 'ffdhe3072', bits: 3072, shift: 2942, add: 2625351, constant: 'e' },
  { name: 'ffdhe4096', bits: 4096, shift: 3966, add: 5736041, constant: 'e' },
  { name: 'ffdhe6144', bits: 6144, shift: 6014, add: 15705020, constant: 'e' },
  { name: 'ffdhe8192', bits: 8192, shift: 8062, add: 10965728, constant: 'e' },
];

/** Fixed-point precision of π and e: the largest shift plus guard bits against truncation error. */
const PRECISION = 8192n + 64n;

let table: Map<string, string> | null = null;

/** hex(p) → name, computed on first use (about 20 ms; most scans meet no DHE suite at all). */
function primes(): Map<string, string> {
  if (table) return table;
  const one = 1n << PRECISION;
  const constants = { pi: 16n * arctanInverse(5n, one) - 4n * arctanInverse(239n, one), e: eulerNumber(one) };
  table = new Map();
  for (const k of KNOWN) {
    const n = BigInt(k.bits);
    const middle = (constants[k.constant] >> (PRECISION - BigInt(k.shift))) + BigInt(k.add);
    const p = (1n << n) - (1n << (n - 64n)) - 1n + (middle << 64n);
    table.set(p.toString(16), k.name);
  }
  return table;
}

/** arctan(1/x) scaled by `one` (Machin's series). */
function arctanInverse(x: bigint, one: bigint): bigint {
  let sum = 0n;
  let power = one / x;
  const x2 = x * x;
  for (let k = 1n, sign = 1n; power !== 0n; k += 2n, sign = -sign) {
    sum += sign * (power / k);
    power /= x2;
  }
  return sum;
}

/** e scaled by `one`: Σ 1/k!. */
function eulerNumber(one: bigint): bigint {
  let sum = 0n;
  for (let term = one, k = 1n; term !== 0n; k++) {
    sum += term;
    term /= k;
  }
  return sum;
}

/** The name of a well-known prime ('ffdhe2048', 'rfc2409-1024', 'rfc3526-2048', …), or null. */
export function knownDhGroup(p: Buffer): string | null {
  const hex = p.toString('hex').replace(/^0+/, '');
  if (hex.length === 0) return null;
  return primes().get(hex) ?? null;
}

/** The bit length of a big-endian unsigned integer (leading zero bytes and bits do not count). */
export function bitLength(n: Buffer): number {
  let i = 0;
  while (i < n.length && n[i] === 0) i++;
  if (i === n.length) return 0;
  return (n.length - i - 1) * 8 + (32 - Math.clz32(n[i] as number));
}
