// Waivers on recorded findings: loading (schema, positions), matching, expiry, and what the report
// lists. No network: findings come from evaluate() on recorded facts.

import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, loadPolicyFile, policiesDir, type LoadedPolicy } from '../../src/policy/index.js';
import { InputError } from '../../src/core/errors.js';
import type { Finding, Target, Waiver } from '../../src/core/types.js';
import { WaiverTally, applyWaivers, isExpired, parseWaivers, targetMatches, waiversWithUnknownRules } from '../../src/policy/waivers.js';
import { exceedsThreshold, summarize } from '../../src/report/summary.js';
import { KNOWN, NOW, okAttempt, readFacts, target } from './helpers.js';

const DIR = 'test/fixtures/waivers';
const load = (name: string): ReturnType<typeof parseWaivers> => parseWaivers(readFileSync(`${DIR}/${name}`, 'utf8'), `${DIR}/${name}`);

function rejection(name: string): InputError {
  try {
    load(name);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error(`${name} was accepted`);
}

let policies: LoadedPolicy[];
beforeAll(async () => {
  // The TLS pack alone: the recorded facts are tls.endpoint facts.
  policies = [await loadPolicyFile(join(policiesDir(), 'vn-ct02-2022-tls.yaml'), KNOWN)];
});

/** Findings of the built-in packs on recorded facts for one target. */
function judge(fixture: string, t: Target = target()): Finding[] {
  return evaluate({ targets: [t], attempts: [okAttempt(readFacts(fixture), t)], policies, now: NOW });
}

function waiver(overrides: Partial<Waiver>): Waiver {
  return {
    id: 'w.yaml:2',
    rule: 'TLS-CERT-HOSTNAME',
    target: 'portal.example.gov.vn',
    justification: 'Certificate for the new name is on order.',
    approver: 'CISO',
    expires: '2026-06-30',
    source: { file: 'w.yaml', line: 2, column: 5 },
    ...overrides,
  };
}

describe('parseWaivers', () => {
  it('loads every entry with its position as id', () => {
    const set = load('good.yaml');
    expect(set.waivers).toEqual([
      {
        id: `${DIR}/good.yaml:5`,
        rule: 'TLS-CERT-HOSTNAME',
        target: '*.example.gov.vn',
        justification: 'Old certificate kept until the new domain goes live; CSR submitted to the CA.',
        approver: 'Nguyễn Văn An, CISO',
        expires: '2026-06-30',
        source: { file: `${DIR}/good.yaml`, line: 5, column: 5 },
      },
      expect.objectContaining({ id: `${DIR}/good.yaml:10`, rule: 'TLS-HSTS-MISSING', expires: '2026-01-31' }),
    ]);
  });

  it('accepts an empty list, and a file without apiVersion/kind', () => {
    expect(parseWaivers('waivers: []\n', 'w.yaml').waivers).toEqual([]);
  });

  it.each([
    ['yaml-syntax.yaml', '5:1: YAML syntax error: Missing closing "quote'],
    ['missing-justification.yaml', '2:5: waiver TLS-CERT-HOSTNAME: missing required field "justification"'],
    ['missing-expiry.yaml', '2:5: waiver TLS-CERT-HOSTNAME: missing required field "expires"'],
    ['bad-expiry.yaml', '6:14: waiver TLS-CERT-HOSTNAME: expires: must be a date YYYY-MM-DD (got "2026-02-30")'],
    ['empty-justification.yaml', '4:20: waiver TLS-HSTS-MISSING: justification: must not be empty'],
    ['unknown-field.yaml', '6:5: waiver TLS-HSTS-MISSING: unknown field "expiry" (did you mean "expires"?)'],
    [
      'bad-rule.yaml',
      '2:11: waiver tls-hsts-missing: rule: "tls-hsts-missing" is not valid: use a rule id such as TLS-CERT-EXPIRED (upper case, digits and dashes)',
    ],
    ['duplicate.yaml', '7:5: waiver TLS-HSTS-MISSING: duplicate waiver for target "PORTAL.example.gov.vn" (first on line 2)'],
    ['not-a-list.yaml', '2:3: waivers: must be a list (got a mapping)'],
    ['empty.yaml', '1:1: waiver file is empty: expected a mapping with "waivers"'],
  ])('%s → file:line:col: message', (name, expected) => {
    expect(rejection(name).message.split('\n')[0]).toBe(`${DIR}/${name}:${expected}`);
  });

  it('rejects apiVersion and kind it does not know', () => {
    expect(() => parseWaivers('apiVersion: govscan/v2\nwaivers: []\n', 'w.yaml')).toThrow(
      /^w\.yaml:1:13: apiVersion: must be "govscan\/v1"/,
    );
    expect(() => parseWaivers('kind: Policy\nwaivers: []\n', 'w.yaml')).toThrow(/^w\.yaml:1:7: kind: must be "Waivers"/);
  });
});

describe('targetMatches', () => {
  const key = 'https://portal.example.gov.vn:443';
  it.each([
    ['https://portal.example.gov.vn:443', true],
    ['portal.example.gov.vn', true],
    ['PORTAL.Example.gov.vn', true],
    ['portal.example.gov.vn:443', true],
    ['portal.example.gov.vn:8443', false],
    ['*.example.gov.vn', true],
    ['*.gov.vn', true],
    ['*', true],
    ['portal.example.gov.v?', true],
    ['example.gov.vn', false],
    ['portal.example.gov.vn.evil', false],
    ['portal-example-gov-vn', false],
  ])('%s → %s', (pattern, expected) => {
    expect(targetMatches(pattern, key)).toBe(expected);
  });

  it('matches IPv6 literals with or without brackets', () => {
    const v6 = 'https://[2001:db8::1]:443';
    expect(targetMatches('2001:db8::1', v6)).toBe(true);
    expect(targetMatches('[2001:db8::1]:443', v6)).toBe(true);
  });
});

describe('applyWaivers', () => {
  it('waives a failed finding an active waiver matches, and only that one', () => {
    const findings = judge('hostname-mismatch');
    const out = applyWaivers({ findings, waivers: load('good.yaml').waivers, now: NOW });
    const f = out.find((x) => x.ruleId === 'TLS-CERT-HOSTNAME');
    expect(f).toMatchObject({ outcome: 'waived', waiver: { id: `${DIR}/good.yaml:5`, expires: '2026-06-30' } });
    expect(f?.waiver?.expired).toBeUndefined();
    // The text of what is wrong is kept: the waiver accepts the risk, it does not change the facts.
    expect(f?.message).toEqual(findings.find((x) => x.ruleId === 'TLS-CERT-HOSTNAME')?.message);
    // Everything else untouched, and the input not mutated (evaluate stays the only source of findings).
    expect(out.filter((x) => x !== f)).toEqual(findings.filter((x) => x.ruleId !== 'TLS-CERT-HOSTNAME'));
    expect(findings.find((x) => x.ruleId === 'TLS-CERT-HOSTNAME')?.outcome).toBe('fail');
  });

  it('takes a waived finding out of --fail-on and counts it as waived', () => {
    const findings = judge('hostname-mismatch');
    expect(exceedsThreshold(findings, 'high')).toBe(true);
    const out = applyWaivers({ findings, waivers: load('good.yaml').waivers, now: NOW });
    expect(exceedsThreshold(out, 'high')).toBe(false);
    expect(summarize([target()], out).findings).toMatchObject({ fail: 0, waived: 1 });
  });

  it('lets an expired waiver lapse: the finding fails again and says so in both languages', () => {
    const findings = judge('hsts-missing');
    const out = applyWaivers({ findings, waivers: load('good.yaml').waivers, now: NOW });
    const f = out.find((x) => x.ruleId === 'TLS-HSTS-MISSING');
    expect(f).toMatchObject({ outcome: 'fail', waiver: { id: `${DIR}/good.yaml:10`, expires: '2026-01-31', expired: true } });
    expect(f?.message.en).toMatch(
      / — waiver test\/fixtures\/waivers\/good\.yaml:10 expired on 2026-01-31 \(approved by Trần Thị Bình\): this finding counts again$/,
    );
    expect(f?.message.vi).toMatch(
      / — miễn trừ test\/fixtures\/waivers\/good\.yaml:10 đã hết hạn ngày 31\/01\/2026 \(người phê duyệt: Trần Thị Bình\): phát hiện này được tính lại$/,
    );
    expect(f?.message.en.startsWith(findings.find((x) => x.ruleId === 'TLS-HSTS-MISSING')?.message.en ?? '?')).toBe(true);
  });

  it('holds through its last day (UTC) and lapses the day after', () => {
    const w = waiver({ expires: '2026-05-10' });
    const findings = judge('hostname-mismatch');
    const at = (iso: string): Finding | undefined =>
      applyWaivers({ findings, waivers: [w], now: new Date(iso) }).find((x) => x.ruleId === 'TLS-CERT-HOSTNAME');
    expect(at('2026-05-10T23:59:59.999Z')?.outcome).toBe('waived');
    expect(at('2026-05-11T00:00:00.000Z')).toMatchObject({ outcome: 'fail', waiver: { expired: true } });
    expect(isExpired(w, new Date('2026-05-10T00:00:00Z'))).toBe(false);
    expect(isExpired(w, new Date('2026-05-11T00:00:00Z'))).toBe(true);
  });

  it('uses the first active waiver, and the latest-expiring one when all have lapsed', () => {
    const findings = judge('hostname-mismatch');
    const old = waiver({ id: 'a:1', expires: '2026-01-01' });
    const later = waiver({ id: 'a:2', target: '*.gov.vn', expires: '2026-03-01' });
    const active = waiver({ id: 'a:3', target: '*', expires: '2027-01-01' });
    const pick = (ws: Waiver[]): Finding | undefined =>
      applyWaivers({ findings, waivers: ws, now: NOW }).find((x) => x.ruleId === 'TLS-CERT-HOSTNAME');
    expect(pick([old, later, active])?.waiver).toEqual({ id: 'a:3', expires: '2027-01-01' });
    expect(pick([later, old])?.waiver).toEqual({ id: 'a:2', expires: '2026-03-01', expired: true });
  });

  it('never touches passed, not-applicable or not-tested findings, nor other rules or targets', () => {
    const good = judge('good');
    const all = [waiver({ rule: 'TLS-CERT-EXPIRED', target: '*' }), waiver({ rule: 'TLS-HSTS-MISSING', target: '*' })];
    expect(applyWaivers({ findings: good, waivers: all, now: NOW })).toEqual(good);
    const elsewhere = judge('hostname-mismatch');
    expect(applyWaivers({ findings: elsewhere, waivers: [waiver({ target: 'other.gov.vn' })], now: NOW })).toEqual(elsewhere);
    const notTested: Finding = { ...elsewhere[0]!, outcome: 'not-tested', ruleId: 'TLS-CERT-HOSTNAME' };
    expect(applyWaivers({ findings: [notTested], waivers: [waiver({ target: '*' })], now: NOW })).toEqual([notTested]);
  });

  it('matches by target host when the key has another port than the pattern names', () => {
    const t = target({ key: 'https://portal.example.gov.vn:8443', port: 8443 });
    const findings = judge('hostname-mismatch', t);
    const by = (pattern: string): string | undefined =>
      applyWaivers({ findings, waivers: [waiver({ target: pattern })], now: NOW, targets: new Map([[t.key, t]]) }).find(
        (x) => x.ruleId === 'TLS-CERT-HOSTNAME',
      )?.outcome;
    expect(by('portal.example.gov.vn:8443')).toBe('waived');
    expect(by('portal.example.gov.vn:443')).toBe('fail');
    expect(by('portal.example.gov.vn')).toBe('waived');
  });
});

describe('WaiverTally', () => {
  it('lists every waiver once, with what it did in the run', () => {
    const waivers = load('good.yaml').waivers;
    const tally = new WaiverTally(waivers, NOW);
    for (const fixture of ['hostname-mismatch', 'hsts-missing']) {
      tally.add(applyWaivers({ findings: judge(fixture), waivers, now: NOW }));
    }
    tally.add(
      applyWaivers({
        findings: judge('hostname-mismatch', target({ key: 'https://b.example.gov.vn:443', host: 'b.example.gov.vn' })),
        waivers,
        now: NOW,
      }),
    );
    expect(tally.list().map((w) => [w.id, w.expired, w.waived, w.expiredMatches])).toEqual([
      [`${DIR}/good.yaml:5`, false, 2, 0],
      [`${DIR}/good.yaml:10`, true, 0, 1],
    ]);
  });
});

describe('waiversWithUnknownRules', () => {
  it('names waivers whose rule no loaded policy has', () => {
    const ids = new Set(policies.flatMap((p) => p.rules.map((r) => r.id)));
    const typo = waiver({ rule: 'TLS-CERT-HOSTNAM' });
    expect(waiversWithUnknownRules([waiver({}), typo], ids)).toEqual([typo]);
  });
});
