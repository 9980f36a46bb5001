// Certification path building and validation (RFC 5280 §6 with the web PKI profile of profile.ts).
// Building backtracks over every candidate issuer, anchors before sent certificates and likely ones
// (matching key identifiers) first, and stops at the first path with no problem; when there is none
// it reports the problems of the best path it saw. A budget of signature checks, steps and
// name-constraint comparisons bounds what a hostile server can make it do.
// It reports what is wrong; judging whether that matters is policy's job.

import type { AnchorSet } from '../core/types.js';
import { TrustAnchors } from './anchors.js';
import { checkNameConstraints, type ConstraintBudget } from './name-constraints.js';
import { ParsedCert } from './parsed.js';
import { sortProblems, type TrustProblem } from './problems.js';
import { profileProblems, signatureHashBroken, type Usage } from './profile.js';
import type { TrustFacts } from './types.js';

export interface PathOptions {
  /** Most intermediates (not self-issued) between the leaf and the anchor; default 8. */
  maxDepth?: number;
  /** What the leaf must be good for; default 'any' (document signers); TLS callers say serverAuth. */
  usage?: Usage;
}

const DEFAULT_MAX_DEPTH = 8;

/** Go and rustls-webpki allow 100 signature checks per verification, pyca/cryptography 128. */
const MAX_SIGNATURE_CHECKS = 100;
/** Candidate issuers considered, cached signature results included (paths through a DAG can multiply). */
const MAX_STEPS = 1000;
/** Name-constraint comparisons per verification: Go allows 250,000 (pyca/cryptography 2^20). */
const MAX_CONSTRAINT_CHECKS = 250_000;
/** Certificates on one path whatever their kind: self-issued ones do not count toward maxDepth. */
const MAX_PATH_LENGTH = 16;

/** The path chosen: a valid one if any, else the best seen (to an anchor if any, fewest problems). */
export interface BuiltPath {
  /** Leaf first; ends with the anchor when one was reached. */
  certificates: ParsedCert[];
  anchor: ParsedCert | null;
  facts: TrustFacts;
}

interface Evaluated {
  path: ParsedCert[];
  anchor: ParsedCert | null;
  problems: Set<TrustProblem>;
}

/**
 * Build a path from the leaf (first of `chainDer`, the certificates as the server sent them, in any
 * order) to an anchor of `anchors`, valid at `now`. Anchors are preferred over sent certificates, so
 * a sent root that is also an anchor ends the path at the anchor. Throws only when the leaf itself
 * cannot be read.
 */
export function buildPath(chainDer: readonly Buffer[], anchors: AnchorSet | TrustAnchors, now: Date, options: PathOptions = {}): BuiltPath {
  const sent = parseSent(chainDer);
  const leaf = sent[0];
  const index = anchors instanceof TrustAnchors ? anchors : TrustAnchors.ofSet(anchors);
  const best = leaf
    ? new PathBuilder(sent, index, now, options).build(leaf)
    : { path: [], anchor: null, problems: new Set<TrustProblem>(['incomplete-chain']) };
  return { certificates: best.path, anchor: best.anchor, facts: finish(index.name, best, index.count) };
}

/** buildPath's verdict as trust facts. */
export function validatePath(chainDer: readonly Buffer[], anchors: AnchorSet, now: Date, options: PathOptions = {}): TrustFacts {
  return buildPath(chainDer, anchors, now, options).facts;
}

class PathBuilder {
  private readonly maxDepth: number;
  private readonly usage: Usage;
  /** Validity is judged to the second, as certificates state it (RFC 5280 §4.1.2.5). */
  private readonly at: number;
  private readonly signatures = new Map<string, boolean>();
  private signatureChecks = 0;
  private steps = 0;
  private readonly constraintBudget: ConstraintBudget = { remaining: MAX_CONSTRAINT_CHECKS };
  private exhausted = false;
  private best: Evaluated | null = null;

  constructor(
    private readonly sent: ParsedCert[],
    private readonly anchors: TrustAnchors,
    now: Date,
    options: PathOptions,
  ) {
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.usage = options.usage ?? 'any';
    this.at = Math.floor(now.getTime() / 1000) * 1000;
  }

