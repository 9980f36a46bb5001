// Signature and hash algorithm identifiers (RFC 3279, 4055, 5758, 8410 and friends): one table for
// naming a certificate's signature algorithm and for checking signatures over other data (OCSP).

/** How a signature of this algorithm is checked; the hash of RSASSA-PSS is in its parameters. */
export type SignatureScheme = 'pkcs1' | 'ecdsa' | 'dsa' | 'pss' | 'ed25519' | 'ed448';

export interface SignatureAlgorithm {
  name: string;
  /** node:crypto's name of the digest; for RSASSA-PSS the default (SHA-1) until its parameters say otherwise. */
  hash: string | null;
  scheme: SignatureScheme;
}

export const SIGNATURE_ALGORITHMS: Readonly<Record<string, SignatureAlgorithm>> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: 'md2', scheme: 'pkcs1' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'md5', scheme: 'pkcs1' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'sha1', scheme: 'pkcs1' },
  '1.3.14.3.2.29': { name: 'sha1WithRSA', hash: 'sha1', scheme: 'pkcs1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'sha224', scheme: 'pkcs1' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'sha256', scheme: 'pkcs1' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'sha384', scheme: 'pkcs1' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'sha512', scheme: 'pkcs1' },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', hash: 'sha1', scheme: 'pss' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'sha1', scheme: 'ecdsa' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'sha224', scheme: 'ecdsa' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'sha256', scheme: 'ecdsa' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'sha384', scheme: 'ecdsa' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'sha512', scheme: 'ecdsa' },
  '1.2.840.10040.4.3': { name: 'dsa-with-sha1', hash: 'sha1', scheme: 'dsa' },
  '2.16.840.1.101.3.4.3.1': { name: 'dsa-with-sha224', hash: 'sha224', scheme: 'dsa' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa-with-sha256', hash: 'sha256', scheme: 'dsa' },
  '1.3.101.112': { name: 'Ed25519', hash: null, scheme: 'ed25519' },
  '1.3.101.113': { name: 'Ed448', hash: null, scheme: 'ed448' },
};

/** Hash algorithm OIDs (RFC 5754) by the names node:crypto knows them by. */
export const HASH_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
