// A small, realistic Report built by hand: one target declared in an inventory, one given as a bare
// URL, two policies, findings in every outcome, and TLS facts shaped like the tls.endpoint check's.

import { createHash } from 'node:crypto';
import type { TlsFacts, CertificateFacts } from '../../checks/tls/facts.js';
import type { Attempt, Finding, Localized, PolicyRef, Report, RuleDescriptor, Severity, Target } from '../../src/core/types.js';
import { summarize } from '../../src/report/summary.js';

export const CWD = '/srv/govscan-ci';

export const inventoryTarget: Target = {
  key: 'https://dichvucong.tayninh.gov.vn:443',
  kind: 'web',
  scheme: 'https',
  host: 'dichvucong.tayninh.gov.vn',
  port: 443,
  path: '/',
  agency: 'Sở TT&TT Tây Ninh',
  system: { id: 'cong-dvc', name: 'Cổng dịch vụ công tỉnh', level: 3, domain: 'tayninh.gov.vn' },
  source: { file: `${CWD}/inventory/tay-ninh.yaml`, line: 12, column: 9 },
};

export const bareTarget: Target = {
  key: 'https://portal.example.gov.vn:8443',
  kind: 'web',
  scheme: 'https',
  host: 'portal.example.gov.vn',
  port: 8443,
  path: '/',
};

const L = (en: string, vi: string): Localized => ({ en, vi });

const policies: PolicyRef[] = [
  {
    id: 'vn-ct02-2022',
    version: '1.0.0',
    title: L('Directive 02/CT-TTg (2022) baseline', 'Chỉ thị 02/CT-TTg (2022)'),
    legalBasis: ['02/CT-TTg 26/04/2022 §1.n', '38/QĐ-BTTTT 14/01/2021'],
    effective: { from: '2022-04-26' },
    source: 'policies/vn-ct02-2022.yaml',
  },
  {
    id: 'vn-tls-2024',
    version: '2.1.0',
    title: L('TLS and digital certificates', 'TLS và chứng thư số'),
    legalBasis: ['TCVN 11930:2017'],
    effective: { from: '2024-01-01' },
    source: 'policies/vn-tls-2024.yaml',
  },
];

function rule(policyId: string, id: string, check: string, severity: Severity, title: Localized, tags: string[] = []): RuleDescriptor {
  return {
    id,
    policyId,
    check,
    severity,
    title,
    description: L(`${title.en}: the endpoint must comply.`, `${title.vi}: điểm cuối phải tuân thủ.`),
    remediation: L(`Fix ${id} on the server.`, `Khắc phục ${id} trên máy chủ.`),
    references: [`${policyId} ${id}`],
    tags,
  };
}

const rules: RuleDescriptor[] = [
  rule(
    'vn-ct02-2022',
    'VN-IPV6-WEB-AAAA',
    'ipv6.web',
    'high',
    L('Web portal reachable over IPv6', 'Cổng thông tin truy cập được qua IPv6'),
    ['ipv6'],
  ),
  rule('vn-ct02-2022', 'VN-TLS-HSTS', 'tls.endpoint', 'medium', L('HSTS enabled', 'Bật HSTS'), ['tls', 'http']),
  rule('vn-tls-2024', 'VN-TLS-CERT-EXPIRY', 'tls.endpoint', 'critical', L('Certificate not expired', 'Chứng thư số còn hạn'), [
    'tls',
    'certificate',
  ]),
  rule('vn-tls-2024', 'VN-TLS-PROTOCOL-MIN', 'tls.endpoint', 'high', L('No TLS below 1.2', 'Không dùng TLS dưới 1.2'), ['tls']),
  rule('vn-tls-2024', 'VN-TLS-OCSP-STAPLING', 'tls.endpoint', 'low', L('OCSP stapling', 'Đính kèm OCSP'), ['tls']),
  rule('vn-tls-2024', 'VN-TLS-KEY-INFO', 'tls.endpoint', 'info', L('Key type recorded', 'Ghi nhận loại khoá'), ['tls']),
];

export function fingerprint(ruleId: string, target: string): string {
  return createHash('sha256').update(`${ruleId}\u0000${target}`).digest('hex');
}

