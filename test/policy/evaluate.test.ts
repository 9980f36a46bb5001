// Outcome paths, severities, messages, evidence and fingerprints of evaluate(), on recorded facts.

import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Attempt, Finding, Target } from '../../src/core/types.js';
import { evaluate, loadBuiltinPolicies, loadPolicyFile, loadPolicyText, type LoadedPolicy } from '../../src/policy/index.js';
import type { TlsFacts } from '../../checks/tls/facts.js';
import { KNOWN, isTlsPack, NOW, okAttempt, readFacts, target } from './helpers.js';

let builtin: LoadedPolicy[];
beforeAll(async () => {
  builtin = (await loadBuiltinPolicies(KNOWN)).filter(isTlsPack);
});

function run(facts: unknown, opts: { t?: Target; params?: Record<string, unknown>; now?: Date } = {}): Finding[] {
  const t = opts.t ?? target();
  return evaluate({
    targets: [t],
    attempts: [okAttempt(facts, t)],
    policies: builtin,
    now: opts.now ?? NOW,
    ...(opts.params ? { params: opts.params } : {}),
  });
}

function rule(findings: Finding[], id: string): Finding {
  const f = findings.find((x) => x.ruleId === id);
  if (!f) throw new Error(`no finding for ${id}`);
  return f;
}

function mutate(name: string, change: (f: TlsFacts) => void): TlsFacts {
  const facts = readFacts(name);
  change(facts);
  return facts;
}

describe('attempt outcomes', () => {
  it('makes every rule not-tested with the probe reason when the attempt failed', () => {
    const t = target();
    const attempt: Attempt = {
      check: 'tls.endpoint',
      target: t.key,
      status: 'error',
      errorKind: 'timeout',
      reason: 'no TLS handshake within 10000 ms',
      startedAt: NOW.toISOString(),
      durationMs: 10000,
    };
    const findings = evaluate({ targets: [t], attempts: [attempt], policies: builtin, now: NOW });
    expect(findings).toHaveLength(builtin[0]!.rules.length);
    for (const f of findings) {
      expect(f.outcome).toBe('not-tested');
      expect(f.reason).toBe('no TLS handshake within 10000 ms');
      expect(f.evidence).toEqual({});
    }
    const expired = rule(findings, 'TLS-CERT-EXPIRED');
    expect(expired.severity).toBe('critical');
    expect(expired.message).toEqual({
      en: 'https://portal.example.gov.vn:443: not tested — Certificate has expired: no TLS handshake within 10000 ms',
      // A probe's English reason is said in Vietnamese by the technical-reason catalogue.
      vi: 'https://portal.example.gov.vn:443: chưa kiểm tra được — Chứng thư số đã hết hạn: không hoàn tất bắt tay TLS trong 10000 ms',
    });
  });

  it('makes every rule not-applicable when the check judged the target out of scope', () => {
    const t = target();
    const attempt: Attempt = {
      check: 'tls.endpoint',
      target: t.key,
      status: 'not-applicable',
      reason: 'plain HTTP only',
      startedAt: NOW.toISOString(),
      durationMs: 3,
    };
    const findings = evaluate({ targets: [t], attempts: [attempt], policies: builtin, now: NOW });
    expect(new Set(findings.map((f) => f.outcome))).toEqual(new Set(['not-applicable']));
    expect(findings[0]!.reason).toBe('plain HTTP only');
  });

  it('yields no finding for a target the check never ran on', () => {
    const other = target({ key: 'https://other.example.gov.vn:443', host: 'other.example.gov.vn' });
    const findings = evaluate({ targets: [target(), other], attempts: [okAttempt(readFacts('good'))], policies: builtin, now: NOW });
    expect(findings.every((f) => f.target === 'https://portal.example.gov.vn:443')).toBe(true);
    expect(evaluate({ targets: [target()], attempts: [], policies: builtin, now: NOW })).toEqual([]);
  });

  it('treats an ok attempt without facts as not-tested, never as a pass', () => {
    const t = target();
    const attempt: Attempt = { check: 'tls.endpoint', target: t.key, status: 'ok', startedAt: NOW.toISOString(), durationMs: 1 };
    const findings = evaluate({ targets: [t], attempts: [attempt], policies: builtin, now: NOW });
    expect(new Set(findings.map((f) => f.outcome))).toEqual(new Set(['not-tested']));
    expect(findings[0]!.reason).toBe('the tls.endpoint probe recorded no facts');
  });
});

