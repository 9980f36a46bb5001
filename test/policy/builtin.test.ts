// The built-in pack is a product surface: every text in both languages, cited, with severities a
// reviewer can defend.

import { beforeAll, describe, expect, it } from 'vitest';
import { describeRules, loadBuiltinPolicies, policyRefs, type LoadedPolicy } from '../../src/policy/index.js';
import { KNOWN, isTlsPack } from './helpers.js';

let pack: LoadedPolicy;
beforeAll(async () => {
  const [first] = (await loadBuiltinPolicies(KNOWN)).filter(isTlsPack);
  if (!first) throw new Error('no built-in pack');
  pack = first;
});

// Vietnamese written without its diacritics is barely readable; every vi text must carry them.
const VIETNAMESE = /[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i;

describe('vn-ct02-2022-tls', () => {
  it('has every text in English and Vietnamese', () => {
    for (const text of [pack.title, pack.description]) {
      expect(text?.en.trim()).toBeTruthy();
      expect(text?.vi).toMatch(VIETNAMESE);
    }
    for (const rule of pack.rules) {
      for (const field of ['title', 'description', 'message', 'remediation'] as const) {
        expect(rule[field].en.trim(), `${rule.id} ${field}.en`).not.toBe('');
        expect(rule[field].vi, `${rule.id} ${field}.vi`).toMatch(VIETNAMESE);
        expect(rule[field].vi, `${rule.id} ${field}`).not.toBe(rule[field].en);
      }
    }
  });

  it('uses the same placeholders in both languages', () => {
    const names = (s: string): string[] => [...s.matchAll(/\{([\w.]+)\}/g)].map((m) => m[1] ?? '').sort();
    for (const rule of pack.rules) {
      expect(names(rule.message.vi), rule.id).toEqual(names(rule.message.en));
    }
  });

  it('cites Directive 02/CT-TTg item 1.o on every rule, and its legal basis', () => {
    expect(pack.legalBasis).toContain('02/CT-TTg 26/04/2022 §1.o');
    expect(pack.effective).toEqual({ from: '2022-04-26' });
    for (const rule of pack.rules) {
      expect(rule.references, rule.id).toContain('02/CT-TTg §1.o');
      expect(rule.references.length, rule.id).toBeGreaterThan(1);
      expect(rule.tags, rule.id).toContain('tls');
    }
  });

  it('keeps the agreed base severities', () => {
    const severities = Object.fromEntries(pack.rules.map((r) => [r.id, r.severity]));
    expect(severities).toEqual({
      'TLS-CERT-EXPIRED': 'critical',
      'TLS-CERT-NOT-YET-VALID': 'high',
      'TLS-CERT-EXPIRING': 'high',
      'TLS-CERT-HOSTNAME': 'high',
      'TLS-CERT-UNTRUSTED': 'high',
      'TLS-CHAIN-INCOMPLETE': 'medium',
      'TLS-CERT-SELF-SIGNED': 'high',
      'TLS-CERT-NOT-PUBLICLY-TRUSTED': 'medium',
      'TLS-CERT-WEAK-KEY': 'high',
      'TLS-CERT-WEAK-SIGNATURE': 'high',
      'TLS-CERT-LIFETIME': 'low',
      'TLS-CERT-NO-SAN': 'medium',
      'TLS-CERT-REVOKED': 'critical',
      'TLS-OCSP-NOT-STAPLED': 'low',
      'TLS-OCSP-STAPLE-INVALID': 'medium',
      'TLS-PROTO-LEGACY': 'medium',
      'TLS-PROTO-NO-TLS13': 'low',
      'TLS-NO-FORWARD-SECRECY': 'medium',
      'TLS-PROTO-SSL': 'critical',
      'TLS-CIPHER-INSUFFICIENT': 'high',
      'TLS-CIPHER-PHASE-OUT': 'medium',
      'TLS-CIPHER-ORDER': 'low',
      'TLS-KEX-DH-WEAK': 'high',
      'TLS-KEX-GROUP-WEAK': 'medium',
      'TLS-COMPRESSION': 'high',
      'TLS-RENEGOTIATION-INSECURE': 'high',
      'TLS-PQ-KEX-MISSING': 'info',
      'TLS-HSTS-MISSING': 'medium',
    });
  });

  it('describes rules and the pack for reporters', () => {
    const rules = describeRules([pack]);
    expect(rules).toHaveLength(pack.rules.length);
    expect(rules.find((r) => r.id === 'TLS-PROTO-LEGACY')).toMatchObject({
      policyId: 'vn-ct02-2022-tls',
      check: 'tls.endpoint',
      severity: 'medium',
      title: { en: 'Server accepts TLS 1.0 or TLS 1.1', vi: 'Máy chủ chấp nhận TLS 1.0 hoặc TLS 1.1' },
      tags: ['tls', 'protocol'],
    });
    expect(policyRefs([pack])).toEqual([
      {
        id: 'vn-ct02-2022-tls',
        version: '1.0.0',
        title: pack.title,
        legalBasis: pack.legalBasis,
        effective: { from: '2022-04-26' },
        source: 'policies/vn-ct02-2022-tls.yaml',
      },
    ]);
  });
});
