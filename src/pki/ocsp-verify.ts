// Whether an OCSP response can be believed about one certificate (RFC 6960 §3.2, §4.2.2.2), as
// sslyze and OpenSSL's OCSP_basic_verify decide: its CertID names the certificate and its issuer,
// it is signed by that issuer or by a responder the issuer delegated to (a certificate the issuer
// signed, carrying id-kp-OCSPSigning), and it is current. Reports what it found; judging is policy's.

import { createHash } from 'node:crypto';
import type { AnchorSet } from '../core/types.js';
import { bitString, children, expectUniversal, readTlv, TAG, TagClass, type Tlv } from './der.js';
import type { OcspSingleStatus, ParsedOcspResponse } from './ocsp.js';
import { formatName, ParsedCert } from './parsed.js';
import { HASH_NAMES } from './algorithms.js';
import { verifySignature } from './signature.js';
import type { TrustFacts } from './types.js';

type OcspSignatureVerdict = 'valid' | 'invalid' | 'unknown-issuer' | 'not-checked';

export interface OcspVerification {
  /**
   * valid: signed by the issuer or an authorised delegated responder; invalid: the signature fails,
   * or the signer is neither; unknown-issuer: the leaf's issuer certificate is not at hand, so there
   * is nothing to check against; not-checked: nothing signed (an unsuccessful response) or an
   * algorithm or key node:crypto cannot use.
   */
  signature: OcspSignatureVerdict;
  /** Who the response says signed it, when that is the issuer or a certificate it includes. */
  responder: 'issuer' | 'delegated' | null;
  /** The SingleResponse about the leaf; failing that, one with the leaf's serial; else null. */
  single: OcspSingleStatus | null;
  /** A SingleResponse's CertID has the leaf's serial and its issuer's name hash and (issuer known) key hash. */
  matchesLeaf: boolean;
  /** That SingleResponse's thisUpdate is not in the future and its nextUpdate, if any, has not passed. */
  fresh: boolean;
  /** The first reason not to rely on the response, in English; null when there is none. */
  problem: string | null;
}

/** Clocks of responders, servers and scanners disagree by a little; OpenSSL's own default is 5 min. */
export const OCSP_CLOCK_SKEW_MS = 5 * 60_000;

const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';

/** The DER slices RFC 6960 hashes, which the certificate fields do not keep. */
interface RawParts {
  issuer: Buffer;
  subject: Buffer;
  /** subjectPublicKey BIT STRING contents without the unused-bits octet. */
  publicKey: Buffer;
}

const rawCache = new WeakMap<ParsedCert, RawParts>();

function rawParts(cert: ParsedCert): RawParts {
  const cached = rawCache.get(cert);
  if (cached) return cached;
  const der = cert.der;
  const tbs = children(der, expectUniversal(readTlv(der, 0), TAG.SEQUENCE, 'Certificate'))[0];
  const parts = children(der, expectUniversal(tbs, TAG.SEQUENCE, 'TBSCertificate'));
  // version [0]? serialNumber signature issuer validity subject subjectPublicKeyInfo
  const i = parts[0]?.cls === TagClass.Context ? 3 : 2;
  const slice = (t: Tlv | undefined, what: string): Buffer => {
    const tlv = expectUniversal(t, TAG.SEQUENCE, what);
    return der.subarray(tlv.start, tlv.end);
  };
  const spki = children(der, expectUniversal(parts[i + 3], TAG.SEQUENCE, 'subjectPublicKeyInfo'));
  const raw = {
    issuer: slice(parts[i], 'issuer'),
    subject: slice(parts[i + 2], 'subject'),
    publicKey: bitString(der, expectUniversal(spki[1], TAG.BIT_STRING, 'subjectPublicKey')),
  };
  rawCache.set(cert, raw);
  return raw;
}

function digest(hashOid: string, data: Buffer): Buffer | null {
  const name = HASH_NAMES[hashOid];
  return name ? createHash(name).update(data).digest() : null;
}

/**
 * The certificate that issued `leaf`: the second certificate of the first validated path that has
 * one (looked up among the sent certificates, then that path's anchors), or the leaf itself when it
 * signed itself. Null when no path got past the leaf (its issuer was neither sent nor an anchor).
 */
export function leafIssuer(
  leaf: ParsedCert,
  sent: readonly ParsedCert[],
  paths: readonly { trust: TrustFacts; anchors: AnchorSet }[],
): ParsedCert | null {
  for (const { trust, anchors } of paths) {
    const sha = trust.path[1];
    if (!sha) continue;
    const fromSent = sent.find((c) => c.sha256 === sha);
    if (fromSent) return fromSent;
    // Only when a root issued the leaf directly and was not sent: rare enough to scan for.
    const anchor = anchors.certificates.find((a) => a.fingerprint256.replace(/:/g, '').toLowerCase() === sha);
    if (anchor) return ParsedCert.fromX509(anchor);
  }
  return leaf.selfIssued && leaf.signedBy(leaf) ? leaf : null;
}

/** Check `response` (a parsed staple) against `leaf` and its `issuer` (null when unknown) at `now`. */
export function verifyOcspResponse(response: ParsedOcspResponse, leaf: ParsedCert, issuer: ParsedCert | null, now: Date): OcspVerification {
  const signed = response.signed;
  if (response.responseStatus !== 'successful' || !signed) {
    const problem = `the responder answered ${response.responseStatus}, which carries no certificate status`;
    return { signature: 'not-checked', responder: null, single: null, matchesLeaf: false, fresh: false, problem };
  }

  const { single, matchesLeaf } = findSingle(response.responses, leaf, issuer);
  const fresh = single !== null && isFresh(single, now);
  const sig = checkSignature(signed, issuer, now);
  const problem =
    sig.problem ??
    (matchesLeaf ? null : mismatchProblem(response.responses, single, leaf)) ??
    (fresh || !single ? null : staleProblem(single, now));
  return { signature: sig.verdict, responder: sig.responder, single, matchesLeaf, fresh, problem };
}