describe('containment: one rule on one target that cannot be judged', () => {
  const pack = (): LoadedPolicy =>
    loadPolicyText(
      [
        'apiVersion: govscan/v1',
        'kind: Policy',
        'metadata: { id: contained, version: "1.0.0", title: { en: C, vi: C }, legalBasis: [none] }',
        'spec:',
        '  rules:',
        ...['KEY-SHOWN', 'DAYS-SHOWN'].flatMap((id) => [
          `    - id: ${id}`,
          '      check: tls.endpoint',
          '      severity: high',
          '      title: { en: T, vi: T }',
          '      description: { en: D, vi: D }',
          '      assert: "false"',
          `      message: { en: "{${id === 'KEY-SHOWN' ? 'facts.leaf.key' : 'facts.leaf.daysToExpiry'}}", vi: "x" }`,
          '      remediation: { en: R, vi: R }',
        ]),
      ].join('\n'),
      'contained.yaml',
      KNOWN,
    );

  it('makes only that rule not tested, with the reason, when filling its message throws', () => {
    const facts = readFacts('good') as unknown as { leaf: { key: Record<string, unknown> } };
    // A value JSON cannot write (a probe bug, say): the message that shows it throws while being filled.
    facts.leaf.key.bits = 2048n;
    const findings = evaluate({ targets: [target()], attempts: [okAttempt(facts)], policies: [pack()], now: NOW });
    expect(findings.map((f) => [f.ruleId, f.outcome])).toEqual([
      ['KEY-SHOWN', 'not-tested'],
      ['DAYS-SHOWN', 'fail'],
    ]);
    expect(findings[0]!.reason).toMatch(/^the rule could not be judged on this target: .*BigInt/);
    expect(findings[0]!.reasonText?.vi).toMatch(
      /^không đánh giá được quy tắc trên đối tượng quét này do lỗi nội bộ của chương trình \(chi tiết kỹ thuật: .*BigInt.*\)$/,
    );
  });

  it('makes the rules of facts it cannot read not tested, and still judges the other targets', () => {
    const broken = target({ key: 'https://broken.example.gov.vn:443', host: 'broken.example.gov.vn' });
    const facts = readFacts('good') as unknown as Record<string, unknown>;
    const unreadable = Object.defineProperty({ ...facts }, 'leaf', {
      enumerable: true,
      get: () => {
        throw new Error('facts unreadable');
      },
    });
    const findings = evaluate({
      targets: [broken, target()],
      attempts: [okAttempt(unreadable, broken), okAttempt(facts)],
      policies: builtin,
      now: NOW,
    });
    const onBroken = findings.filter((f) => f.target === broken.key);
    expect(onBroken).toHaveLength(builtin[0]!.rules.length);
    for (const f of onBroken) {
      expect(f.outcome).toBe('not-tested');
      expect(f.reason).toBe('the rule could not be judged on this target: facts unreadable');
    }
    const onGood = findings.filter((f) => f.target !== broken.key);
    expect(onGood).toHaveLength(builtin[0]!.rules.length);
    expect(onGood.filter((f) => f.outcome === 'fail')).toEqual([]);
  });
});

