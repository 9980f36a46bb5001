// The 4-layer pack (policies/vn-ct14-2019.yaml: Directive 14/CT-TTg and the evidence documents) on the
// recorded evidence of a compliant level-3 system and variants that each break one thing: every rule
// passes and fails somewhere, does not apply below level 3 where the directive does not ask, is not
// tested without a manifest or when the endpoint could not be tried, and says so in English and Vietnamese.

import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedPolicy } from '../../src/policy/index.js';
import { reviewVietnamese } from '../helpers/vietnamese-review.js';
import { compliant, documents, layers, noManifest, RECORDED_AT } from './evidence-cases.js';
import { builtinPack, judge, outcomesOf, type Outcomes, type Recorded } from './recorded.js';

const CASES: [string, () => Recorded, Outcomes][] = [
  ['compliant', compliant, {}],
  [
    'no manifest',
    noManifest,
    {
      'not-tested': [
        'EVIDENCE-DOC-MISSING',
        'EVIDENCE-DOC-TAMPERED',
        'EVIDENCE-DOC-UNSIGNED',
        'FOURLAYER-ASSESSMENT',
        'FOURLAYER-MONITORING',
        'FOURLAYER-MONITORING-LIVE',
        'FOURLAYER-NCSC',
        'FOURLAYER-NCSC-LIVE',
        'FOURLAYER-ONSITE',
      ],
      'not-applicable': [
        'FOURLAYER-CHANGE-ASSESSMENT',
        'FOURLAYER-GOLIVE-ASSESSMENT',
        'FOURLAYER-MONITORING-DATA',
        'FOURLAYER-MONITORING-REPORTS',
      ],
    },
  ],
  ['no on-site staff', () => layers((f) => void (f.onsite.staff = 0)), { fail: ['FOURLAYER-ONSITE'] }],
  [
    'monitoring contract expired',
    () =>
      layers((f) => {
        f.monitoring.contract.daysToExpiry = -3;
        f.monitoring.contract.validTo = '2026-11-17';
      }),
    { fail: ['FOURLAYER-MONITORING'] },
  ],
  [
    'collector unreachable',
    () =>
      layers((f) => {
        f.monitoring.forwarder.reachable = false;
        f.monitoring.forwarder.reason = 'TCP connect to 127.0.0.1:40533 failed: ECONNREFUSED';
      }),
    { fail: ['FOURLAYER-MONITORING-LIVE'] },
  ],
  // The endpoint could not even be tried: not tested, never a failure.
  [
    'collector endpoint unusable',
    () => layers((f) => void (f.monitoring.forwarder.error = 'the endpoint is not a host:port')),
    { 'not-tested': ['FOURLAYER-MONITORING-LIVE'] },
  ],
  ['assessor without a licence', () => layers((f) => void (f.assessment.licence = '')), { fail: ['FOURLAYER-ASSESSMENT'] }],
  ['no NCSC confirmation', () => layers((f) => void (f.ncsc.confirmation.number = '')), { fail: ['FOURLAYER-NCSC'] }],
  [
    'NCSC endpoint unreachable',
    () =>
      layers((f) => {
        f.ncsc.forwarder.reachable = false;
        f.ncsc.forwarder.reason = 'TCP connect to 127.0.0.1:40533 timed out after 1000 ms';
      }),
    { fail: ['FOURLAYER-NCSC-LIVE'] },
  ],
  [
    'monitoring data kept 10 days',
    () => layers((f) => void (f.monitoring.dataRetentionDays = 10)),
    { fail: ['FOURLAYER-MONITORING-DATA'] },
  ],
  [
    'no daily monitoring report',
    () => layers((f) => void (f.monitoring.reports.daily = { present: false, date: '', ageDays: 0 })),
    { fail: ['FOURLAYER-MONITORING-REPORTS'] },
  ],
  [
    'not assessed before go-live',
    () => layers((f) => void (f.lifecycle.assessmentDates = ['2026-10-11', '2026-10-21'])),
    { fail: ['FOURLAYER-GOLIVE-ASSESSMENT'] },
  ],
  [
    'not assessed after its change',
    () => layers((f) => void (f.lifecycle.assessmentDates = ['2026-09-16'])),
    { fail: ['FOURLAYER-CHANGE-ASSESSMENT'] },
  ],
  [
    'level 2: monitoring data and reports not asked',
    () =>
      layers((f) => {
        f.level.effective = 2;
        f.monitoring.dataRetentionDays = 10;
      }),
    { 'not-applicable': ['FOURLAYER-MONITORING-DATA', 'FOURLAYER-MONITORING-REPORTS'] },
  ],
  [
    'a document missing',
    () => documents((f) => void Object.assign(f.documents[0]!, { present: false, readable: false, reason: 'no such file' })),
    { fail: ['EVIDENCE-DOC-MISSING'] },
  ],
  [
    'a document changed since it was declared',
    () => documents((f) => void Object.assign(f.documents[0]!, { expectedSha256: '0'.repeat(64), hashMatches: false })),
    { fail: ['EVIDENCE-DOC-TAMPERED'] },
  ],
  [
    'a decision no longer signed',
    () => documents((f) => void Object.assign(f.documents[0]!.signature!, { signed: false, intact: false, signer: null })),
    { fail: ['EVIDENCE-DOC-UNSIGNED'] },
  ],
];

