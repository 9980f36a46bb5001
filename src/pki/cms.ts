// Detached CMS SignedData (RFC 5652) verification for evidence documents (Directive 02/CT-TTg §1.k:
// documents carry government digital signatures). Reports what was found — signer, signing time,
// whether the signature covers these exact bytes, whether the signer chains to the given anchors at
// signing time — and leaves judging to policy. Read with our DER reader (signed-data.ts) and checked
// with node:crypto over the bytes in the file (pkijs only signs: cms-sign.ts).

import { createHash } from 'node:crypto';
import type { AnchorSet } from '../core/types.js';
import { HASH_NAMES, SIGNATURE_ALGORITHMS } from './algorithms.js';
import { DerError, oid, readTlv, TAG, time, type Tlv } from './der.js';
import type { AlgorithmId } from './ocsp.js';
import { commonName, formatName, ParsedCert } from './parsed.js';
import { validatePath } from './path.js';
import { verifySignature } from './signature.js';
import {
  certificateId,
  OID_CONTENT_TYPE,
  OID_DATA,
  OID_MESSAGE_DIGEST,
  OID_SIGNING_TIME,
  parseSignedData,
  universal,
  type SignedAttribute,
  type SignedDataParts,
  type SignerInfoParts,
} from './signed-data.js';
import type { TrustFacts } from './types.js';

export interface CmsSignatureFacts {
  /**
   * A signature was offered (a .p7s, or a PDF signature dictionary), readable or not; false only for
   * a SignedData without any signer (a certificate bundle, not a signature).
   */
  signed: boolean;
  /** The signature verifies over exactly these bytes (digest and signature both match). */
  intact: boolean;
  signer: string | null;
  signerCN: string | null;
  /** Signing time from the signed attributes, ISO-8601; null when the signer left it out. */
  signingTime: string | null;
  /**
   * The signer's chain checked against the custom anchors, on the certificate bytes in the
   * signature, at signing time when the signature verified (else now); null without anchors.
   */
  chain: TrustFacts | null;
  /** Why the signature is not intact (or why verification stopped), in English; null when intact. */
  reason: string | null;
  /**
   * Set when verification could not be carried out — an algorithm or key type this build cannot
   * check, or an unexpected error — so `intact` says nothing: the signature is not tested.
   */
  error: string | null;
}

const BLANK: CmsSignatureFacts = {
  signed: true,
  intact: false,
  signer: null,
  signerCN: null,
  signingTime: null,
  chain: null,
  reason: null,
  error: null,
};

/**
 * Verify a detached signature (`der`, a ContentInfo) over `content`. Never throws: a signature that
 * is not what RFC 5652 describes is not intact, and what cannot be checked is reported as `error`.
 * `trailingZeros`: the DER may be followed by zero padding (a PDF /Contents string).
 */
export async function verifyDetachedCms(
  der: Uint8Array,
  content: Uint8Array,
  anchors: AnchorSet | null,
  now: Date,
  opts: { trailingZeros?: boolean } = {},
): Promise<CmsSignatureFacts> {
  try {
    return verify(asBuffer(der), asBuffer(content), anchors, now, opts.trailingZeros ? 'zeros' : 'none');
  } catch (err) {
    const error = `verification stopped on an unexpected error: ${err instanceof Error ? err.message : String(err)}`;
    return { ...BLANK, reason: error, error };
  }
}

function verify(der: Buffer, content: Buffer, anchors: AnchorSet | null, now: Date, trailing: 'none' | 'zeros'): CmsSignatureFacts {
  let parts: SignedDataParts;
  try {
    parts = parseSignedData(der, trailing);
  } catch (err) {
    if (!(err instanceof DerError)) throw err;
    return { ...BLANK, reason: `the signature is not a readable CMS SignedData: ${err.message}` };
  }
  const info = parts.signers[0];
  if (!info) return { ...BLANK, signed: false, reason: 'the CMS SignedData has no signer (a certificate bundle, not a signature)' };

  const signerDer = parts.certificates.find((c) => names(info, c)) ?? null;
  let signer: ParsedCert | null = null;
  try {
    signer = signerDer ? ParsedCert.fromDer(signerDer) : null;
  } catch {
    // Reported below as a signature that cannot be verified.
  }
  const signingTime = signingTimeOf(info.attributes);
  const integrity = checkIntegrity(parts, info, content, signerDer, signer);
  const facts: CmsSignatureFacts = {
    ...BLANK,
    intact: integrity.intact,
    signer: signer ? formatName(signer.fields.subject) : null,
    signerCN: signer ? commonName(signer.fields.subject) : null,
    signingTime: signingTime?.toISOString() ?? null,
    reason: integrity.reason,
    error: integrity.error,
  };
  if (anchors) {
    // The signing time is the signer's claim: believed only when the signature holds.
    const at = integrity.intact && signingTime ? signingTime : now;
    const others = parts.certificates.filter((c) => c !== signerDer);
    facts.chain = validatePath(signer && signerDer ? [signerDer, ...others] : [], anchors, at);
  }
  return facts;
}

interface Integrity {
  intact: boolean;
  reason: string | null;
  error: string | null;
}

const broken = (reason: string): Integrity => ({ intact: false, reason, error: null });
const unchecked = (error: string): Integrity => ({ intact: false, reason: error, error });

