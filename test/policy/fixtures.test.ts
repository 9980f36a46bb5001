// Each recorded endpoint yields exactly its own defect: one failing rule per defect, no echoes.

import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, loadBuiltinPolicies, type LoadedPolicy } from '../../src/policy/index.js';
import type { Finding } from '../../src/core/types.js';
import { KNOWN, isTlsPack, NOW, okAttempt, readFacts, target } from './helpers.js';

// fixture → rules that fail, rules that do not apply, rules whose facts cannot be relied on (not
// tested); everything else must pass.
const CASES: [string, string[], string[], string[]?][] = [
  ['good', [], []],
  ['expired', ['TLS-CERT-EXPIRED'], []],
  ['not-yet-valid', ['TLS-CERT-NOT-YET-VALID'], []],
  ['expiring', ['TLS-CERT-EXPIRING'], []],
  ['hostname-mismatch', ['TLS-CERT-HOSTNAME'], []],
  ['untrusted-root', ['TLS-CERT-UNTRUSTED'], ['TLS-CERT-REVOKED', 'TLS-OCSP-NOT-STAPLED', 'TLS-OCSP-STAPLE-INVALID']],
  // Without the intermediate the staple's signature cannot be checked, so it is not believed either way.
  ['chain-incomplete', ['TLS-CHAIN-INCOMPLETE'], [], ['TLS-CERT-REVOKED', 'TLS-OCSP-STAPLE-INVALID']],
  ['self-signed', ['TLS-CERT-SELF-SIGNED'], ['TLS-CERT-REVOKED', 'TLS-OCSP-NOT-STAPLED', 'TLS-OCSP-STAPLE-INVALID']],
  ['weak-key', ['TLS-CERT-WEAK-KEY'], []],
  ['weak-signature', ['TLS-CERT-WEAK-SIGNATURE'], []],
  ['lifetime', ['TLS-CERT-LIFETIME'], []],
  // The CN is never used to match a name, so a certificate without SANs matches no host either.
  ['no-san', ['TLS-CERT-NO-SAN', 'TLS-CERT-HOSTNAME'], []],
  ['legacy-protocols', ['TLS-PROTO-LEGACY'], []],
  ['tls12-no-forward-secrecy', ['TLS-NO-FORWARD-SECRECY', 'TLS-PROTO-NO-TLS13'], []],
  ['hsts-missing', ['TLS-HSTS-MISSING'], []],
  ['ocsp-not-stapled', ['TLS-OCSP-NOT-STAPLED'], ['TLS-CERT-REVOKED', 'TLS-OCSP-STAPLE-INVALID']],
  ['not-publicly-trusted', ['TLS-CERT-NOT-PUBLICLY-TRUSTED'], []],
  ['revoked', ['TLS-CERT-REVOKED'], []],
  // A forged staple saying "revoked" is reported as forged, never as a revocation.
  ['ocsp-staple-invalid', ['TLS-OCSP-STAPLE-INVALID'], [], ['TLS-CERT-REVOKED']],
];

// The recorded endpoints predate the full enumeration (issue 14): its rules are not tested on them, never
// passed (test/policies/tls-enumeration.test.ts judges them on enumerated facts).
const ENUMERATION_RULES = [
  'TLS-CIPHER-INSUFFICIENT',
  'TLS-CIPHER-ORDER',
  'TLS-CIPHER-PHASE-OUT',
  'TLS-COMPRESSION',
  'TLS-KEX-DH-WEAK',
  'TLS-KEX-GROUP-WEAK',
  'TLS-PQ-KEX-MISSING',
  'TLS-PROTO-SSL',
  'TLS-RENEGOTIATION-INSECURE',
];

let policies: LoadedPolicy[];
beforeAll(async () => {
  policies = (await loadBuiltinPolicies(KNOWN)).filter(isTlsPack);
});

function judge(fixture: string): Finding[] {
  return evaluate({ targets: [target()], attempts: [okAttempt(readFacts(fixture))], policies, now: NOW });
}

const ids = (findings: Finding[], outcome: string): string[] =>
  findings
    .filter((f) => f.outcome === outcome)
    .map((f) => f.ruleId)
    .sort();

describe('built-in pack on recorded facts', () => {
  it.each(CASES)('%s fails exactly %j', (fixture, fails, notApplicable, recordedNotTested = []) => {
    const notTested = [...recordedNotTested, ...ENUMERATION_RULES];
    const findings = judge(fixture);
    const ruleIds = policies.flatMap((p) => p.rules.map((r) => r.id));
    expect(findings.map((f) => f.ruleId).sort()).toEqual([...ruleIds].sort());
    expect(ids(findings, 'fail')).toEqual([...fails].sort());
    expect(ids(findings, 'not-applicable')).toEqual([...notApplicable].sort());
    expect(ids(findings, 'not-tested')).toEqual([...notTested].sort());
    expect(findings.filter((f) => f.outcome === 'pass')).toHaveLength(
      ruleIds.length - fails.length - notApplicable.length - notTested.length,
    );
  });

  it('has a defect fixture for every rule', () => {
    const covered = new Set([...CASES.flatMap(([, fails]) => fails), ...ENUMERATION_RULES]);
    const missing = policies.flatMap((p) => p.rules.map((r) => r.id)).filter((id) => !covered.has(id));
    expect(missing).toEqual([]);
  });

  it('judges a good certificate with TLS 1.2 + 1.3 and HSTS as nothing above low, even without stapling', () => {
    for (const fixture of ['good', 'ocsp-not-stapled']) {
      const serious = judge(fixture).filter((f) => f.outcome === 'fail' && !['low', 'info'].includes(f.severity));
      expect(serious).toEqual([]);
    }
  });

  it('gives every failing rule a filled message in both languages', () => {
    for (const [fixture] of CASES) {
      for (const f of judge(fixture).filter((x) => x.outcome === 'fail')) {
        for (const text of [f.message.en, f.message.vi, f.remediation?.en ?? '', f.remediation?.vi ?? '']) {
          expect(text, `${fixture} ${f.ruleId}`).not.toMatch(/\{[A-Za-z_][\w.]*\}/);
          expect(text.length, `${fixture} ${f.ruleId}`).toBeGreaterThan(10);
        }
        expect(f.message.en).toContain('portal.example.gov.vn');
        expect(f.message.vi).toContain('portal.example.gov.vn');
      }
    }
  });
});
