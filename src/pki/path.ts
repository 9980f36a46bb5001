// Certification path building and validation against one anchor set (RFC 5280 §6, the parts a
// compliance verdict needs): issuer by name and key id, signature, validity dates, CA-ness.
// It reports what is wrong with the best path it finds; judging whether that matters is policy's job.

import type { AnchorSet } from '../engine/types.js';
import { formatName, ParsedCert } from './parsed.js';
import { TRUST_FAILURES, type TrustFacts, type TrustFailure } from './types.js';

interface AnchorIndex {
  count: number;
  bySubject: Map<string, ParsedCert[]>;
  byFingerprint: Map<string, ParsedCert>;
}

// Anchor sets are built once per run and shared by every endpoint; indexing ~150 roots per endpoint
// would dominate the cost of validation.
const indexes = new WeakMap<AnchorSet, AnchorIndex>();

function anchorIndex(set: AnchorSet): AnchorIndex {
  const cached = indexes.get(set);
  if (cached && cached.count === set.certificates.length) return cached;
  const index: AnchorIndex = { count: set.certificates.length, bySubject: new Map(), byFingerprint: new Map() };
  for (const x509 of set.certificates) {
    const cert = ParsedCert.fromX509(x509);
    index.byFingerprint.set(cert.sha256, cert);
    let key: string;
    try {
      key = cert.subjectKey;
    } catch {
      continue; // unreadable: still matched by fingerprint when the server sends it
    }
    const list = index.bySubject.get(key);
    if (list) list.push(cert);
    else index.bySubject.set(key, [cert]);
  }
  indexes.set(set, index);
  return index;
}

/**
 * A hostile server controls the sent certificates; many same-named certificates without key ids
 * would otherwise cost a signature check per pair.
 */
const MAX_SIGNATURE_CHECKS = 256;

const PRIORITY = new Map<TrustFailure, number>(TRUST_FAILURES.map((f, i) => [f, i]));

/**
 * Build a path from the leaf (first of `chainDer`, the certificates as the server sent them, in any
 * order) to an anchor of `anchors`, then report every problem on it. Anchors are preferred over sent
 * certificates, so a sent root that is also an anchor ends the path at the anchor.
 */
export function validatePath(chainDer: readonly Buffer[], anchors: AnchorSet, now: Date): TrustFacts {
  const store = anchors.name;
  const sent = parseSent(chainDer);
  const leaf = sent[0];
  if (!leaf) return finish(store, [], null, new Set(['incomplete-chain']));

  const index = anchorIndex(anchors);
  const problems = new Set<TrustFailure>();
  const path: ParsedCert[] = [leaf];
  const onPath = new Set([leaf.sha256]);
  let anchor: ParsedCert | null = null;
  let checks = 0;
  const signed = (child: ParsedCert, issuer: ParsedCert): boolean => {
    if (++checks > MAX_SIGNATURE_CHECKS) return false;
    return child.signedBy(issuer);
  };

  let cur = leaf;
  for (;;) {
    const asAnchor = index.byFingerprint.get(cur.sha256);
    if (asAnchor) {
      anchor = asAnchor;
      break;
    }
    const claimedAnchors = (index.bySubject.get(cur.issuerKey) ?? []).filter((a) => cur.claimsIssuer(a));
    const viaAnchor = claimedAnchors.find((a) => signed(cur, a));
    if (viaAnchor) {
      path.push(viaAnchor);
      anchor = viaAnchor;
      break;
    }
    const claimedSent = sent.filter((s) => !onPath.has(s.sha256) && cur.claimsIssuer(s));
    const viaSent = claimedSent.find((s) => signed(cur, s));
    if (viaSent) {
      path.push(viaSent);
      onPath.add(viaSent.sha256);
      cur = viaSent;
      continue;
    }
    const exhausted = checks > MAX_SIGNATURE_CHECKS;
    problems.add(exhausted ? 'incomplete-chain' : deadEnd(cur, cur === leaf, claimedAnchors.length + claimedSent.length > 0));
    break;
  }

  if (index.count === 0) {
    // Without anchors "unknown root" or "incomplete" says nothing about the server.
    for (const p of ['incomplete-chain', 'unknown-root', 'self-signed'] as const) problems.delete(p);
    problems.add('no-anchors');
  }
  for (const cert of path) {
    const validity = validityOf(cert);
    if (!validity) continue;
    if (now.getTime() > validity.notAfter.getTime()) problems.add('expired');
    if (now.getTime() < validity.notBefore.getTime()) problems.add('not-yet-valid');
  }
  // Intermediates must be CAs allowed to sign certificates; anchors are trusted as configured.
  for (const cert of path.slice(1)) {
    if (cert !== anchor && !cert.canSignCertificates) problems.add('invalid-ca');
  }
  return finish(store, path, anchor, problems);
}

function deadEnd(cur: ParsedCert, isLeaf: boolean, issuerClaimed: boolean): TrustFailure {
  if (cur.selfIssued && cur.claimsIssuer(cur)) {
    if (!cur.signedBy(cur)) return 'bad-signature';
    return isLeaf ? 'self-signed' : 'unknown-root';
  }
  return issuerClaimed ? 'bad-signature' : 'incomplete-chain';
}

function validityOf(cert: ParsedCert): { notBefore: Date; notAfter: Date } | null {
  try {
    return { notBefore: cert.notBefore, notAfter: cert.notAfter };
  } catch {
    return null; // only anchors can be unreadable (sent ones are checked on parse)
  }
}

function parseSent(chainDer: readonly Buffer[]): ParsedCert[] {
  const out: ParsedCert[] = [];
  const seen = new Set<string>();
  chainDer.forEach((der, i) => {
    let cert: ParsedCert;
    try {
      cert = ParsedCert.fromDer(der);
    } catch (err) {
      // The leaf is what everything is about; junk further down is just not a usable issuer.
      if (i === 0) throw err;
      return;
    }
    if (seen.has(cert.sha256)) return;
    seen.add(cert.sha256);
    out.push(cert);
  });
  return out;
}

function finish(store: string, path: ParsedCert[], anchor: ParsedCert | null, problems: Set<TrustFailure>): TrustFacts {
  const sorted = [...problems].sort((a, b) => (PRIORITY.get(a) ?? 0) - (PRIORITY.get(b) ?? 0));
  let anchorName: string | null = null;
  if (anchor) {
    try {
      anchorName = formatName(anchor.fields.subject);
    } catch {
      anchorName = anchor.x509.subject.split('\n').reverse().join(',');
    }
  }
  return {
    trusted: anchor !== null && sorted.length === 0,
    reason: sorted[0] ?? null,
    problems: sorted,
    path: path.map((c) => c.sha256),
    anchor: anchorName,
    store,
  };
}
