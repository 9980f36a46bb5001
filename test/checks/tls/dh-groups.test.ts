// Naming finite-field DH primes: the table computed from the RFC formulas must equal the primes
// OpenSSL (ffdhe, `openssl genpkey`) and Node (MODP, crypto.getDiffieHellman) carry.

import { execFileSync } from 'node:child_process';
import { getDiffieHellman } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bitLength, knownDhGroup } from '../../../checks/tls/dh-groups.js';
import { dhParamsPrime } from './dh-params.js';

describe('knownDhGroup', () => {
  it('names the RFC 2409 and RFC 3526 MODP primes as Node knows them', () => {
    const names = { modp1: 'rfc2409-768', modp2: 'rfc2409-1024', modp5: 'rfc3526-1536', modp14: 'rfc3526-2048' } as const;
    for (const [node, ours] of Object.entries({
      ...names,
      modp15: 'rfc3526-3072',
      modp16: 'rfc3526-4096',
      modp17: 'rfc3526-6144',
      modp18: 'rfc3526-8192',
    })) {
      expect(knownDhGroup(getDiffieHellman(node).getPrime()), node).toBe(ours);
    }
  });

  it('names the RFC 7919 ffdhe primes as OpenSSL generates them', () => {
    for (const bits of [2048, 3072, 4096, 6144, 8192]) {
      const pem = execFileSync('openssl', ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', `group:ffdhe${bits}`]).toString();
      const p = dhParamsPrime(pem);
      expect(bitLength(p)).toBe(bits);
      expect(knownDhGroup(p)).toBe(`ffdhe${bits}`);
    }
  });

  it('leaves a prime of no RFC unnamed, and ignores leading zero bytes', () => {
    const custom = dhParamsPrime(readFileSync(new URL('../../fixtures/tls/dh1024-custom.pem', import.meta.url), 'utf8'));
    expect(knownDhGroup(custom)).toBeNull();
    expect(bitLength(custom)).toBe(1024);
    const modp2 = getDiffieHellman('modp2').getPrime();
    expect(knownDhGroup(Buffer.concat([Buffer.alloc(2), modp2]))).toBe('rfc2409-1024');
    expect(knownDhGroup(Buffer.alloc(0))).toBeNull();
  });

  it('counts bits from the first set bit', () => {
    expect(bitLength(Buffer.from([0x00, 0x01, 0x00]))).toBe(9);
    expect(bitLength(Buffer.from([0x80]))).toBe(8);
    expect(bitLength(Buffer.from([0, 0]))).toBe(0);
  });
});