  build(leaf: ParsedCert): Evaluated {
    this.search([leaf]);
    const best = this.best as Evaluated;
    if (this.exhausted && !(best.anchor && best.problems.size === 0)) best.problems.add('path-building-limit');
    return best;
  }

  /** Depth-first over issuers of the path's last certificate; true once a path without problems is found. */
  private search(path: ParsedCert[]): boolean {
    const cur = path[path.length - 1] as ParsedCert;
    const asAnchor = this.anchors.byFingerprint.get(cur.sha256);
    if (asAnchor) return this.complete(path, asAnchor);
    if (path.length >= MAX_PATH_LENGTH || intermediates(path) > this.maxDepth) {
      this.consider(path, null, 'chain-too-long');
      return false;
    }
    let claimed = false;
    let extended = false;
    for (const { cert: candidate, keyIdsAgree } of this.candidates(cur, path)) {
      if (++this.steps > MAX_STEPS) {
        this.exhausted = true;
        break;
      }
      // A same-named CA whose key identifier differs is another CA, not a failed claim.
      if (keyIdsAgree) claimed = true;
      const signed = this.signed(cur, candidate);
      if (signed === null) break;
      if (!signed) continue;
      extended = true;
      if (this.search([...path, candidate])) return true;
      if (this.exhausted) break;
    }
    if (!extended) this.consider(path, null, this.deadEnd(cur, path.length === 1, claimed));
    return false;
  }

  /** Anchors by subject, then sent certificates, each group with matching key identifiers first. */
  private candidates(cur: ParsedCert, path: ParsedCert[]): { cert: ParsedCert; keyIdsAgree: boolean }[] {
    const seen = new Set<string>();
    const out: ParsedCert[] = [];
    const onPath = (c: ParsedCert): boolean =>
      // A certificate, or another one for the same name and key (a loop through a re-issued CA), is used once.
      path.some((p) => p.sha256 === c.sha256 || (p.subjectKey === c.subjectKey && p.fields.spkiDer.equals(c.fields.spkiDer)));
    for (const c of [...(this.anchors.bySubject.get(cur.issuerKey) ?? []), ...this.sent.filter((s) => s.subjectKey === cur.issuerKey)]) {
      if (seen.has(c.sha256) || onPath(c)) continue;
      seen.add(c.sha256);
      out.push(c);
    }
    const akid = cur.fields.authorityKeyId;
    const likeliness = (c: ParsedCert): number => {
      const skid = safeSkid(c);
      if (!akid || !skid) return 1;
      return akid === skid ? 0 : 2;
    };
    // Array.prototype.sort is stable: anchors stay ahead of sent certificates within a bucket.
    return out
      .map((cert) => ({ cert, rank: likeliness(cert) }))
      .sort((a, b) => a.rank - b.rank)
      .map(({ cert, rank }) => ({ cert, keyIdsAgree: rank < 2 }));
  }

  /** Whether `issuer`'s key made `child`'s signature; null once the budget is spent. */
  private signed(child: ParsedCert, issuer: ParsedCert): boolean | null {
    const key = `${child.sha256}/${issuer.sha256}`;
    const known = this.signatures.get(key);
    if (known !== undefined) return known;
    if (++this.signatureChecks > MAX_SIGNATURE_CHECKS) {
      this.exhausted = true;
      return null;
    }
    const ok = child.signedBy(issuer);
    this.signatures.set(key, ok);
    return ok;
  }

  private deadEnd(cur: ParsedCert, isLeaf: boolean, issuerClaimed: boolean): TrustProblem {
    if (this.exhausted) return 'path-building-limit';
    if (issuerClaimed) return 'bad-signature';
    if (cur.selfIssued) {
      if (!cur.signedBy(cur)) return 'bad-signature';
      return isLeaf ? 'self-signed' : 'unknown-root';
    }
    return 'incomplete-chain';
  }

  private complete(path: ParsedCert[], anchor: ParsedCert): boolean {
    return this.consider(path, anchor, null) === 0;
  }

