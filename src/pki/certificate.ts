// Facts about one certificate. Pure: the same DER and clock always give the same facts.

import { URL } from 'node:url';
import { HASH_NAMES, SIGNATURE_ALGORITHMS } from './algorithms.js';
import { pssHashOid } from './fields.js';
import { commonName, formatName, keyUsageNames, ParsedCert } from './parsed.js';
import type { CertificateFacts, KeyType } from './types.js';

const DAY_MS = 86_400_000;

const EKU_NAMES: Record<string, string> = {
  '2.5.29.37.0': 'anyExtendedKeyUsage',
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '1.3.6.1.4.1.311.10.3.12': 'documentSigning',
  '1.3.6.1.5.5.7.3.36': 'documentSigning',
  '1.2.840.113583.1.1.5': 'pdfAuthenticDocuments',
};

const CURVES: Record<string, { name: string; bits: number }> = {
  prime256v1: { name: 'P-256', bits: 256 },
  secp384r1: { name: 'P-384', bits: 384 },
  secp521r1: { name: 'P-521', bits: 521 },
  secp224r1: { name: 'P-224', bits: 224 },
  prime192v1: { name: 'P-192', bits: 192 },
};

/** Facts about one DER certificate as seen at `now`. Throws when the bytes are not a certificate. */
export function certificateFacts(der: Buffer, now: Date): CertificateFacts {
  return factsOf(ParsedCert.fromDer(der), now);
}

type StaticFacts = Omit<CertificateFacts, 'daysToExpiry' | 'expired' | 'notYetValid'>;

// Everything but the clock-dependent fields is a function of the DER, and ParsedCert instances are
// shared across endpoints, so an intermediate seen on a thousand endpoints is described once.
const staticFacts = new WeakMap<ParsedCert, StaticFacts>();

export function factsOf(cert: ParsedCert, now: Date): CertificateFacts {
  let base = staticFacts.get(cert);
  if (!base) {
    base = describe(cert);
    staticFacts.set(cert, base);
  }
  const t = now.getTime();
  const notBefore = cert.notBefore.getTime();
  const notAfter = cert.notAfter.getTime();
  // A copy: facts travel on to evaluators and reporters, which must not be able to alter the cache.
  return {
    ...structuredClone(base),
    // Whole days, rounded toward zero: 19.9 days left is 19, and 2.01 days past expiry is -2, not -3.
    daysToExpiry: Math.trunc((notAfter - t) / DAY_MS),
    expired: t > notAfter,
    notYetValid: t < notBefore,
  };
}

function describe(cert: ParsedCert): StaticFacts {
  const f = cert.fields;
  return {
    subject: formatName(f.subject),
    subjectCN: commonName(f.subject),
    issuer: formatName(f.issuer),
    issuerCN: commonName(f.issuer),
    serial: f.serial,
    sans: { dns: [...f.san.dns], ip: f.san.ip.map(canonicalIp).filter((ip): ip is string => ip !== null) },
    notBefore: f.notBefore.toISOString(),
    notAfter: f.notAfter.toISOString(),
    lifetimeDays: Math.floor((f.notAfter.getTime() - f.notBefore.getTime()) / DAY_MS),
    key: keyInfo(cert),
    signatureAlgorithm: signatureAlgorithm(f.signatureAlgorithm.oid, f.signatureAlgorithm.params),
    keyUsage: keyUsageNames(f.keyUsage),
    extendedKeyUsage: (f.extKeyUsage ?? []).map((oid) => EKU_NAMES[oid] ?? oid),
    isCA: f.basicConstraints?.cA === true,
    selfSigned: cert.selfIssued && cert.signedBy(cert),
    sha256: cert.sha256,
    aia: { ocsp: [...f.aia.ocsp], caIssuers: [...f.aia.caIssuers] },
  };
}

/** IP text in the form WHATWG URL serialises it, so SANs and host names compare as strings. */
export function canonicalIp(bytes: Uint8Array): string | null {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16) return null;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.replace(/^\[|\]$/g, '');
}

function keyInfo(cert: ParsedCert): CertificateFacts['key'] {
  const key = cert.publicKey;
  const details = key?.asymmetricKeyDetails;
  switch (key?.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
    case 'dsa':
      return { type: key.asymmetricKeyType, bits: details?.modulusLength ?? 0, curve: null };
    case 'ec': {
      const raw = details?.namedCurve ?? null;
      const known = raw ? CURVES[raw] : undefined;
      const digits = raw ? /(\d{3})/.exec(raw)?.[1] : undefined;
      return { type: 'ec', bits: known?.bits ?? (digits ? Number(digits) : 0), curve: known?.name ?? raw };
    }
    case 'ed25519':
      return { type: 'ed25519', bits: 256, curve: null };
    case 'ed448':
      return { type: 'ed448', bits: 448, curve: null };
    default:
      // The size of the raw public key is the best we can say for algorithms OpenSSL does not load.
      return { type: 'unknown' satisfies KeyType, bits: cert.fields.publicKeyBits, curve: null };
  }
}

/** Named curves by OID, as keyInfo names them. */
const CURVE_OIDS: Record<string, { name: string; bits: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', bits: 256 },
  '1.3.132.0.34': { name: 'P-384', bits: 384 },
  '1.3.132.0.35': { name: 'P-521', bits: 521 },
  '1.3.132.0.33': { name: 'P-224', bits: 224 },
  '1.2.840.10045.3.1.1': { name: 'P-192', bits: 192 },
};

/**
 * keyInfo from our own DER reading alone, without asking OpenSSL to decode the key (which costs
 * more than validating the chain): verifyCertificate describes every certificate of every path.
 */
export function keyOfFields(f: ParsedCert['fields']): CertificateFacts['key'] {
  switch (f.publicKeyAlgorithm) {
    case '1.2.840.113549.1.1.1':
      return { type: 'rsa', bits: f.rsaModulusBits ?? 0, curve: null };
    case '1.2.840.113549.1.1.10':
      return { type: 'rsa-pss', bits: f.rsaModulusBits ?? 0, curve: null };
    case '1.2.840.10045.2.1': {
      const known = f.publicKeyCurve ? CURVE_OIDS[f.publicKeyCurve] : undefined;
      return { type: 'ec', bits: known?.bits ?? 0, curve: known?.name ?? f.publicKeyCurve };
    }
    case '1.3.101.112':
      return { type: 'ed25519', bits: 256, curve: null };
    case '1.3.101.113':
      return { type: 'ed448', bits: 448, curve: null };
    case '1.2.840.10040.4.1':
      return { type: 'dsa', bits: f.publicKeyBits, curve: null };
    default:
      return { type: 'unknown', bits: f.publicKeyBits, curve: null };
  }
}

function signatureAlgorithm(oid: string, params: Buffer | null): CertificateFacts['signatureAlgorithm'] {
  const known = SIGNATURE_ALGORITHMS[oid];
  if (!known) return { oid, name: oid, hash: null };
  if (known.scheme !== 'pss') return { oid, name: known.name, hash: known.hash };
  let hash: string | null;
  try {
    const hashOid = pssHashOid(params);
    hash = HASH_NAMES[hashOid] ?? hashOid;
  } catch {
    hash = null;
  }
  return { oid, name: known.name, hash };
}