describe('when / requires / runtime errors', () => {
  it('is not-tested when a sub-probe the rule requires failed', () => {
    const facts = mutate('hsts-missing', (f) => {
      f.hsts = { ...f.hsts, status: 'error', reason: 'TCP connect to 127.0.0.1:443 failed: ECONNREFUSED' };
    });
    const hsts = rule(run(facts), 'TLS-HSTS-MISSING');
    expect(hsts.outcome).toBe('not-tested');
    // Every built-in rule with `requires` says why in words (policy load refuses one that does not).
    expect(hsts.reason).toBe('the HTTPS page could not be fetched to read its headers (TCP connect to 127.0.0.1:443 failed: ECONNREFUSED)');
    expect(hsts.message.vi).toBe(
      'https://portal.example.gov.vn:443: chưa kiểm tra được — Thiếu HSTS hoặc thời hạn HSTS quá ngắn: không tải được trang HTTPS để đọc tiêu đề (kết nối TCP tới 127.0.0.1:443 không thành công: bị từ chối kết nối (ECONNREFUSED))',
    );
  });

  it('says why in words when the rule gives a requiresReason, filled from the facts in both languages', () => {
    const facts = mutate('good', (f) => {
      f.ocsp = {
        ...f.ocsp,
        stapled: true,
        status: 'ok',
        responseStatus: 'successful',
        certStatus: 'revoked',
        signature: 'unknown-issuer',
        problem: "the certificate's issuer was neither sent nor an anchor, so the signature cannot be checked",
      };
    });
    const revoked = rule(run(facts), 'TLS-CERT-REVOKED');
    expect(revoked.outcome).toBe('not-tested');
    expect(revoked.reason).toBe(
      "the stapled OCSP response cannot be verified (signature: unknown-issuer; the certificate's issuer was neither sent nor an anchor, so the signature cannot be checked)",
    );
    // Codes and the verifier's English problem are said in Vietnamese.
    expect(revoked.reasonText?.vi).toBe(
      'không xác minh được phản hồi OCSP được đính kèm (chữ ký: không rõ tổ chức cấp; máy chủ không gửi chứng thư của tổ chức cấp và đó cũng không phải chứng thư gốc tin cậy, nên không kiểm tra được chữ ký)',
    );
    expect(revoked.message.vi).toContain('chưa kiểm tra được — ');
  });

  it('is not-applicable when `when` is false (HSTS on a bare TLS endpoint)', () => {
    const t = target({ key: 'tls://ldap.example.gov.vn:636', scheme: 'tls', kind: 'host', host: 'ldap.example.gov.vn', port: 636 });
    const hsts = rule(run(readFacts('hsts-missing'), { t }), 'TLS-HSTS-MISSING');
    expect(hsts.outcome).toBe('not-applicable');
    expect(hsts.reason).toBe("condition not met: target.scheme == 'https' && facts.hsts.status != 'not-applicable'");
  });

  it("is not-tested, with CEL's message, when a fact the rule reads is absent", () => {
    const facts = readFacts('good') as unknown as Record<string, unknown>;
    delete facts['hsts'];
    const findings = run(facts);
    const hsts = rule(findings, 'TLS-HSTS-MISSING');
    expect(hsts.outcome).toBe('not-tested');
    expect(hsts.reason).toBe('cannot evaluate when: field not found: hsts');
    // Other rules are unaffected.
    expect(rule(findings, 'TLS-CERT-EXPIRED').outcome).toBe('pass');
  });

  it('tests legacy protocols once either version is seen accepted, and not before both were tried', () => {
    const oneAccepted = mutate('good', (f) => {
      f.protocols.TLSv1 = { status: 'ok', accepted: true };
      f.protocols['TLSv1.1'] = { status: 'error', reason: 'connection reset' };
    });
    const legacy = rule(run(oneAccepted), 'TLS-PROTO-LEGACY');
    expect(legacy.outcome).toBe('fail');
    expect(legacy.message.en).toBe('portal.example.gov.vn:443 accepts TLS 1.0; expected TLS 1.2 and 1.3 only.');
    const unknown = mutate('good', (f) => {
      f.protocols['TLSv1.1'] = { status: 'error', reason: 'connection reset' };
    });
    expect(rule(run(unknown), 'TLS-PROTO-LEGACY').outcome).toBe('not-tested');
  });

  it('does not judge chain completeness on a chain the platform reconstructed', () => {
    const facts = mutate('good', (f) => {
      f.chain.source = 'reconstructed';
    });
    const chain = rule(run(facts), 'TLS-CHAIN-INCOMPLETE');
    expect(chain.outcome).toBe('not-tested');
    expect(chain.reason).toBe(
      "the facts this rule needs were not gathered: (facts.chain.source == 'wire' || 'incomplete-chain' in facts.trust.public.problems) && (!has(facts.aia) || facts.aia.status != 'error')",
    );
    // Facts recorded without a field the words name fall back to the expression in English, the title in Vietnamese.
    const older = mutate('good', (f) => {
      f.hsts = { ...f.hsts, status: 'error' };
      delete (f.hsts as { reason?: string }).reason;
    });
    const hsts = rule(run(older), 'TLS-HSTS-MISSING');
    expect(hsts.reason).toBe("the facts this rule needs were not gathered: facts.hsts.status == 'ok'");
    expect(hsts.reasonText?.vi).toBe('chưa thu thập được dữ liệu mà quy tắc “Thiếu HSTS hoặc thời hạn HSTS quá ngắn” cần');
  });

  it("does not judge trust when the public store has no anchors (a scanner problem, not the server's)", () => {
    const facts = mutate('untrusted-root', (f) => {
      f.trust.public = { ...f.trust.public, reason: 'no-anchors', problems: ['no-anchors'] };
    });
    expect(rule(run(facts), 'TLS-CERT-UNTRUSTED').outcome).toBe('not-tested');
  });
});

