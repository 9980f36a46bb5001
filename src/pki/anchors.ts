// Trust anchors indexed for path building: by subject (to find issuers) and by fingerprint (a sent
// certificate that is itself an anchor ends the path).

import type { AnchorSet } from '../core/types.js';
import { ParsedCert } from './parsed.js';

export class TrustAnchors {
  readonly bySubject = new Map<string, ParsedCert[]>();
  readonly byFingerprint = new Map<string, ParsedCert>();

  private constructor(
    readonly name: string,
    certificates: readonly ParsedCert[],
  ) {
    for (const cert of certificates) {
      this.byFingerprint.set(cert.sha256, cert);
      let key: string;
      try {
        key = cert.subjectKey;
      } catch {
        continue; // unreadable: still matched by fingerprint when the server sends it
      }
      const list = this.bySubject.get(key);
      if (list) list.push(cert);
      else this.bySubject.set(key, [cert]);
    }
  }

  get count(): number {
    return this.byFingerprint.size;
  }

  /** Anchors given as certificates (read lazily: most are never looked at beyond their name). */
  static of(name: string, certificates: readonly ParsedCert[]): TrustAnchors {
    return new TrustAnchors(name, certificates);
  }

  /**
   * The index of an engine anchor set. Sets are built once per run and shared by every endpoint;
   * indexing ~150 roots per endpoint would dominate the cost of validation.
   */
  static ofSet(set: AnchorSet): TrustAnchors {
    const cached = indexes.get(set);
    if (cached && cached.size === set.certificates.length) return cached.anchors;
    const anchors = new TrustAnchors(
      set.name,
      set.certificates.map((x) => ParsedCert.fromX509(x)),
    );
    indexes.set(set, { size: set.certificates.length, anchors });
    return anchors;
  }
}

const indexes = new WeakMap<AnchorSet, { size: number; anchors: TrustAnchors }>();
