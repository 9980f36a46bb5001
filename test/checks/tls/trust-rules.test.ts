// How the built-in pack judges the trust facts path validation records: a problem no other rule
// reports fails TLS-CERT-UNTRUSTED, named in the message and explained in the rule's description in
// both languages; a weak leaf key or a broken hash on a sent certificate is left to its own rule.
// Pure evaluation on recorded facts, no network.

import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, loadBuiltinPolicies, type LoadedPolicy } from '../../../src/policy/index.js';
import type { Finding } from '../../../src/core/types.js';
import type { TlsFacts, TrustFacts } from '../../../checks/tls/facts.js';
import { PROBLEM_TEXT, TRUST_PROBLEMS, type TrustProblem } from '../../../src/pki/problems.js';
import { KNOWN, isTlsPack, NOW, okAttempt, readFacts, target } from '../../policy/helpers.js';

let policies: LoadedPolicy[];
beforeAll(async () => {
  policies = (await loadBuiltinPolicies(KNOWN)).filter(isTlsPack);
});

/** Trust facts as the probe records a path that reached its anchor with these problems. */
function trustWith(base: TrustFacts, problems: TrustProblem[], store = base.store): TrustFacts {
  return { ...base, store, trusted: problems.length === 0, reason: problems[0] ?? null, problems };
}

function judge(fixture: string, change: (facts: TlsFacts) => void): Map<string, Finding> {
  const facts = readFacts(fixture);
  change(facts);
  const findings = evaluate({ targets: [target()], attempts: [okAttempt(facts)], policies, now: NOW });
  return new Map(findings.map((f) => [f.ruleId, f]));
}

const failed = (by: Map<string, Finding>): string[] =>
  [...by.values()]
    .filter((f) => f.outcome === 'fail')
    .map((f) => f.ruleId)
    .sort();

describe('TLS pack on path validation problems', () => {
  it('fails TLS-CERT-UNTRUSTED alone for a name-constraint violation, naming it in both languages', () => {
    const by = judge('good', (f) => (f.trust.public = trustWith(f.trust.public, ['name-constraint-violation'])));
    expect(failed(by)).toEqual(['TLS-CERT-UNTRUSTED']);
    const f = by.get('TLS-CERT-UNTRUSTED')!;
    expect(f.message.en).toContain('public store name-constraint-violation; custom anchors none');
    // In Vietnamese the problem reads as its meaning, never as its English id.
    expect(f.message.vi).toContain(
      'với kho chứng thư gốc công khai, một tên trong chứng thư nằm ngoài phạm vi tên (nameConstraints) mà tổ chức cấp được phép; với chứng thư gốc tin cậy bổ sung (--ca-file), không có.',
    );
    // The JSON report carries the ids themselves as evidence.
    expect(f.evidence['trust.public.problems']).toEqual(['name-constraint-violation']);
  });

  it("explains every problem name in the rule's description, in both languages", () => {
    const rule = policies.flatMap((p) => p.rules).find((r) => r.id === 'TLS-CERT-UNTRUSTED')!;
    for (const p of TRUST_PROBLEMS) {
      expect(rule.description.en, `${p} en`).toContain(`${p} — ${PROBLEM_TEXT[p].en}`);
      // In Vietnamese the id is marked as code: it is what the JSON evidence shows, not a word.
      expect(rule.description.vi, `${p} vi`).toContain(`\`${p}\` — ${PROBLEM_TEXT[p].vi}`);
    }
  });

  it.each<TrustProblem>([
    'eku-not-server-auth',
    'path-length-exceeded',
    'unknown-critical-extension',
    'malformed-certificate',
    'ca-as-leaf',
    'expired',
  ])('fails TLS-CERT-UNTRUSTED for %s on a path that reached its anchor', (problem) => {
    expect(failed(judge('good', (f) => (f.trust.public = trustWith(f.trust.public, [problem]))))).toEqual(['TLS-CERT-UNTRUSTED']);
  });

  it('leaves a weak leaf key and a broken hash on a sent certificate to their own rules', () => {
    expect(failed(judge('weak-key', () => undefined))).toEqual(['TLS-CERT-WEAK-KEY']);
    expect(failed(judge('weak-signature', () => undefined))).toEqual(['TLS-CERT-WEAK-SIGNATURE']);
  });

  it('fails TLS-CERT-UNTRUSTED when the weak key or broken hash is on a certificate no other rule judges', () => {
    // The leaf's key is strong: the weak key is an intermediate's.
    expect(failed(judge('good', (f) => (f.trust.public = trustWith(f.trust.public, ['weak-key-in-chain']))))).toEqual([
      'TLS-CERT-UNTRUSTED',
    ]);
    // No sent certificate uses SHA-1: the broken hash is on one taken from the anchor store.
    expect(failed(judge('good', (f) => (f.trust.public = trustWith(f.trust.public, ['weak-signature-in-chain']))))).toEqual([
      'TLS-CERT-UNTRUSTED',
    ]);
    // Explained problems do not excuse others on the same path.
    expect(
      failed(judge('weak-key', (f) => (f.trust.public = trustWith(f.trust.public, ['weak-key-in-chain', 'name-constraint-violation'])))),
    ).toEqual(['TLS-CERT-UNTRUSTED', 'TLS-CERT-WEAK-KEY']);
  });

  it('passes TLS-CERT-UNTRUSTED when the custom anchors trust the chain, and names why the public store does not', () => {
    const by = judge('good', (f) => {
      f.trust.custom = trustWith(f.trust.public, [], 'custom');
      f.trust.public = { ...trustWith(f.trust.public, ['incomplete-chain']), anchor: null };
    });
    expect(failed(by)).toEqual(['TLS-CERT-NOT-PUBLICLY-TRUSTED']);
    expect(by.get('TLS-CERT-NOT-PUBLICLY-TRUSTED')!.message.en).toContain('(incomplete-chain)');
  });
});