describe('trust rules report one defect each', () => {
  const outcomeOf = (facts: TlsFacts, ids: string[]): Record<string, string> =>
    Object.fromEntries(ids.map((id) => [id, rule(run(facts), id).outcome]));
  const TRUST = ['TLS-CERT-UNTRUSTED', 'TLS-CHAIN-INCOMPLETE', 'TLS-CERT-NOT-PUBLICLY-TRUSTED', 'TLS-CERT-SELF-SIGNED'];

  it('fires UNTRUSTED when custom anchors were given and fail too', () => {
    const facts = mutate('untrusted-root', (f) => {
      f.trust.custom = { ...f.trust.public, store: 'ca-file:vnrca-g3.pem' };
    });
    expect(outcomeOf(facts, TRUST)).toEqual({
      'TLS-CERT-UNTRUSTED': 'fail',
      'TLS-CHAIN-INCOMPLETE': 'pass',
      'TLS-CERT-NOT-PUBLICLY-TRUSTED': 'pass',
      'TLS-CERT-SELF-SIGNED': 'pass',
    });
  });

  it('fires only CHAIN-INCOMPLETE when the intermediate is missing for both stores', () => {
    const facts = mutate('chain-incomplete', (f) => {
      f.trust.custom = { ...f.trust.public, store: 'ca-file:vnrca-g3.pem' };
    });
    expect(outcomeOf(facts, TRUST)['TLS-CHAIN-INCOMPLETE']).toBe('fail');
    expect(outcomeOf(facts, TRUST)['TLS-CERT-UNTRUSTED']).toBe('pass');
  });

  it('fires only NOT-PUBLICLY-TRUSTED when custom anchors complete a chain the public store cannot', () => {
    const facts = mutate('chain-incomplete', (f) => {
      f.trust.custom = {
        trusted: true,
        reason: null,
        problems: [],
        path: [],
        anchor: 'CN=Vietnam National Root CA',
        store: 'ca-file:vnrca.pem',
      };
    });
    expect(outcomeOf(facts, TRUST)).toEqual({
      'TLS-CERT-UNTRUSTED': 'pass',
      'TLS-CHAIN-INCOMPLETE': 'pass',
      'TLS-CERT-NOT-PUBLICLY-TRUSTED': 'fail',
      'TLS-CERT-SELF-SIGNED': 'pass',
    });
  });

  // Chain completion (AIA caIssuers): what a browser that downloads the missing issuer decides.
  const completed = (f: TlsFacts, aia: NonNullable<TlsFacts['aia']>): void => {
    f.aia = aia;
  };
  const fetched = [{ url: 'http://ca.example.vn/int.crt', status: 'ok' as const, answered: true, certificates: 1 }];

  it('fires only CHAIN-INCOMPLETE when the downloaded intermediate completes the path', () => {
    const facts = mutate('chain-incomplete', (f) =>
      completed(f, {
        status: 'ok',
        fetches: fetched,
        trust: { public: { trusted: true, reason: null, problems: [], path: [], anchor: 'CN=Root', store: 'public' }, custom: null },
      }),
    );
    expect(outcomeOf(facts, TRUST)).toEqual({
      'TLS-CERT-UNTRUSTED': 'pass',
      'TLS-CHAIN-INCOMPLETE': 'fail',
      'TLS-CERT-NOT-PUBLICLY-TRUSTED': 'pass',
      'TLS-CERT-SELF-SIGNED': 'pass',
    });
  });

  it('fires only UNTRUSTED (high) when no path exists even with what AIA serves, naming the problems in both languages', () => {
    const facts = mutate('chain-incomplete', (f) =>
      completed(f, { status: 'ok', fetches: [], trust: { public: f.trust.public, custom: null } }),
    );
    expect(outcomeOf(facts, TRUST)).toEqual({
      'TLS-CERT-UNTRUSTED': 'fail',
      'TLS-CHAIN-INCOMPLETE': 'pass',
      'TLS-CERT-NOT-PUBLICLY-TRUSTED': 'pass',
      'TLS-CERT-SELF-SIGNED': 'pass',
    });
    const untrusted = rule(run(facts), 'TLS-CERT-UNTRUSTED');
    expect(untrusted.severity).toBe('high');
    expect(untrusted.message.en).toContain('public store incomplete-chain');
    // In Vietnamese the problem reads as its meaning.
    expect(untrusted.message.vi).toContain('với kho chứng thư gốc công khai, thiếu chứng thư của tổ chức cấp');
    expect(untrusted.evidence['trust.public.problems']).toEqual(['incomplete-chain']);
  });

  it('reports the problems of the completed path when the downloaded intermediate does not make it valid', () => {
    const facts = mutate('chain-incomplete', (f) =>
      completed(f, {
        status: 'ok',
        fetches: fetched,
        trust: {
          public: { trusted: false, reason: 'expired', problems: ['expired'], path: [], anchor: 'CN=Root', store: 'public' },
          custom: null,
        },
      }),
    );
    const untrusted = rule(run(facts), 'TLS-CERT-UNTRUSTED');
    expect(untrusted.outcome).toBe('fail');
    expect(untrusted.message.en).toContain('public store expired;');
    expect(untrusted.evidence['aia.trust.public.problems']).toEqual(['expired']);
  });

  it('judges neither UNTRUSTED nor CHAIN-INCOMPLETE when the CA site holding the missing issuer could not be reached', () => {
    const facts = mutate('chain-incomplete', (f) =>
      completed(f, {
        status: 'error',
        reason: 'http://ca.example.vn/int.crt: connect ECONNREFUSED',
        fetches: [
          { url: 'http://ca.example.vn/int.crt', status: 'error', reason: 'connect ECONNREFUSED', answered: false, certificates: 0 },
        ],
        trust: { public: f.trust.public, custom: null },
      }),
    );
    for (const id of ['TLS-CERT-UNTRUSTED', 'TLS-CHAIN-INCOMPLETE']) {
      const f = rule(run(facts), id);
      expect(f.outcome).toBe('not-tested');
      expect(f.reason).toContain('http://ca.example.vn/int.crt: connect ECONNREFUSED');
      // Vietnamese names the address, not the network's English words.
      expect(f.message.vi).toContain(
        'không tải được chứng thư của tổ chức cấp còn thiếu từ trang của tổ chức chứng thực (http://ca.example.vn/int.crt)',
      );
      expect(f.message.vi).not.toContain('ECONNREFUSED');
    }
  });

  it('fires NOT-PUBLICLY-TRUSTED and CHAIN-INCOMPLETE when AIA completes the chain to custom anchors only', () => {
    const facts = mutate('chain-incomplete', (f) => {
      f.trust.custom = { ...f.trust.public, store: 'ca-file:vnrca.pem' };
      completed(f, {
        status: 'ok',
        fetches: fetched,
        trust: {
          public: f.trust.public,
          custom: {
            trusted: true,
            reason: null,
            problems: [],
            path: [],
            anchor: 'CN=Vietnam National Root CA',
            store: 'ca-file:vnrca.pem',
          },
        },
      });
    });
    expect(outcomeOf(facts, TRUST)).toEqual({
      'TLS-CERT-UNTRUSTED': 'pass',
      'TLS-CHAIN-INCOMPLETE': 'fail',
      'TLS-CERT-NOT-PUBLICLY-TRUSTED': 'fail',
      'TLS-CERT-SELF-SIGNED': 'pass',
    });
    expect(rule(run(facts), 'TLS-CERT-NOT-PUBLICLY-TRUSTED').message.en).toContain(
      'chains to CN=Vietnam National Root CA from ca-file:vnrca.pem',
    );
  });

  it('fires UNTRUSTED, not EXPIRED, for an expired intermediate', () => {
    const facts = mutate('good', (f) => {
      f.trust.public = { ...f.trust.public, trusted: false, reason: 'expired', problems: ['expired'], anchor: null };
    });
    const findings = run(facts);
    expect(rule(findings, 'TLS-CERT-UNTRUSTED').outcome).toBe('fail');
    expect(rule(findings, 'TLS-CERT-EXPIRED').outcome).toBe('pass');
  });
});

