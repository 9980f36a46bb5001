// A signature over arbitrary bytes (a certificate's TBSCertificate, an OCSP response's
// tbsResponseData), checked with node:crypto against the AlgorithmIdentifier that names it.

import { constants, verify, type KeyObject } from 'node:crypto';
import { HASH_NAMES, SIGNATURE_ALGORITHMS, type SignatureScheme } from './algorithms.js';
import { pssHashOid } from './fields.js';
import type { AlgorithmId } from './ocsp.js';

const KEY_TYPES: Record<SignatureScheme, string[]> = {
  pkcs1: ['rsa'],
  pss: ['rsa', 'rsa-pss'],
  ecdsa: ['ec'],
  dsa: ['dsa'],
  ed25519: ['ed25519'],
  ed448: ['ed448'],
};

export type SignatureCheck = 'valid' | 'invalid' | 'unsupported';

/**
 * Whether `signature` over `data` verifies with `key` under `algorithm`. A key of another type than
 * the algorithm names is 'invalid' (that key cannot have made it); an algorithm this table does not
 * know, or RSASSA-PSS parameters naming an unknown hash, is 'unsupported'.
 */
export function verifySignature(data: Buffer, algorithm: AlgorithmId, signature: Buffer, key: KeyObject): SignatureCheck {
  const known = SIGNATURE_ALGORITHMS[algorithm.oid];
  // MD2 is long gone from OpenSSL: nothing can check it.
  if (!known || known.hash === 'md2') return 'unsupported';
  const keyType = key.asymmetricKeyType ?? '';
  if (!KEY_TYPES[known.scheme].includes(keyType)) return 'invalid';
  try {
    switch (known.scheme) {
      case 'ed25519':
      case 'ed448':
        return verify(null, data, key, signature) ? 'valid' : 'invalid';
      case 'pss': {
        const hash = HASH_NAMES[pssHashOid(algorithm.params)];
        if (!hash) return 'unsupported';
        // Any salt length: the signer chose it, and a wrong one fails the check anyway.
        const ok = verify(
          hash,
          data,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
          signature,
        );
        return ok ? 'valid' : 'invalid';
      }
      default:
        return verify(known.hash, data, key, signature) ? 'valid' : 'invalid';
    }
  } catch {
    // Malformed signature encodings (an ECDSA value that is not DER, a wrong RSA length) land here.
    return 'invalid';
  }
}