// The message of each rule on the first case above that fails it.
const MESSAGES: Record<string, { en: string; vi: string }> = {
  'FOURLAYER-ONSITE': {
    en: "cong-dvc: on-site force: decision '7/QĐ' dated '2026-05-04', 0 named staff; expected a decision and at least one person.",
    vi: "cong-dvc: lực lượng tại chỗ: quyết định '7/QĐ' ngày '04/05/2026', 0 nhân sự; yêu cầu có quyết định và ít nhất một người.",
  },
  'FOURLAYER-MONITORING': {
    en: "cong-dvc: monitoring provider 'SOC Co.', contract 'HD-1' valid 2026-08-12–2026-11-17 (expired 3 days ago); expected a contract valid today.",
    vi: "cong-dvc: đơn vị giám sát 'SOC Co.', hợp đồng 'HD-1' hiệu lực 12/08/2026–17/11/2026 (đã hết hạn 3 ngày); yêu cầu hợp đồng còn hiệu lực.",
  },
  'FOURLAYER-MONITORING-LIVE': {
    en: "cong-dvc: collector '127.0.0.1:40533' reachable: no (TCP connect to 127.0.0.1:40533 failed: ECONNREFUSED); forwarder config 'config/rsyslog.conf' names it.",
    vi: "cong-dvc: điểm thu thập '127.0.0.1:40533' không kết nối được (kết nối TCP tới 127.0.0.1:40533 không thành công: bị từ chối kết nối (ECONNREFUSED)); cấu hình chuyển tiếp 'config/rsyslog.conf' có trỏ tới điểm này.",
  },
  'FOURLAYER-ASSESSMENT': {
    en: 'cong-dvc: latest independent assessment 2026-10-21 (30 days ago) by Công ty ATTT, licence not recorded; expected one within 365 days by an assessor with a licence.',
    vi: 'cong-dvc: lần đánh giá độc lập gần nhất ngày 21/10/2026 (30 ngày trước) do Công ty ATTT thực hiện, giấy phép chưa ghi; yêu cầu trong vòng 365 ngày, do đơn vị có giấy phép thực hiện.',
  },
  'FOURLAYER-NCSC': {
    en: "cong-dvc: NCSC connection confirmation number not declared, date '2026-01-24'; expected a confirmation number and date.",
    vi: "cong-dvc: xác nhận kết nối NCSC số chưa khai báo, ngày '24/01/2026'; yêu cầu có số và ngày xác nhận.",
  },
  'FOURLAYER-NCSC-LIVE': {
    en: "cong-dvc: NCSC endpoint '127.0.0.1:40533' reachable: no (TCP connect to 127.0.0.1:40533 timed out after 1000 ms); no agent config declared.",
    vi: "cong-dvc: điểm kết nối NCSC '127.0.0.1:40533' không kết nối được (kết nối TCP tới 127.0.0.1:40533 quá thời gian chờ 1000 ms); chưa khai báo cấu hình tác tử.",
  },
  'FOURLAYER-MONITORING-DATA': {
    en: 'cong-dvc (level 3): monitoring data kept: 10 days; at least 30 days are required from level 3.',
    vi: 'cong-dvc (cấp độ 3): thời gian lưu dữ liệu giám sát: 10 ngày; từ cấp độ 3 yêu cầu tối thiểu 30 ngày.',
  },
  'FOURLAYER-MONITORING-REPORTS': {
    en: 'cong-dvc (level 3): monitoring reports missing or late: daily (none recorded).',
    vi: 'cong-dvc (cấp độ 3): báo cáo giám sát còn thiếu hoặc chậm: hằng ngày (chưa có).',
  },
  'FOURLAYER-GOLIVE-ASSESSMENT': {
    en: 'cong-dvc: put into operation on 2026-09-21 with no security assessment on or before that day (assessments on 2026-10-11, 2026-10-21).',
    vi: 'cong-dvc: đưa vào vận hành ngày 21/09/2026 nhưng không có lần kiểm tra, đánh giá an toàn thông tin nào vào hoặc trước ngày đó (các lần đánh giá ngày 11/10/2026, 21/10/2026).',
  },
  'FOURLAYER-CHANGE-ASSESSMENT': {
    en: 'cong-dvc: no security assessment on or after these changes: 2026-10-06 nâng cấp lên phiên bản 2.',
    vi: 'cong-dvc: chưa kiểm tra, đánh giá an toàn thông tin vào hoặc sau các thay đổi: 06/10/2026 nâng cấp lên phiên bản 2.',
  },
  'EVIDENCE-DOC-MISSING': {
    en: 'Evidence of cong-dvc: missing or unreadable docs/appraisal.pdf (appraisal.document).',
    vi: 'Bằng chứng của cong-dvc: thiếu hoặc không đọc được docs/appraisal.pdf (appraisal.document).',
  },
  'EVIDENCE-DOC-TAMPERED': {
    en: 'Evidence of cong-dvc: docs/appraisal.pdf changed since it was hashed or signed (SHA-256 mismatch, wrong type, or signature not covering these bytes).',
    vi: 'Bằng chứng của cong-dvc: docs/appraisal.pdf đã thay đổi so với lúc tính SHA-256 hoặc ký số (sai SHA-256, sai loại, hoặc chữ ký không khớp nội dung).',
  },
  'EVIDENCE-DOC-UNSIGNED': {
    en: 'Evidence of cong-dvc: docs/appraisal.pdf not signed, or signed by a signer that does not chain to the --ca-file anchors at signing time.',
    vi: 'Bằng chứng của cong-dvc: docs/appraisal.pdf chưa được ký số, hoặc người ký không có chuỗi chứng thư tới chứng thư gốc --ca-file tại thời điểm ký.',
  },
};