describe('severity', () => {
  const level = (n: number): Target => target({ system: { id: 'cong-dvc', level: n } });

  it('raises legacy protocols to high for security level 3 and above', () => {
    const facts = readFacts('legacy-protocols');
    expect(rule(run(facts), 'TLS-PROTO-LEGACY').severity).toBe('medium');
    expect(rule(run(facts, { t: level(2) }), 'TLS-PROTO-LEGACY').severity).toBe('medium');
    expect(rule(run(facts, { t: level(3) }), 'TLS-PROTO-LEGACY').severity).toBe('high');
    expect(rule(run(facts, { t: level(5) }), 'TLS-PROTO-LEGACY').severity).toBe('high');
  });

  it('raises an expiring certificate to critical under 7 days', () => {
    const soon = mutate('expiring', (f) => {
      f.leaf.daysToExpiry = 5;
    });
    expect(rule(run(readFacts('expiring')), 'TLS-CERT-EXPIRING').severity).toBe('high');
    expect(rule(run(soon), 'TLS-CERT-EXPIRING').severity).toBe('critical');
  });

  it('applies the conditional override after the level override', async () => {
    const pack = await loadPolicyFile('test/fixtures/policies/severity-order.yaml', KNOWN);
    const t = level(4);
    const findings = evaluate({ targets: [t], attempts: [okAttempt(readFacts('expiring'), t)], policies: [pack], now: NOW });
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['TEST-LEVEL-ONLY', 'high'],
      ['TEST-OVERRIDE-WINS', 'critical'],
      ['TEST-FIRST-MATCH', 'low'],
    ]);
  });
});

