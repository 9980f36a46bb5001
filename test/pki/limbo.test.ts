// Conformance: every server case of x509-limbo (with Netflix BetterTLS) through verifyCertificate.
// A disagreement not in the reviewed allowlist fails, and so does an allowlist entry that no longer
// disagrees (it would hide a regression later). See test/fixtures/x509-limbo/README.md.

import { beforeAll, describe, expect, it } from 'vitest';
import { loadAllowlist, loadLimbo, runLimboCase, type AllowlistEntry, type LimboOutcome } from '../../bench/pki/limbo.js';

/** Families in which a chain the suite rejects must never be called valid, allowlist or not. */
const NO_FALSE_TRUST = [/::nc(::|$)/, /nameconstraints/, /^pathlen::/, /::eku(::|$)/, /critical-extension/];

let outcomes: LimboOutcome[];
let allowlist: AllowlistEntry[];

// ~8,000 chains take 15–60 s on a loaded two-core machine: a bound for a hung run, not a speed test.
beforeAll(() => {
  outcomes = loadLimbo().map(runLimboCase);
  allowlist = loadAllowlist();
}, 600_000);

describe('x509-limbo server cases', () => {
  it('reads the whole suite', () => {
    expect(outcomes.length).toBe(7879);
  });

  it('agrees with at least 99.5 % of the expected results', () => {
    const agree = outcomes.filter((o) => o.expected === o.actual).length;
    expect(agree / outcomes.length).toBeGreaterThanOrEqual(0.995);
  });

  it('disagrees only where the allowlist says why', () => {
    const listed = new Set(allowlist.map((a) => a.id));
    const unexplained = outcomes
      .filter((o) => o.expected !== o.actual && !listed.has(o.id))
      .map((o) => `${o.id}: expected ${o.expected ? 'valid' : 'invalid'}, got ${o.result.problems.join(', ') || 'valid'}`);
    expect(unexplained).toEqual([]);
  });

  it('keeps the allowlist reviewed: each entry has a reason, names a case, and still disagrees', () => {
    const byId = new Map(outcomes.map((o) => [o.id, o]));
    const stale = allowlist.filter((a) => {
      const o = byId.get(a.id);
      return !o || o.expected === o.actual || a.reason.trim().length < 20;
    });
    expect(stale.map((a) => a.id)).toEqual([]);
    expect(new Set(allowlist.map((a) => a.id)).size).toBe(allowlist.length);
  });

  it('never calls valid a chain the suite rejects for name constraints, path length, EKU or critical extensions', () => {
    // Only a case the suite itself contradicts (an identical chain expected to pass) may be excused.
    const contradicted = new Set(allowlist.filter((a) => a.contradicts).map((a) => a.id));
    const falseTrust = outcomes
      .filter((o) => !o.expected && o.actual && NO_FALSE_TRUST.some((re) => re.test(o.id)) && !contradicted.has(o.id))
      .map((o) => o.id);
    expect(falseTrust).toEqual([]);
  });

  it('excuses a case as contradicted only when its twin expects the opposite and govscan agrees with the twin', () => {
    const byId = new Map(outcomes.map((o) => [o.id, o]));
    const bad = allowlist
      .filter((a) => a.contradicts)
      .filter((a) => {
        const self = byId.get(a.id);
        const twin = byId.get(a.contradicts as string);
        return !self || !twin || twin.expected === self.expected || twin.actual !== twin.expected;
      });
    expect(bad.map((a) => a.id)).toEqual([]);
  });
});
