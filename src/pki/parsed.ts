// One certificate as both node:crypto (keys, signature checks) and our DER reader (fields Node 20
// does not expose) see it. Path building touches many candidates but needs few views of each, so
// every derived value is computed on first use and kept.

import { createHash, createPublicKey, X509Certificate, type JsonWebKey, type KeyObject } from 'node:crypto';
import { bitString, children, contents, expectUniversal, readTlv, TAG } from './der.js';
import { parseCertificateFields, type CertificateFields, type Name } from './fields.js';
import { nameKey } from './names.js';
import { verifySignature } from './signature.js';

const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
};

const CN_OID = '2.5.4.3';

function escape4514(value: string): string {
  let out = value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (/^[ #]/.test(out)) out = `\\${out}`;
  if (/ $/.test(out)) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** RFC 4514 string: most specific RDN first, multi-valued RDNs joined with `+`. */
export function formatName(name: Name): string {
  return name
    .map((rdn) =>
      rdn
        .map((a) => `${ATTRIBUTE_NAMES[a.type] ?? a.type}=${a.value === null ? `#${a.der.toString('hex')}` : escape4514(a.value)}`)
        .join('+'),
    )
    .reverse()
    .join(',');
}

/** The most specific (last encoded) common name, the one name matching falls back to. */
export function commonName(name: Name): string | null {
  let cn: string | null = null;
  for (const rdn of name) for (const a of rdn) if (a.type === CN_OID && a.value !== null) cn = a.value;
  return cn;
}

const CACHE_SIZE = 512;
const cache = new Map<string, ParsedCert>();

export class ParsedCert {
  private _x509?: X509Certificate;
  private _fields?: CertificateFields;
  private _sha256?: string;
  private _subjectKey?: string;
  private _issuerKey?: string;
  private _publicKey?: KeyObject | null;
  private _signedBy?: Map<string, boolean>;
  private _subjectText?: string;

  private constructor(
    readonly der: Buffer,
    x509?: X509Certificate,
  ) {
    this._x509 = x509;
  }

  /**
   * Throws when the bytes are not a certificate our reader accepts. Parsed certificates are shared
   * through a small LRU cache: intermediates recur across most endpoints. OpenSSL's own parse
   * (`x509`) is made only when asked for: it costs more than everything validation needs.
   */
  static fromDer(der: Buffer, x509?: X509Certificate): ParsedCert {
    const sha256 = createHash('sha256').update(der).digest('hex');
    const hit = cache.get(sha256);
    if (hit) {
      cache.delete(sha256);
      cache.set(sha256, hit);
      return hit;
    }
    const parsed = new ParsedCert(der, x509);
    parsed._sha256 = sha256;
    void parsed.fields;
    cache.set(sha256, parsed);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    return parsed;
  }

  /** For anchors: fields are read lazily, as most anchors are never looked at beyond their name. */
  static fromX509(cert: X509Certificate): ParsedCert {
    return new ParsedCert(cert.raw, cert);
  }

  get x509(): X509Certificate {
    this._x509 ??= new X509Certificate(this.der);
    return this._x509;
  }

  get fields(): CertificateFields {
    this._fields ??= parseCertificateFields(this.der);
    return this._fields;
  }

  get sha256(): string {
    this._sha256 ??= createHash('sha256').update(this.der).digest('hex');
    return this._sha256;
  }

  get subjectKey(): string {
    this._subjectKey ??= nameKey(this.fields.subject);
    return this._subjectKey;
  }

  get issuerKey(): string {
    this._issuerKey ??= nameKey(this.fields.issuer);
    return this._issuerKey;
  }

  /** The subject as RFC 4514 text (computed once: anchors are named in every result). */
  get subjectText(): string {
    this._subjectText ??= formatName(this.fields.subject);
    return this._subjectText;
  }

  get selfIssued(): boolean {
    return this.subjectKey === this.issuerKey;
  }

  get notBefore(): Date {
    return this.fields.notBefore;
  }

  get notAfter(): Date {
    return this.fields.notAfter;
  }

  /** Null when OpenSSL cannot load the key (e.g. an algorithm Node does not know). */
  get publicKey(): KeyObject | null {
    if (this._publicKey === undefined) {
      try {
        if (this._x509) {
          // Already decoded by OpenSSL (a peer certificate from the TLS socket, an anchor).
          this._publicKey = this._x509.publicKey;
        } else {
          // OpenSSL 3 reads a JWK several times faster than the same key as DER (no decoder chain).
          const jwk = spkiJwk(this.fields);
          this._publicKey = jwk
            ? createPublicKey({ key: jwk, format: 'jwk' })
            : createPublicKey({ key: this.fields.spkiDer, format: 'der', type: 'spki' });
        }
      } catch {
        this._publicKey = null;
      }
    }
    return this._publicKey;
  }

  /**
   * Whether `issuer`'s key verifies this certificate's signature under the algorithm the certificate
   * names (a key of another type than the algorithm's never does).
   */
  signedBy(issuer: ParsedCert): boolean {
    // Remembered per issuer: an intermediate is checked against the same root on every endpoint.
    this._signedBy ??= new Map();
    let ok = this._signedBy.get(issuer.sha256);
    if (ok === undefined) {
      const key = issuer.publicKey;
      const f = this.fields;
      ok = key !== null && verifySignature(f.tbsDer, f.signatureAlgorithm, f.signatureValue, key) === 'valid';
      this._signedBy.set(issuer.sha256, ok);
    }
    return ok;
  }

  /**
   * Whether `candidate` claims to be this certificate's issuer: names match and, when both carry
   * them, the authority and subject key identifiers agree. A claimed issuer whose signature fails is
   * a bad signature; a name-only match with other key ids is just a different CA of the same name.
   */
  claimsIssuer(candidate: ParsedCert): boolean {
    if (candidate.subjectKey !== this.issuerKey) return false;
    const akid = this.fields.authorityKeyId;
    const skid = candidate.fields.subjectKeyId;
    return !akid || !skid || akid === skid;
  }
}

const CURVE_NAMES: Record<string, { crv: string; size: number }> = {
  '1.2.840.10045.3.1.7': { crv: 'P-256', size: 32 },
  '1.3.132.0.34': { crv: 'P-384', size: 48 },
  '1.3.132.0.35': { crv: 'P-521', size: 66 },
};

/** The key as a JWK for the common key types; null for anything else (read as DER instead). */
function spkiJwk(f: CertificateFields): JsonWebKey | null {
  const spki = f.spkiDer;
  const top = readTlv(spki, 0);
  const [, bits] = children(spki, top);
  const key = bitString(spki, expectUniversal(bits, TAG.BIT_STRING, 'subjectPublicKey'));
  const b64 = (b: Buffer): string => b.toString('base64url');
  switch (f.publicKeyAlgorithm) {
    case '1.2.840.113549.1.1.1': {
      const [n, e] = children(key, expectUniversal(readTlv(key, 0), TAG.SEQUENCE, 'RSAPublicKey'));
      const strip = (b: Buffer): Buffer => (b.length > 1 && b[0] === 0 ? b.subarray(1) : b);
      return {
        kty: 'RSA',
        n: b64(strip(contents(key, expectUniversal(n, TAG.INTEGER, 'modulus')))),
        e: b64(strip(contents(key, expectUniversal(e, TAG.INTEGER, 'exponent')))),
      };
    }
    case '1.2.840.10045.2.1': {
      const curve = f.publicKeyCurve ? CURVE_NAMES[f.publicKeyCurve] : undefined;
      // Uncompressed points only; a compressed one is left to OpenSSL's DER reader.
      if (!curve || key.length !== 1 + 2 * curve.size || key[0] !== 4) return null;
      return { kty: 'EC', crv: curve.crv, x: b64(key.subarray(1, 1 + curve.size)), y: b64(key.subarray(1 + curve.size)) };
    }
    case '1.3.101.112':
      return { kty: 'OKP', crv: 'Ed25519', x: b64(key) };
    case '1.3.101.113':
      return { kty: 'OKP', crv: 'Ed448', x: b64(key) };
    default:
      return null;
  }
}

/** Key usage bit names in RFC 5280 §4.2.1.3 bit order. */
const KEY_USAGE_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

export function keyUsageNames(bits: Buffer | null): string[] {
  if (!bits) return [];
  return KEY_USAGE_NAMES.filter((_, i) => ((bits[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0);
}