describe('messages, evidence, fingerprints', () => {
  it('fills the message in both languages from facts, target and params', () => {
    const f = rule(run(readFacts('expiring')), 'TLS-CERT-EXPIRING');
    expect(f.outcome).toBe('fail');
    expect(f.message).toEqual({
      en: 'Certificate for portal.example.gov.vn:443 expires in 11 days (2026-05-22 00:00 UTC); expected at least 30.',
      vi: 'Chứng thư số của portal.example.gov.vn:443 sẽ hết hạn sau 11 ngày (22/05/2026 00:00 UTC); yêu cầu còn ít nhất 30 ngày.',
    });
    expect(f.title).toEqual({ en: 'Certificate expires soon', vi: 'Chứng thư số sắp hết hạn' });
    expect(f.remediation?.vi).toMatch(/^Gia hạn/);
    expect(f.references).toContain('02/CT-TTg §1.o');
    expect(f.policyId).toBe('vn-ct02-2022-tls');
    expect(f.policyVersion).toBe('1.0.0');
    expect(f.check).toBe('tls.endpoint');
  });

  it('states the HSTS bar it applies, and fails a max-age under one year', () => {
    const short = mutate('good', (f) => {
      f.hsts = { ...f.hsts, header: 'max-age=86400', maxAge: 86400 };
    });
    const hsts = rule(run(short), 'TLS-HSTS-MISSING');
    expect(hsts.outcome).toBe('fail');
    expect(hsts.message.en).toBe(
      'portal.example.gov.vn:443 does not send Strict-Transport-Security with max-age of at least 31536000 seconds (1 year); found: max-age=86400.',
    );
    expect(rule(run(readFacts('hsts-missing')), 'TLS-HSTS-MISSING').message.vi).toBe(
      'portal.example.gov.vn:443 không gửi tiêu đề Strict-Transport-Security với max-age tối thiểu 31536000 giây (1 năm); giá trị hiện có: chưa khai báo.',
    );
  });

  it('computes message values in CEL', () => {
    const expired = rule(run(readFacts('expired')), 'TLS-CERT-EXPIRED');
    expect(expired.message.en).toBe(
      'Certificate for portal.example.gov.vn:443 expired on 2026-04-30 00:00 UTC, 11 days ago; expected a certificate that is currently valid.',
    );
    const weak = rule(run(readFacts('weak-signature')), 'TLS-CERT-WEAK-SIGNATURE');
    expect(weak.message.en).toBe(
      'portal.example.gov.vn:443 sends certificates signed with a broken hash: CN=portal.example.gov.vn (sha1WithRSAEncryption); expected SHA-256 or stronger.',
    );
  });

  it('uses generic texts for outcomes other than fail', () => {
    const pass = rule(run(readFacts('good')), 'TLS-CERT-EXPIRED');
    expect(pass.message).toEqual({
      en: 'https://portal.example.gov.vn:443: passed — Certificate has expired',
      vi: 'https://portal.example.gov.vn:443: đạt — Chứng thư số đã hết hạn',
    });
    expect(pass.remediation).toBeUndefined();
  });

  it('copies the evidence paths from the facts, including keys with dots', () => {
    const legacy = rule(run(readFacts('legacy-protocols')), 'TLS-PROTO-LEGACY');
    expect(legacy.evidence).toEqual({
      'protocols.TLSv1': { status: 'ok', accepted: true, cipher: 'ECDHE-ECDSA-AES128-SHA' },
      'protocols.TLSv1.1': { status: 'ok', accepted: true, cipher: 'ECDHE-ECDSA-AES128-SHA' },
    });
    const untrusted = rule(run(readFacts('untrusted-root')), 'TLS-CERT-UNTRUSTED');
    expect(untrusted.evidence['trust.custom.problems']).toBeNull();
    expect(untrusted.evidence['trust.public.problems']).toEqual(['unknown-root']);
  });

  it('fingerprints (rule, target) only', () => {
    const a = rule(run(readFacts('expiring')), 'TLS-CERT-EXPIRING');
    const b = rule(run(readFacts('good')), 'TLS-CERT-EXPIRING');
    const expected = createHash('sha256').update('TLS-CERT-EXPIRING\u0000https://portal.example.gov.vn:443').digest('hex').slice(0, 32);
    expect(a.fingerprint).toBe(expected);
    expect(b.fingerprint).toBe(expected);
    const other = target({ key: 'https://other.example.gov.vn:443', host: 'other.example.gov.vn' });
    expect(rule(run(readFacts('good'), { t: other }), 'TLS-CERT-EXPIRING').fingerprint).not.toBe(expected);
  });
});