let pack: LoadedPolicy;
beforeAll(async () => {
  pack = await builtinPack('vn-ct14-2019');
});

describe('vn-ct14-2019 on recorded evidence', () => {
  it.each(CASES)('%s', (_name, make, expected) => {
    const findings = judge(pack, make(), RECORDED_AT);
    expect(findings.map((f) => f.ruleId).sort()).toEqual(pack.rules.map((r) => r.id).sort());
    expect(outcomesOf(findings)).toEqual(expected);
  });

  it('passes and fails every rule somewhere, with its message in both languages', () => {
    const rules = pack.rules.map((r) => r.id).sort();
    const passed = new Set<string>();
    const messages: Record<string, { en: string; vi: string }> = {};
    for (const [, make] of CASES) {
      for (const f of judge(pack, make(), RECORDED_AT)) {
        if (f.outcome === 'pass') passed.add(f.ruleId);
        if (f.outcome === 'fail') messages[f.ruleId] ??= f.message;
      }
    }
    expect([...passed].sort()).toEqual(rules);
    expect(Object.keys(messages).sort()).toEqual(rules);
    expect(messages).toEqual(MESSAGES);
    for (const [id, m] of Object.entries(messages)) expect(reviewVietnamese(m.vi, id)).toEqual([]);
  });

  it('an endpoint that could not be tried says why in both languages', () => {
    const f = judge(
      pack,
      layers((x) => void (x.monitoring.forwarder.error = 'the endpoint is not a host:port')),
      RECORDED_AT,
    ).find((x) => x.ruleId === 'FOURLAYER-MONITORING-LIVE');
    expect(f?.outcome).toBe('not-tested');
    expect(f?.reasonText?.en).toContain('the endpoint is not a host:port');
    expect(f?.reasonText?.vi.length).toBeGreaterThan(10);
  });
});