/** RFC 5652 §5.4–5.6 on the bytes as they are. */
function checkIntegrity(
  parts: SignedDataParts,
  info: SignerInfoParts,
  content: Buffer,
  signerDer: Buffer | null,
  signer: ParsedCert | null,
): Integrity {
  if (!signerDer) return broken('the signer certificate is not included in the signature');
  if (!signer) return broken('the signer certificate in the signature cannot be read');
  if (parts.eContent && !parts.eContent.equals(content)) return broken('the signature carries its own content, which is not this document');
  const hash = HASH_NAMES[info.digestAlgorithm.oid];
  if (!hash) return unchecked(`digest algorithm ${info.digestAlgorithm.oid} is not supported`);
  if (info.digestAlgorithm.params) return broken('the digest algorithm has parameters a hash function does not take');
  const digest = createHash(hash).update(content).digest();

  let signed: Buffer;
  if (info.signedAttrs) {
    const contentType = single(info.attributes, OID_CONTENT_TYPE);
    const messageDigest = single(info.attributes, OID_MESSAGE_DIGEST);
    if (!contentType || readOid(contentType) !== parts.eContentType)
      return broken('the signed content-type attribute is missing, repeated or does not name the content');
    if (!messageDigest) return broken('the signed message-digest attribute is missing or repeated');
    if (!digestValue(messageDigest).equals(digest))
      return broken("the document's digest is not the signed one: the document changed after signing");
    if (single(info.attributes, OID_SIGNING_TIME) === undefined)
      return broken('the signing-time attribute appears more than once or with several values');
    signed = info.signedAttrs;
  } else {
    // Without signed attributes only id-data may be signed, and the signature covers the content itself.
    if (parts.eContentType !== OID_DATA) return broken(`content of type ${parts.eContentType} is signed without signed attributes`);
    signed = content;
  }

  const algorithm = signatureAlgorithm(info.signatureAlgorithm, info.digestAlgorithm.oid);
  if (!algorithm) return unchecked(`signature algorithm ${info.signatureAlgorithm.oid} is not supported`);
  const key = signer.publicKey;
  if (!key) return unchecked(`the signer's public key (${signer.fields.publicKeyAlgorithm}) cannot be loaded`);
  switch (verifySignature(signed, algorithm, info.signature, key)) {
    case 'valid':
      return { intact: true, reason: null, error: null };
    case 'invalid':
      return broken("the signature value does not verify with the signer certificate's key");
    case 'unsupported':
      return unchecked(`signature algorithm ${info.signatureAlgorithm.oid} is not supported`);
  }
}

/**
 * The one value of the one attribute of `type`; null when absent; undefined when repeated or
 * multi-valued (RFC 5652 §11: content-type, message-digest and signing-time occur at most once, with
 * one value).
 */
function single(attributes: readonly SignedAttribute[], type: string): Buffer | null | undefined {
  const found = attributes.filter((a) => a.type === type);
  if (!found.length) return null;
  const [only] = found;
  return found.length === 1 && only?.values.length === 1 ? only.values[0] : undefined;
}

/** An attribute value that is exactly one DER element of one of `tags`; null otherwise. */
function element(value: Buffer, ...tags: number[]): Tlv | null {
  try {
    const t = readTlv(value, 0);
    return t.end === value.length && tags.some((tag) => t.tag === tag) ? universal(t, t.tag, 'attribute value') : null;
  } catch {
    return null;
  }
}

function readOid(value: Buffer): string | null {
  const t = element(value, TAG.OID);
  return t ? oid(value, t) : null;
}

/** The OCTET STRING of a message-digest value; empty (matching nothing) when it is not one. */
function digestValue(value: Buffer): Buffer {
  const t = element(value, TAG.OCTET_STRING);
  return t ? value.subarray(t.body, t.end) : Buffer.alloc(0);
}

function signingTimeOf(attributes: readonly SignedAttribute[]): Date | null {
  const value = single(attributes, OID_SIGNING_TIME);
  const t = value ? element(value, TAG.UTC_TIME, TAG.GENERALIZED_TIME) : null;
  if (!value || !t) return null;
  try {
    return time(value, t);
  } catch {
    return null; // a signer's unreadable time leaves the chain judged now
  }
}

/** Whether `cert` (bytes as in the signature) is the certificate the SignerInfo names. */
function names(info: SignerInfoParts, cert: Buffer): boolean {
  try {
    if ('keyId' in info.sid) return ParsedCert.fromDer(cert).fields.subjectKeyId === info.sid.keyId.toString('hex');
    const id = certificateId(cert);
    return id.issuer.equals(info.sid.issuer) && id.serial.equals(info.sid.serial);
  } catch {
    return false; // an unreadable certificate names nobody
  }
}

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
/** CMS signers may name only the key type (RFC 3370 §3.2, RFC 5753 §2.1.1); the hash is the digest algorithm. */
const BY_KEY_AND_HASH: Record<string, Record<string, string>> = {
  [RSA_ENCRYPTION]: {
    sha1: '1.2.840.113549.1.1.5',
    sha224: '1.2.840.113549.1.1.14',
    sha256: '1.2.840.113549.1.1.11',
    sha384: '1.2.840.113549.1.1.12',
    sha512: '1.2.840.113549.1.1.13',
  },
  [EC_PUBLIC_KEY]: {
    sha1: '1.2.840.10045.4.1',
    sha224: '1.2.840.10045.4.3.1',
    sha256: '1.2.840.10045.4.3.2',
    sha384: '1.2.840.10045.4.3.3',
    sha512: '1.2.840.10045.4.3.4',
  },
};

function signatureAlgorithm(named: AlgorithmId, digestOid: string): AlgorithmId | null {
  if (SIGNATURE_ALGORITHMS[named.oid]) return named;
  const hash = HASH_NAMES[digestOid];
  const combined = hash ? BY_KEY_AND_HASH[named.oid]?.[hash] : undefined;
  return combined ? { oid: combined, params: null } : null;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
