// A signature over arbitrary bytes (an OCSP response's tbsResponseData), checked with node:crypto
// against the AlgorithmIdentifier that names it. Certificates need none of this: OpenSSL checks
// their signatures itself (ParsedCert.signedBy).

import { constants, verify, type KeyObject } from 'node:crypto';
import { pssHashOid } from './fields.js';
import type { AlgorithmId } from './ocsp.js';

type Scheme =
  | { kind: 'pkcs1'; hash: string }
  | { kind: 'ecdsa'; hash: string }
  | { kind: 'dsa'; hash: string }
  | { kind: 'pss' }
  | { kind: 'eddsa'; key: 'ed25519' | 'ed448' };

const SCHEMES: Record<string, Scheme> = {
  '1.2.840.113549.1.1.4': { kind: 'pkcs1', hash: 'md5' },
  '1.2.840.113549.1.1.5': { kind: 'pkcs1', hash: 'sha1' },
  '1.3.14.3.2.29': { kind: 'pkcs1', hash: 'sha1' },
  '1.2.840.113549.1.1.14': { kind: 'pkcs1', hash: 'sha224' },
  '1.2.840.113549.1.1.11': { kind: 'pkcs1', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { kind: 'pkcs1', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { kind: 'pkcs1', hash: 'sha512' },
  '1.2.840.113549.1.1.10': { kind: 'pss' },
  '1.2.840.10045.4.1': { kind: 'ecdsa', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { kind: 'ecdsa', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { kind: 'ecdsa', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { kind: 'ecdsa', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { kind: 'ecdsa', hash: 'sha512' },
  '1.2.840.10040.4.3': { kind: 'dsa', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.1': { kind: 'dsa', hash: 'sha224' },
  '2.16.840.1.101.3.4.3.2': { kind: 'dsa', hash: 'sha256' },
  '1.3.101.112': { kind: 'eddsa', key: 'ed25519' },
  '1.3.101.113': { kind: 'eddsa', key: 'ed448' },
};

/** Hash algorithm OIDs (RFC 5754 and friends) by the names node:crypto knows them by. */
export const HASH_NAMES: Record<string, string> = {
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const KEY_TYPES: Record<Exclude<Scheme['kind'], 'eddsa'>, string[]> = {
  pkcs1: ['rsa'],
  pss: ['rsa', 'rsa-pss'],
  ecdsa: ['ec'],
  dsa: ['dsa'],
};

export type SignatureCheck = 'valid' | 'invalid' | 'unsupported';

/**
 * Whether `signature` over `data` verifies with `key` under `algorithm`. A key of another type than
 * the algorithm names is 'invalid' (that key cannot have made it); an algorithm this table does not
 * know, or RSASSA-PSS parameters naming an unknown hash, is 'unsupported'.
 */
export function verifySignature(data: Buffer, algorithm: AlgorithmId, signature: Buffer, key: KeyObject): SignatureCheck {
  const scheme = SCHEMES[algorithm.oid];
  if (!scheme) return 'unsupported';
  const keyType = key.asymmetricKeyType ?? '';
  try {
    switch (scheme.kind) {
      case 'eddsa':
        return keyType === scheme.key && verify(null, data, key, signature) ? 'valid' : 'invalid';
      case 'pss': {
        const hash = HASH_NAMES[pssHashOid(algorithm.params)];
        if (!hash) return 'unsupported';
        if (!KEY_TYPES.pss.includes(keyType)) return 'invalid';
        // Any salt length: the signer chose it, and a wrong one fails the check anyway.
        const ok = verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature);
        return ok ? 'valid' : 'invalid';
      }
      default:
        if (!KEY_TYPES[scheme.kind].includes(keyType)) return 'invalid';
        return verify(scheme.hash, data, key, signature) ? 'valid' : 'invalid';
    }
  } catch {
    // Malformed signature encodings (an ECDSA value that is not DER, a wrong RSA length) land here.
    return 'invalid';
  }
}