function findSingle(
  responses: OcspSingleStatus[],
  leaf: ParsedCert,
  issuer: ParsedCert | null,
): { single: OcspSingleStatus | null; matchesLeaf: boolean } {
  const serial = leaf.fields.serial;
  const leafRaw = rawParts(leaf);
  const issuerKey = issuer ? rawParts(issuer).publicKey : null;
  const bySerial = responses.filter((r) => r.serial === serial);
  const named = bySerial.find((r) => {
    const { hashAlgorithm, issuerNameHash, issuerKeyHash } = r.certId;
    const nameHash = digest(hashAlgorithm, leafRaw.issuer);
    if (!nameHash?.equals(issuerNameHash)) return false;
    // Without the issuer certificate its key hash cannot be checked; the name and serial still can.
    return issuerKey === null || digest(hashAlgorithm, issuerKey)?.equals(issuerKeyHash) === true;
  });
  return { single: named ?? bySerial[0] ?? null, matchesLeaf: named !== undefined };
}

function isFresh(single: OcspSingleStatus, now: Date): boolean {
  const t = now.getTime();
  if (Date.parse(single.thisUpdate) > t + OCSP_CLOCK_SKEW_MS) return false;
  // No nextUpdate: "newer revocation information is available all the time" (RFC 6960 §2.4).
  return single.nextUpdate === null || Date.parse(single.nextUpdate) + OCSP_CLOCK_SKEW_MS >= t;
}

function staleProblem(single: OcspSingleStatus, now: Date): string {
  if (Date.parse(single.thisUpdate) > now.getTime() + OCSP_CLOCK_SKEW_MS)
    return `the response's thisUpdate ${single.thisUpdate} is in the future`;
  return `the response is stale: its nextUpdate ${single.nextUpdate ?? ''} has passed`;
}

function mismatchProblem(responses: OcspSingleStatus[], single: OcspSingleStatus | null, leaf: ParsedCert): string {
  const serial = leaf.fields.serial;
  if (single) return `the response is about serial ${serial} of another issuer, not this certificate's`;
  const others = responses.map((r) => r.serial).join(', ') || 'no certificate';
  return `the response is about ${others}, not this certificate (serial ${serial})`;
}

interface SignatureResult {
  verdict: OcspSignatureVerdict;
  responder: 'issuer' | 'delegated' | null;
  problem: string | null;
}

function checkSignature(signed: NonNullable<ParsedOcspResponse['signed']>, issuer: ParsedCert | null, now: Date): SignatureResult {
  if (!issuer) {
    return {
      verdict: 'unknown-issuer',
      responder: null,
      problem: "the certificate's issuer was neither sent nor an anchor, so the signature cannot be checked",
    };
  }
  const id = signed.responderId;
  const names = (cert: ParsedCert): boolean => {
    const raw = rawParts(cert);
    // By name: the DER is compared; responders copy it from their own certificate.
    return 'byName' in id ? id.byName.equals(raw.subject) : createHash('sha1').update(raw.publicKey).digest().equals(id.byKey);
  };

  let signer: ParsedCert;
  let responder: 'issuer' | 'delegated';
  if (names(issuer)) {
    signer = issuer;
    responder = 'issuer';
  } else {
    const included = signed.certs.flatMap((der) => {
      try {
        return [ParsedCert.fromDer(der)];
      } catch {
        return []; // an unreadable extra certificate cannot be the signer
      }
    });
    const delegate = included.find(names);
    if (!delegate) {
      const by = 'byName' in id ? 'name' : 'key hash';
      return {
        verdict: 'invalid',
        responder: null,
        problem: `signed by an unknown responder: its responder ID (by ${by}) names neither the certificate's issuer nor a certificate included in the response`,
      };
    }
    signer = delegate;
    responder = 'delegated';
  }

  const key = signer.publicKey;
  if (!key) return { verdict: 'not-checked', responder, problem: "the responder's public key cannot be loaded" };
  const check = verifySignature(signed.tbs, signed.signatureAlgorithm, signed.signature, key);
  if (check === 'unsupported')
    return { verdict: 'not-checked', responder, problem: `signature algorithm ${signed.signatureAlgorithm.oid} is not supported` };
  if (check === 'invalid')
    return {
      verdict: 'invalid',
      responder,
      problem: `the signature does not verify with the ${responder === 'issuer' ? "issuer's" : "delegated responder's"} key`,
    };
  if (responder === 'delegated') {
    const unauthorised = delegationProblem(signer, issuer, now);
    if (unauthorised) return { verdict: 'invalid', responder, problem: unauthorised };
  }
  return { verdict: 'valid', responder, problem: null };
}

/** RFC 6960 §4.2.2.2: a delegated responder's certificate is issued by the CA itself and marked for OCSP signing. */
function delegationProblem(delegate: ParsedCert, issuer: ParsedCert, now: Date): string | null {
  const who = `delegated responder "${formatName(delegate.fields.subject)}"`;
  if (!delegate.claimsIssuer(issuer) || !delegate.signedBy(issuer)) return `${who} is not certified by the certificate's issuer`;
  if (!(delegate.fields.extKeyUsage ?? []).includes(OCSP_SIGNING))
    return `${who} lacks the OCSPSigning extended key usage (id-kp-OCSPSigning)`;
  const t = now.getTime();
  if (t < delegate.notBefore.getTime() || t > delegate.notAfter.getTime())
    return `${who} is outside its validity period (${delegate.notBefore.toISOString()} to ${delegate.notAfter.toISOString()})`;
  return null;
}
