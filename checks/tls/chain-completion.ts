// Chain completion as browsers do it: when the chain a server sent stops at a certificate whose issuer
// was neither sent nor is an anchor, download that certificate's AIA caIssuers and build again, up to
// a few downloads per endpoint. What the server sent stays the verdict of `trust`; the completed
// verdict tells "clients that do not fetch break" (TLS-CHAIN-INCOMPLETE) from "no path at all"
// (TLS-CERT-UNTRUSTED).

import type { AnchorSet, CheckContext } from '../../src/core/types.js';
import { IssuerFetcher } from './issuer-fetch.js';
import { buildPath, type BuiltPath, type PathOptions } from '../../src/pki/path.js';
import type { ParsedCert } from '../../src/pki/parsed.js';
import type { AiaFacts } from './facts.js';

/** Downloads per endpoint: real chains are at most two or three intermediates deep. */
const MAX_AIA_FETCHES = 4;

interface Store {
  anchors: AnchorSet;
  built: BuiltPath;
}

/**
 * `built` holds the verdict on the chain as sent for the public store and, when given, the custom
 * anchors. Returns the AIA facts: not-applicable when no store is missing an issuer.
 */
export async function completeChain(
  chainDer: readonly Buffer[],
  stores: { public: Store; custom: Store | null },
  now: Date,
  options: PathOptions,
  ctx: CheckContext,
): Promise<AiaFacts> {
  const missing = (s: Store | null): boolean => s?.built.facts.problems.includes('incomplete-chain') ?? false;
  if (!missing(stores.public) && !missing(stores.custom)) {
    // No reason: the trust rules' requiresReason quotes aia.reason, which must exist only for an error.
    return { status: 'not-applicable', fetches: [], trust: null };
  }
  const fetcher = ctx.issuers ?? new IssuerFetcher();
  const pool = [...chainDer];
  const fetches: AiaFacts['fetches'] = [];
  const tried = new Set<string>();
  let current = { public: stores.public, custom: stores.custom };
  for (;;) {
    const urls = [current.public, current.custom]
      .filter((s): s is Store => missing(s))
      .flatMap((s) => caIssuersOf(s.built.certificates[s.built.certificates.length - 1]))
      .filter((u) => !tried.has(u));
    const next = [...new Set(urls)].slice(0, MAX_AIA_FETCHES - fetches.length);
    if (!next.length) break;
    for (const url of next) tried.add(url);
    const answers = await Promise.all(next.map((url) => fetcher.fetch(url, ctx)));
    next.forEach((url, i) => {
      const a = answers[i]!;
      fetches.push(
        a.ok
          ? { url, status: 'ok', answered: true, certificates: a.certificates.length }
          : { url, status: 'error', reason: a.reason, answered: a.settled, certificates: 0 },
      );
      if (a.ok) pool.push(...a.certificates);
    });
    const rebuild = (s: Store | null): Store | null => (s ? { anchors: s.anchors, built: buildPath(pool, s.anchors, now, options) } : null);
    current = { public: rebuild(current.public) as Store, custom: rebuild(current.custom) };
    if (fetches.length >= MAX_AIA_FETCHES || ctx.signal.aborted) break;
  }
  const trust = { public: current.public.built.facts, custom: current.custom?.built.facts ?? null };
  const reached = [trust.public, trust.custom].some((t) => t !== null && t.anchor !== null && !t.problems.includes('incomplete-chain'));
  const failed = fetches.filter((f) => f.status === 'error' && !f.answered);
  // A site that could not be reached may have held the missing issuer: without a path, nothing can
  // be said. A site that answered without it (404, no certificate) fails clients alike.
  if (!reached && failed.length) {
    return { status: 'error', reason: failed.map((f) => `${f.url}: ${f.reason ?? ''}`).join('; '), fetches, trust };
  }
  return { status: 'ok', fetches, trust };
}

function caIssuersOf(cert: ParsedCert | undefined): string[] {
  if (!cert) return [];
  try {
    return cert.fields.aia.caIssuers;
  } catch {
    return [];
  }
}