describe('params, effective dates, purity', () => {
  it('applies per-run param overrides, coercing strings to the declared type', () => {
    expect(rule(run(readFacts('good')), 'TLS-CERT-EXPIRING').outcome).toBe('pass');
    const stricter = rule(run(readFacts('good'), { params: { minDaysToExpiry: '60' } }), 'TLS-CERT-EXPIRING');
    expect(stricter.outcome).toBe('fail');
    expect(stricter.message.en).toContain('expected at least 60.');
  });

  it('does not apply a pack before its effective date', () => {
    const findings = run(readFacts('expired'), { now: new Date('2022-01-01T00:00:00Z') });
    expect(new Set(findings.map((f) => f.outcome))).toEqual(new Set(['not-applicable']));
    expect(findings[0]!.reason).toBe('policy vn-ct02-2022-tls takes effect on 2022-04-26');
  });

  it('is pure: same input, same output, input untouched', () => {
    const facts = readFacts('tls12-no-forward-secrecy');
    const snapshot = structuredClone(facts);
    const first = run(facts);
    expect(run(facts)).toEqual(first);
    expect(facts).toEqual(snapshot);
    // Evidence is a copy: editing it cannot reach back into the facts.
    (rule(first, 'TLS-PROTO-LEGACY').evidence['protocols.TLSv1'] as { status: string }).status = 'edited';
    expect(facts.protocols.TLSv1.status).toBe('ok');
  });

  it('orders findings by target, then pack, then rule', () => {
    const t1 = target();
    const t2 = target({ key: 'https://b.example.gov.vn:443', host: 'b.example.gov.vn' });
    const findings = evaluate({
      targets: [t1, t2],
      attempts: [okAttempt(readFacts('good'), t2), okAttempt(readFacts('good'), t1)],
      policies: builtin,
      now: NOW,
    });
    const ruleIds = builtin[0]!.rules.map((r) => r.id);
    expect(findings.map((f) => f.target)).toEqual([...ruleIds.map(() => t1.key), ...ruleIds.map(() => t2.key)]);
    expect(findings.slice(0, ruleIds.length).map((f) => f.ruleId)).toEqual(ruleIds);
  });
});