function cert(overrides: Partial<CertificateFacts> = {}): CertificateFacts {
  return {
    subject: 'CN=dichvucong.tayninh.gov.vn',
    subjectCN: 'dichvucong.tayninh.gov.vn',
    issuer: 'CN=Example Issuing CA',
    issuerCN: 'Example Issuing CA',
    serial: '0a1b2c',
    sans: { dns: ['dichvucong.tayninh.gov.vn'], ip: [] },
    notBefore: '2025-03-01T00:00:00.000Z',
    notAfter: '2026-03-01T00:00:00.000Z',
    daysToExpiry: -3,
    lifetimeDays: 365,
    expired: true,
    notYetValid: false,
    key: { type: 'rsa', bits: 2048, curve: null },
    signatureAlgorithm: { oid: '1.2.840.113549.1.1.11', name: 'sha256WithRSAEncryption', hash: 'SHA-256' },
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extendedKeyUsage: ['serverAuth'],
    isCA: false,
    selfSigned: false,
    sha256: 'ab'.repeat(32),
    aia: { ocsp: [], caIssuers: [] },
    ...overrides,
  };
}

function tlsFacts(): TlsFacts {
  const leaf = cert();
  return {
    observedAt: '2026-03-04T02:00:01.000Z',
    endpoint: { host: 'dichvucong.tayninh.gov.vn', port: 443, address: '192.0.2.10', family: 4, sni: 'dichvucong.tayninh.gov.vn' },
    protocols: {
      TLSv1: { status: 'ok', accepted: true, cipher: 'ECDHE-RSA-AES128-SHA' },
      'TLSv1.1': { status: 'ok', accepted: false },
      'TLSv1.2': { status: 'ok', accepted: true, cipher: 'ECDHE-RSA-AES128-GCM-SHA256' },
      'TLSv1.3': { status: 'ok', accepted: false },
    },
    negotiated: {
      protocol: 'TLSv1.2',
      cipher: 'ECDHE-RSA-AES128-GCM-SHA256',
      cipherStandard: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      forwardSecrecy: true,
      ephemeralKey: { type: 'ECDH', name: 'X25519', bits: 253 },
    },
    chain: { source: 'wire', count: 1, ordered: true, certificates: [leaf] },
    leaf,
    trust: {
      public: { trusted: false, reason: 'expired', problems: ['expired'], path: [leaf.sha256], anchor: null, store: 'node' },
      custom: null,
    },
    hostname: { name: 'dichvucong.tayninh.gov.vn', matches: true, matchedBy: 'san' },
    ocsp: { status: 'ok', stapled: false, responseStatus: null, certStatus: null, thisUpdate: null, nextUpdate: null },
    hsts: { status: 'ok', httpStatus: 200, present: false, header: null, maxAge: null, includeSubDomains: false, preload: false },
    platform: { authorizationError: 'CERT_HAS_EXPIRED' },
  };
}

function finding(
  ruleId: string,
  target: Target,
  outcome: Finding['outcome'],
  message: Localized,
  evidence: Record<string, unknown> = {},
  reason?: string,
): Finding {
  const r = rules.find((x) => x.id === ruleId);
  if (!r) throw new Error(`fixture: no rule ${ruleId}`);
  const policy = policies.find((p) => p.id === r.policyId);
  const f: Finding = {
    ruleId,
    policyId: r.policyId,
    policyVersion: policy?.version ?? '',
    check: r.check,
    target: target.key,
    outcome,
    severity: r.severity,
    title: r.title,
    message,
    remediation: r.remediation,
    references: r.references,
    evidence,
    fingerprint: fingerprint(ruleId, target.key),
  };
  if (reason !== undefined) f.reason = reason;
  return f;
}

const refused = 'connect ECONNREFUSED 192.0.2.20:8443';

