// How the built-in pack judges each kind of staple the probe records: only a verified staple about
// this certificate is believed on revocation, and every staple clients must reject fails
// TLS-OCSP-STAPLE-INVALID. Pure evaluation on recorded facts, no network.

import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, loadBuiltinPolicies, type LoadedPolicy } from '../../../src/policy/index.js';
import type { Finding } from '../../../src/core/types.js';
import type { OcspFacts, TlsFacts } from '../../../checks/tls/facts.js';
import { KNOWN, isTlsPack, NOW, okAttempt, readFacts, target } from '../../policy/helpers.js';

const RULES = ['TLS-CERT-REVOKED', 'TLS-OCSP-STAPLE-INVALID', 'TLS-OCSP-NOT-STAPLED'] as const;

let policies: LoadedPolicy[];
beforeAll(async () => {
  policies = (await loadBuiltinPolicies(KNOWN)).filter(isTlsPack);
});

function judge(ocsp: Partial<OcspFacts>, drop: (keyof OcspFacts)[] = []): Record<string, Finding> {
  const facts: TlsFacts = readFacts('good');
  const merged: Record<string, unknown> = { ...facts.ocsp, ...ocsp };
  for (const k of drop) delete merged[k];
  facts.ocsp = merged as unknown as OcspFacts;
  const findings = evaluate({ targets: [target()], attempts: [okAttempt(facts)], policies, now: NOW });
  return Object.fromEntries(findings.filter((f) => (RULES as readonly string[]).includes(f.ruleId)).map((f) => [f.ruleId, f]));
}

const outcomes = (by: Record<string, Finding>): Record<string, string> =>
  Object.fromEntries(Object.entries(by).map(([id, f]) => [id, f.outcome]));

describe('OCSP rules on verified and unverified staples', () => {
  it('believes a valid staple about the leaf, revoked or good', () => {
    expect(outcomes(judge({}))).toEqual({ 'TLS-CERT-REVOKED': 'pass', 'TLS-OCSP-STAPLE-INVALID': 'pass', 'TLS-OCSP-NOT-STAPLED': 'pass' });
    expect(outcomes(judge({ certStatus: 'revoked' }))['TLS-CERT-REVOKED']).toBe('fail');
  });

  it('reports a forged staple as invalid, never as a revocation', () => {
    const by = judge({ certStatus: 'revoked', signature: 'invalid', problem: "the signature does not verify with the issuer's key" });
    expect(outcomes(by)).toEqual({ 'TLS-CERT-REVOKED': 'not-tested', 'TLS-OCSP-STAPLE-INVALID': 'fail', 'TLS-OCSP-NOT-STAPLED': 'pass' });
    expect(by['TLS-CERT-REVOKED']?.reason).toBe(
      "the stapled OCSP response cannot be verified (signature: invalid; the signature does not verify with the issuer's key)",
    );
    const f = by['TLS-OCSP-STAPLE-INVALID']!;
    expect(f.severity).toBe('medium');
    expect(f.message.en).toContain("cannot be trusted: the signature does not verify with the issuer's key (signature invalid");
    expect(f.message.vi).toContain('không đáng tin cậy');
    expect(f.message.vi).toContain('chữ ký không hợp lệ');
    expect(f.message.vi).toContain('chữ ký không khớp với khóa của tổ chức cấp');
  });

  it('fails a staple about another certificate and does not use its status', () => {
    const by = judge({
      matchesLeaf: false,
      certStatus: null,
      fresh: false,
      problem: 'the response is about 0badbeef, not this certificate',
    });
    expect(outcomes(by)).toMatchObject({ 'TLS-CERT-REVOKED': 'not-tested', 'TLS-OCSP-STAPLE-INVALID': 'fail' });
  });

  it('fails a stale staple, while a verified revocation in it still counts', () => {
    expect(outcomes(judge({ fresh: false, problem: 'the response is stale' }))).toMatchObject({
      'TLS-CERT-REVOKED': 'pass',
      'TLS-OCSP-STAPLE-INVALID': 'fail',
    });
    expect(outcomes(judge({ fresh: false, certStatus: 'revoked' }))).toMatchObject({
      'TLS-CERT-REVOKED': 'fail',
      'TLS-OCSP-STAPLE-INVALID': 'fail',
    });
  });

  it('judges neither way a staple whose issuer is unknown or whose algorithm is unsupported', () => {
    for (const signature of ['unknown-issuer', 'not-checked'] as const) {
      expect(outcomes(judge({ signature, responder: null, certStatus: 'revoked' })), signature).toMatchObject({
        'TLS-CERT-REVOKED': 'not-tested',
        'TLS-OCSP-STAPLE-INVALID': 'not-tested',
      });
    }
  });

  it('does not apply to an unsuccessful answer, and does not test an unreadable one', () => {
    const tryLater = judge({ responseStatus: 'tryLater', certStatus: null, signature: 'not-checked', matchesLeaf: false, fresh: false });
    expect(outcomes(tryLater)).toMatchObject({ 'TLS-CERT-REVOKED': 'not-tested', 'TLS-OCSP-STAPLE-INVALID': 'not-applicable' });
    const unreadable = judge({
      status: 'error',
      reason: 'stapled OCSP response is unreadable',
      responseStatus: null,
      certStatus: null,
      signature: 'not-checked',
    });
    expect(outcomes(unreadable)).toMatchObject({ 'TLS-CERT-REVOKED': 'not-tested', 'TLS-OCSP-STAPLE-INVALID': 'not-tested' });
  });

  it('leaves facts recorded before staple verification not tested, without a CEL error', () => {
    const by = judge({ certStatus: 'revoked' }, ['signature', 'responder', 'fresh', 'matchesLeaf', 'problem']);
    expect(outcomes(by)).toMatchObject({ 'TLS-CERT-REVOKED': 'not-tested', 'TLS-OCSP-STAPLE-INVALID': 'not-tested' });
    for (const id of ['TLS-CERT-REVOKED', 'TLS-OCSP-STAPLE-INVALID']) expect(by[id]?.reason, id).toMatch(/were not gathered/);
  });
});