describe('reference tables (spec.data) and computed evidence (values.NAME)', () => {
  const packText = (assert: string, evidence = '[values.weak]'): string =>
    [
      'apiVersion: govscan/v1',
      'kind: Policy',
      'metadata: { id: tables, version: "1.0.0", title: { en: T, vi: T }, legalBasis: [none] }',
      'spec:',
      '  params: { minBits: 2048 }',
      '  data:',
      '    strongKeys:',
      '      description: { en: Key types judged strong, vi: Các loại khóa được coi là mạnh }',
      '      source: ["a test"]',
      '      value: { types: [ed25519, ed448] }',
      '  rules:',
      '    - id: KEY-TABLE',
      '      check: tls.endpoint',
      '      severity: high',
      '      title: { en: T, vi: T }',
      '      description: { en: D, vi: D }',
      `      assert: "${assert}"`,
      '      values:',
      '        weak: "data.strongKeys.types.exists(t, t == facts.leaf.key.type) ? [] : [facts.leaf.key.type]"',
      '      message: { en: "weak {values.weak}", vi: "yếu {values.weak}" }',
      '      remediation: { en: R, vi: R }',
      `      evidence: ${evidence}`,
    ].join('\n');

  it('reads a table as data.NAME and shows a computed value as evidence', () => {
    const pack = loadPolicyText(packText('facts.leaf.key.type in data.strongKeys.types'), 'tables.yaml', KNOWN);
    expect(pack.data['strongKeys']?.source).toEqual(['a test']);
    const [finding] = evaluate({ targets: [target()], attempts: [okAttempt(readFacts('good'))], policies: [pack], now: NOW });
    expect(finding?.outcome).toBe('fail');
    expect(finding?.message.en).toBe('weak ec');
    expect(finding?.evidence).toEqual({ 'values.weak': ['ec'] });
  });

  it('refuses a table the pack does not declare and evidence naming an undefined value', () => {
    expect(() => loadPolicyText(packText('facts.leaf.key.type in data.strongKey.types'), 'tables.yaml', KNOWN)).toThrow(
      /rule KEY-TABLE: invalid CEL in assert: unknown data table "strongKey" \(declared: strongKeys\)/,
    );
    expect(() => loadPolicyText(packText('true', '[values.weakest]'), 'tables.yaml', KNOWN)).toThrow(
      /rule KEY-TABLE: evidence: unknown value "weakest" \(define it under values:\)/,
    );
  });
});