export function makeReport(): Report {
  const facts = tlsFacts();
  const A = inventoryTarget;
  const B = bareTarget;
  const attempts: Attempt[] = [
    { check: 'tls.endpoint', target: A.key, status: 'ok', facts, startedAt: '2026-03-04T02:00:00.500Z', durationMs: 812 },
    {
      check: 'ipv6.web',
      target: A.key,
      status: 'ok',
      facts: { aaaa: [{ address: '2001:db8::10', global: true }] },
      startedAt: '2026-03-04T02:00:00.400Z',
      durationMs: 35,
    },
    {
      check: 'tls.endpoint',
      target: B.key,
      status: 'error',
      errorKind: 'connectivity',
      reason: refused,
      startedAt: '2026-03-04T02:00:00.600Z',
      durationMs: 4,
    },
    { check: 'ipv6.web', target: B.key, status: 'ok', facts: { aaaa: [] }, startedAt: '2026-03-04T02:00:00.450Z', durationMs: 21 },
  ];
  const findings: Finding[] = [
    finding(
      'VN-TLS-CERT-EXPIRY',
      A,
      'fail',
      L(
        'dichvucong.tayninh.gov.vn:443: certificate expired 3 days ago (expected at least 30 days left, found -3)',
        'dichvucong.tayninh.gov.vn:443: chứng thư số đã hết hạn 3 ngày (yêu cầu còn ít nhất 30 ngày, thực tế -3)',
      ),
      { 'leaf.daysToExpiry': facts.leaf.daysToExpiry, 'leaf.notAfter': facts.leaf.notAfter },
    ),
    finding(
      'VN-TLS-PROTOCOL-MIN',
      A,
      'fail',
      L(
        'dichvucong.tayninh.gov.vn:443: accepts TLSv1 (expected TLS 1.2 or later only)',
        'dichvucong.tayninh.gov.vn:443: chấp nhận TLSv1 (yêu cầu chỉ TLS 1.2 trở lên)',
      ),
      { 'protocols.TLSv1.accepted': true },
    ),
    finding(
      'VN-TLS-HSTS',
      A,
      'fail',
      L(
        'dichvucong.tayninh.gov.vn:443: no Strict-Transport-Security header (expected max-age ≥ 31536000)',
        'dichvucong.tayninh.gov.vn:443: thiếu tiêu đề Strict-Transport-Security (yêu cầu max-age ≥ 31536000)',
      ),
      { 'hsts.present': false },
    ),
    finding(
      'VN-IPV6-WEB-AAAA',
      A,
      'pass',
      L('dichvucong.tayninh.gov.vn has a global IPv6 address', 'dichvucong.tayninh.gov.vn có địa chỉ IPv6 toàn cầu'),
      { aaaa: ['2001:db8::10'] },
    ),
    finding('VN-TLS-OCSP-STAPLING', A, 'pass', L('OCSP response stapled', 'Có đính kèm phản hồi OCSP')),
    finding('VN-TLS-KEY-INFO', A, 'not-applicable', L('not applicable', 'không áp dụng'), {}, 'no key facts for this rule'),
    finding(
      'VN-IPV6-WEB-AAAA',
      B,
      'fail',
      L(
        'portal.example.gov.vn:8443: no AAAA record (expected a global IPv6 address, found none)',
        'portal.example.gov.vn:8443: không có bản ghi AAAA (yêu cầu địa chỉ IPv6 toàn cầu, thực tế không có)',
      ),
      { aaaa: [] },
    ),
    finding('VN-TLS-HSTS', B, 'not-tested', L('not tested', 'chưa kiểm tra'), {}, refused),
    finding('VN-TLS-CERT-EXPIRY', B, 'not-tested', L('not tested', 'chưa kiểm tra'), {}, refused),
    finding('VN-TLS-PROTOCOL-MIN', B, 'not-tested', L('not tested', 'chưa kiểm tra'), {}, refused),
    finding('VN-TLS-OCSP-STAPLING', B, 'not-tested', L('not tested', 'chưa kiểm tra'), {}, 'tls.endpoint timed out after 10000 ms'),
  ];
  const targets = [A, B];
  return {
    schemaVersion: 1,
    tool: { name: 'govscan', version: '0.1.0' },
    run: {
      startedAt: '2026-03-04T02:00:00.000Z',
      finishedAt: '2026-03-04T02:00:03.250Z',
      scannerHost: 'ci-runner-7',
      inventory: 'inventory/tay-ninh.yaml',
      agency: 'Sở TT&TT Tây Ninh',
      failOn: 'high',
    },
    policies,
    rules,
    targets,
    attempts,
    findings,
    summary: summarize(targets, findings),
  };
}

/** A deep copy, so a test can mutate a report or a log without touching another test's. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