  /** Evaluates a path (complete or not), keeps it when it is the best so far; returns its problem count. */
  private consider(path: ParsedCert[], anchor: ParsedCert | null, deadEnd: TrustProblem | null): number {
    const problems = this.problemsOf(path, anchor);
    if (deadEnd) problems.add(deadEnd);
    const current = this.best;
    // A path to an anchor beats one that stops short; then fewer problems; then the first found.
    const better =
      !current ||
      (anchor !== null && current.anchor === null) ||
      ((anchor !== null) === (current.anchor !== null) && problems.size < current.problems.size);
    if (better) this.best = { path, anchor, problems };
    return anchor ? problems.size : Number.POSITIVE_INFINITY;
  }

  private problemsOf(path: ParsedCert[], anchor: ParsedCert | null): Set<TrustProblem> {
    const problems = new Set<TrustProblem>();
    path.forEach((_, i) => {
      try {
        this.certificateProblems(path, i, anchor, problems);
      } catch {
        // Only an anchor can be unreadable here (sent certificates are read before building).
        problems.add('malformed-certificate');
      }
    });
    if (intermediates(anchor ? path.slice(0, -1) : path) > this.maxDepth) problems.add('chain-too-long');
    return problems;
  }

  /** Problems of the certificate at `i` on `path`, added to `problems`. */
  private certificateProblems(path: ParsedCert[], i: number, anchor: ParsedCert | null, problems: Set<TrustProblem>): void {
    const cert = path[i] as ParsedCert;
    // By fingerprint: a pinned leaf is the anchor's certificate, though parsed from what was sent.
    const isAnchor = cert.sha256 === anchor?.sha256;
    for (const p of profileProblems(cert, i === 0 ? 'leaf' : isAnchor ? 'anchor' : 'ca', this.usage)) problems.add(p);
    if (this.at > cert.notAfter.getTime()) problems.add('expired');
    if (this.at < cert.notBefore.getTime()) problems.add('not-yet-valid');
    // The anchor's own signature is never relied on; every other one must use a sound hash.
    if (!isAnchor && signatureHashBroken(cert)) problems.add('weak-signature-in-chain');
    if (i === 0) return;
    // pathLenConstraint counts the intermediates below this CA that are not self-issued (§4.2.1.9).
    const pathLen = cert.fields.basicConstraints?.pathLen;
    if (pathLen !== null && pathLen !== undefined && intermediates(path.slice(0, i)) > pathLen) problems.add('path-length-exceeded');
    const nc = cert.fields.nameConstraints;
    if (!nc) return;
    // The leaf is always constrained; self-issued intermediates are not (§4.2.1.10).
    for (let j = 0; j < i; j++) {
      const below = path[j] as ParsedCert;
      if (j > 0 && below.selfIssued) continue;
      const verdict = checkNameConstraints(nc, below, this.constraintBudget);
      if (verdict === 'exhausted') this.exhausted = true;
      if (verdict !== 'ok') problems.add(verdict === 'exhausted' ? 'path-building-limit' : 'name-constraint-violation');
    }
  }
}

/** Certificates after the leaf that count toward depth and path length: those not self-issued. */
function intermediates(path: ParsedCert[]): number {
  let n = 0;
  for (let i = 1; i < path.length; i++) if (!(path[i] as ParsedCert).selfIssued) n++;
  return n;
}

function safeSkid(cert: ParsedCert): string | null {
  try {
    return cert.fields.subjectKeyId;
  } catch {
    return null;
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

function finish(store: string, best: Evaluated, anchorCount: number): TrustFacts {
  const problems = best.problems;
  if (anchorCount === 0) {
    // Without anchors "unknown root" or "incomplete" says nothing about the server.
    for (const p of ['incomplete-chain', 'unknown-root', 'self-signed'] as const) problems.delete(p);
    problems.add('no-anchors');
  }
  const sorted = sortProblems(problems);
  let anchorName: string | null = null;
  if (best.anchor) {
    try {
      anchorName = best.anchor.subjectText;
    } catch {
      anchorName = best.anchor.x509.subject.split('\n').reverse().join(',');
    }
  }
  return {
    trusted: best.anchor !== null && sorted.length === 0,
    reason: sorted[0] ?? null,
    problems: sorted,
    path: best.path.map((c) => c.sha256),
    anchor: anchorName,
    store,
  };
}
