// The security-level packs, Decree 85/2016 (policies/vn-nd85-2016.yaml) and Decree 331/2026
// (policies/vn-nd331-2026.yaml), on the recorded evidence of a compliant level-3 system and variants
// that each break one thing: every rule passes and fails somewhere, does not apply where the decree
// does not ask, is not tested without a manifest, and says so in English and Vietnamese.

import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedPolicy } from '../../src/policy/index.js';
import { reviewVietnamese } from '../helpers/vietnamese-review.js';
import { compliant, dossier, level, noManifest, RECORDED_AT, underRegime } from './evidence-cases.js';
import { builtinPack, judge, outcomesOf, type Outcomes, type Recorded } from './recorded.js';

/** After the yearly reports fell due (30 Nov 2026) and the Decree 331 grace periods ran out. */
const LATER = new Date('2027-03-01T00:00:00Z');
/** After the Decree 85 transition ended (30 Jun 2027). */
const ENDED = new Date('2027-07-10T00:00:00Z');

type Case = [name: string, make: () => Recorded, expected: Outcomes, now?: Date];

const NOT_YET_DUE = ['SECLEVEL-ANNUAL-REPORT', 'SECLEVEL-APPRAISER'];
const NO_MANIFEST_NA = [
  'SECLEVEL-ANNUAL-REPORT',
  'SECLEVEL-APPRAISAL-MISSING',
  'SECLEVEL-APPRAISER',
  'SECLEVEL-LEVEL-MISMATCH',
  'SECLEVEL-PLAN-PARTIAL',
];
const NO_MANIFEST_NT = ['SECLEVEL-ASSESSMENT-OVERDUE', 'SECLEVEL-NOT-APPROVED', 'SECLEVEL-PLAN-MISSING', 'SECLEVEL-REGULATION-MISSING'];

// Shared by both decrees (the one-thing variants whose verdict the decrees agree on).
const COMMON: Case[] = [
  ['compliant', compliant, { 'not-applicable': NOT_YET_DUE }],
  ['not approved', () => dossier((f) => void (f.approval.number = '')), { fail: ['SECLEVEL-NOT-APPROVED'], 'not-applicable': NOT_YET_DUE }],
  [
    'no appraisal',
    () => dossier((f) => void (f.appraisal.number = '')),
    { fail: ['SECLEVEL-APPRAISAL-MISSING'], 'not-applicable': NOT_YET_DUE },
  ],
  [
    'no plan',
    () =>
      dossier((f) => {
        f.plan.status = 'none';
        f.plan.document.ok = false;
      }),
    { fail: ['SECLEVEL-PLAN-MISSING'], 'not-applicable': [...NOT_YET_DUE, 'SECLEVEL-PLAN-PARTIAL'] },
  ],
  [
    'plan partly carried out',
    () => dossier((f) => void (f.plan.status = 'partial')),
    { fail: ['SECLEVEL-PLAN-PARTIAL'], 'not-applicable': NOT_YET_DUE },
  ],
  [
    'no regulation',
    () => dossier((f) => void (f.regulation.number = '')),
    { fail: ['SECLEVEL-REGULATION-MISSING'], 'not-applicable': NOT_YET_DUE },
  ],
  [
    'assessment overdue',
    () =>
      dossier((f) => {
        f.assessments.securityAssessment.ageDays = 800;
        f.assessments.securityAssessment.date = '2024-09-11';
      }),
    { fail: ['SECLEVEL-ASSESSMENT-OVERDUE'], 'not-applicable': NOT_YET_DUE },
  ],
  [
    'inventory level differs from the approved one',
    () => dossier((f) => void (f.level.inventory = 2)),
    { fail: ['SECLEVEL-LEVEL-MISMATCH'], 'not-applicable': NOT_YET_DUE },
  ],
  ['yearly report filed', compliant, { 'not-applicable': ['SECLEVEL-APPRAISER'] }, LATER],
  [
    'no yearly report',
    () => dossier((f) => void (f.annualReport = { present: false, date: '', ageDays: 0 })),
    { fail: ['SECLEVEL-ANNUAL-REPORT'], 'not-applicable': ['SECLEVEL-APPRAISER'] },
    LATER,
  ],
];

const ND85: Case[] = [
  ...COMMON,
  ['no manifest', noManifest, { fail: ['SECLEVEL-NOT-DECLARED'], 'not-tested': NO_MANIFEST_NT, 'not-applicable': NO_MANIFEST_NA }],
  ['level 2: no appraisal asked', () => dossier(level(2)), { 'not-applicable': [...NOT_YET_DUE, 'SECLEVEL-APPRAISAL-MISSING'].sort() }],
  ['level 4 appraised by the Ministry of Public Security', () => dossier(level(4)), { 'not-applicable': ['SECLEVEL-ANNUAL-REPORT'] }],
  [
    'level 4 appraised by MIC after March 2025',
    () =>
      dossier((f) => {
        level(4)(f);
        f.appraisal.authority = 'ministry-of-information-and-communications';
      }),
    { fail: ['SECLEVEL-APPRAISER'], 'not-applicable': ['SECLEVEL-ANNUAL-REPORT'] },
  ],
  // Decree 85 does not order the regulation before the approval, nor ask for scans, log reviews or retention.
  [
    'regulation issued after the approval',
    () =>
      dossier((f) => {
        f.approval.date = '2026-09-10';
        f.regulation.date = '2026-10-01';
      }),
    { 'not-applicable': NOT_YET_DUE },
  ],
  ['judged after the transition ended', compliant, { fail: ['SECLEVEL-REGIME-ENDED'], 'not-applicable': ['SECLEVEL-APPRAISER'] }, ENDED],
];

const ND331: Case[] = [
  ...COMMON,
  [
    'no manifest',
    noManifest,
    {
      fail: ['SECLEVEL-NOT-DECLARED'],
      'not-tested': [...NO_MANIFEST_NT, 'SECLEVEL-LOGREVIEW-OVERDUE', 'SECLEVEL-VULNSCAN-OVERDUE'].sort(),
      'not-applicable': [...NO_MANIFEST_NA, 'SECLEVEL-LOG-RETENTION', 'SECLEVEL-PENTEST-OVERDUE'].sort(),
    },
  ],
  [
    'level 2: no appraisal nor penetration test asked',
    () => dossier(level(2)),
    { 'not-applicable': [...NOT_YET_DUE, 'SECLEVEL-APPRAISAL-MISSING', 'SECLEVEL-PENTEST-OVERDUE'].sort() },
  ],
  [
    'level 4 appraised by the Ministry of Public Security',
    () =>
      dossier((f) => {
        level(4)(f);
        f.appraisal.date = '2026-09-01';
      }),
    { 'not-applicable': ['SECLEVEL-ANNUAL-REPORT'] },
  ],
  [
    'level 4 appraised by MIC under Decree 331',
    () =>
      dossier((f) => {
        level(4)(f);
        f.appraisal.date = '2026-09-01';
        f.appraisal.authority = 'ministry-of-information-and-communications';
      }),
    { fail: ['SECLEVEL-APPRAISER'], 'not-applicable': ['SECLEVEL-ANNUAL-REPORT'] },
  ],
  [
    'regulation issued after the approval',
    () =>
      dossier((f) => {
        f.approval.date = '2026-09-10';
        f.regulation.date = '2026-10-01';
      }),
    { fail: ['SECLEVEL-REGULATION-MISSING'], 'not-applicable': NOT_YET_DUE },
  ],
  [
    'vulnerability scan overdue once the grace period ran out',
    () =>
      dossier((f) => {
        f.assessments.vulnerabilityScan.ageDays = 400;
        f.assessments.vulnerabilityScan.date = '2026-01-24';
      }),
    { fail: ['SECLEVEL-VULNSCAN-OVERDUE'], 'not-applicable': ['SECLEVEL-APPRAISER'] },
    LATER,
  ],
  [
    'vulnerability scan overdue within the grace period',
    () =>
      dossier((f) => {
        f.assessments.vulnerabilityScan.ageDays = 400;
        f.assessments.vulnerabilityScan.date = '2025-10-16';
      }),
    { 'not-applicable': NOT_YET_DUE },
  ],
  [
    'log review overdue',
    () =>
      dossier((f) => {
        f.assessments.logReview.ageDays = 400;
        f.assessments.logReview.date = '2026-01-24';
      }),
    { fail: ['SECLEVEL-LOGREVIEW-OVERDUE'], 'not-applicable': ['SECLEVEL-APPRAISER'] },
    LATER,
  ],
  [
    'level 3 without a penetration-test programme',
    () => dossier((f) => void (f.penetrationTestProgramme.number = '')),
    { fail: ['SECLEVEL-PENTEST-OVERDUE'], 'not-applicable': NOT_YET_DUE },
  ],
  [
    'logs kept 30 days',
    () => dossier((f) => void (f.logging.retentionDays = 30)),
    { fail: ['SECLEVEL-LOG-RETENTION'], 'not-applicable': NOT_YET_DUE },
  ],
];

// The message of each rule on the first case above that fails it.
const MESSAGES: Record<string, Record<string, { en: string; vi: string }>> = {
  'nd85-2016': {
    'SECLEVEL-NOT-APPROVED': {
      en: 'System cong-dvc: security level not approved; missing approval.number.',
      vi: 'Hệ thống cong-dvc: cấp độ an toàn chưa được phê duyệt; còn thiếu approval.number.',
    },
    'SECLEVEL-APPRAISAL-MISSING': {
      en: "System cong-dvc (level 3): no complete appraisal opinion (number not declared, date '2026-07-13', document 'docs/appraisal.pdf'); required from level 3.",
      vi: "Hệ thống cong-dvc (cấp độ 3): chưa có đủ văn bản thẩm định (số chưa khai báo, ngày '13/07/2026', văn bản 'docs/appraisal.pdf'); bắt buộc từ cấp độ 3.",
    },
    'SECLEVEL-PLAN-MISSING': {
      en: "System cong-dvc: no level-based security plan (document 'docs/plan.pdf', present: no, status 'none').",
      vi: "Hệ thống cong-dvc: chưa có phương án bảo đảm an toàn thông tin theo cấp độ (văn bản 'docs/plan.pdf', có mặt: không, tình trạng 'chưa có').",
    },
    'SECLEVEL-PLAN-PARTIAL': {
      en: "System cong-dvc: security plan 2.0 is 'partial'; expected 'full'.",
      vi: 'Hệ thống cong-dvc: phương án 2.0 ở tình trạng một phần; yêu cầu triển khai đầy đủ (`full`).',
    },
    'SECLEVEL-REGULATION-MISSING': {
      en: "System cong-dvc: no security regulation decision (number not declared, date '2026-07-18').",
      vi: "Hệ thống cong-dvc: chưa có quyết định ban hành quy chế bảo đảm an toàn thông tin (số chưa khai báo, ngày '18/07/2026').",
    },
    'SECLEVEL-ASSESSMENT-OVERDUE': {
      en: 'System cong-dvc (level 3): last periodic security assessment: 2024-09-11 (800 days ago); expected one within 365 days.',
      vi: 'Hệ thống cong-dvc (cấp độ 3): lần kiểm tra, đánh giá định kỳ gần nhất: 11/09/2024 (800 ngày trước); yêu cầu trong vòng 365 ngày.',
    },
    'SECLEVEL-LEVEL-MISMATCH': {
      en: 'System cong-dvc: inventory says level 2, approval decision says 3.',
      vi: 'Hệ thống cong-dvc: danh mục ghi cấp độ 2, quyết định phê duyệt ghi cấp độ 3.',
    },
    'SECLEVEL-ANNUAL-REPORT': {
      en: 'System cong-dvc (level 3): no yearly security report after 2025-11-30 for the deadline of 2026-11-30 (latest report: none recorded); level 3–5 owners report every year by 11-30 (month-day).',
      vi: 'Hệ thống cong-dvc (cấp độ 3): chưa có báo cáo hằng năm về an toàn thông tin sau ngày 30/11/2025 cho hạn 30/11/2026 (báo cáo gần nhất: chưa có); chủ quản hệ thống cấp độ 3–5 báo cáo hằng năm trước ngày 30/11.',
    },
    'SECLEVEL-NOT-DECLARED': {
      en: 'System cong-dvc: no security level declared (the inventory names no evidence manifest); expected level.proposed or level.approved 1–5.',
      vi: 'Hệ thống cong-dvc: chưa khai báo cấp độ an toàn (danh mục chưa khai báo tệp khai báo bằng chứng); yêu cầu có level.proposed hoặc level.approved từ 1 đến 5.',
    },
    'SECLEVEL-APPRAISER': {
      en: 'System cong-dvc (level 4): appraisal 12/TĐ (2026-07-13) by the Ministry of Information and Communications; a level 4–5 dossier appraised then must be appraised by the Ministry of Public Security.',
      vi: 'Hệ thống cong-dvc (cấp độ 4): văn bản thẩm định 12/TĐ (13/07/2026) do Bộ Thông tin và Truyền thông thực hiện; hồ sơ cấp độ 4–5 thẩm định vào thời điểm đó phải do Bộ Công an thẩm định.',
    },
    'SECLEVEL-REGIME-ENDED': {
      en: 'System cong-dvc is judged under Decree 85/2016, whose transition ended on 2027-06-30: its security level must be re-approved under Decree 331/2026.',
      vi: 'Hệ thống cong-dvc đang được đánh giá theo Nghị định 85/2016, căn cứ đã hết thời gian chuyển tiếp ngày 30/06/2027: cần phê duyệt lại cấp độ an toàn theo Nghị định 331/2026.',
    },
  },
  'nd331-2026': {
    'SECLEVEL-NOT-APPROVED': {
      en: 'System cong-dvc: security level not approved; missing approval.number.',
      vi: 'Hệ thống cong-dvc: cấp độ an toàn chưa được phê duyệt; còn thiếu approval.number.',
    },
    'SECLEVEL-APPRAISAL-MISSING': {
      en: "System cong-dvc (level 3): no complete appraisal opinion (number not declared, date '2026-07-13', document 'docs/appraisal.pdf'); required from level 3.",
      vi: "Hệ thống cong-dvc (cấp độ 3): chưa có đủ văn bản thẩm định (số chưa khai báo, ngày '13/07/2026', văn bản 'docs/appraisal.pdf'); bắt buộc từ cấp độ 3.",
    },
    'SECLEVEL-PLAN-MISSING': {
      en: "System cong-dvc: no level-based security plan (document 'docs/plan.pdf', present: no, status 'none').",
      vi: "Hệ thống cong-dvc: chưa có phương án bảo đảm an toàn thông tin theo cấp độ (văn bản 'docs/plan.pdf', có mặt: không, tình trạng 'chưa có').",
    },
    'SECLEVEL-PLAN-PARTIAL': {
      en: "System cong-dvc: security plan 2.0 is 'partial'; expected 'full'.",
      vi: 'Hệ thống cong-dvc: phương án 2.0 ở tình trạng một phần; yêu cầu triển khai đầy đủ (`full`).',
    },
    'SECLEVEL-REGULATION-MISSING': {
      en: 'System cong-dvc: no security regulation decision recorded (regulation.number and regulation.date); Decree 331/2026 requires the regulation before the level is approved.',
      vi: 'Hệ thống cong-dvc: chưa ghi nhận quyết định ban hành quy chế bảo đảm an toàn thông tin (regulation.number và regulation.date); Nghị định 331/2026 yêu cầu ban hành quy chế trước khi phê duyệt cấp độ.',
    },
    'SECLEVEL-ASSESSMENT-OVERDUE': {
      en: 'System cong-dvc (level 3): last periodic security assessment: 2024-09-11 (800 days ago); expected one within 365 days.',
      vi: 'Hệ thống cong-dvc (cấp độ 3): lần kiểm tra, đánh giá định kỳ gần nhất: 11/09/2024 (800 ngày trước); yêu cầu trong vòng 365 ngày.',
    },
    'SECLEVEL-LEVEL-MISMATCH': {
      en: 'System cong-dvc: inventory says level 2, approval decision says 3.',
      vi: 'Hệ thống cong-dvc: danh mục ghi cấp độ 2, quyết định phê duyệt ghi cấp độ 3.',
    },
    'SECLEVEL-ANNUAL-REPORT': {
      en: 'System cong-dvc (level 3): no yearly security report after 2025-11-30 for the deadline of 2026-11-30 (latest report: none recorded); level 3–5 owners report every year by 11-30 (month-day).',
      vi: 'Hệ thống cong-dvc (cấp độ 3): chưa có báo cáo hằng năm về an toàn thông tin sau ngày 30/11/2025 cho hạn 30/11/2026 (báo cáo gần nhất: chưa có); chủ quản hệ thống cấp độ 3–5 báo cáo hằng năm trước ngày 30/11.',
    },
    'SECLEVEL-NOT-DECLARED': {
      en: 'System cong-dvc: no security level declared (the inventory names no evidence manifest); expected level.proposed or level.approved 1–5.',
      vi: 'Hệ thống cong-dvc: chưa khai báo cấp độ an toàn (danh mục chưa khai báo tệp khai báo bằng chứng); yêu cầu có level.proposed hoặc level.approved từ 1 đến 5.',
    },
    'SECLEVEL-APPRAISER': {
      en: 'System cong-dvc (level 4): appraisal 12/TĐ (2026-09-01) by the Ministry of Information and Communications; under Decree 331/2026 a level 4–5 dossier is appraised by the Ministry of Public Security.',
      vi: 'Hệ thống cong-dvc (cấp độ 4): văn bản thẩm định 12/TĐ (01/09/2026) do Bộ Thông tin và Truyền thông thực hiện; theo Nghị định 331/2026, hồ sơ cấp độ 4–5 do Bộ Công an thẩm định.',
    },
    'SECLEVEL-VULNSCAN-OVERDUE': {
      en: 'System cong-dvc (level 3): latest vulnerability scan: 2026-01-24 (400 days ago); TCVN 14423:2026 asks for one within 183 days at this level.',
      vi: 'Hệ thống cong-dvc (cấp độ 3): lần rà quét lỗ hổng gần nhất: 24/01/2026 (400 ngày trước); TCVN 14423:2026 yêu cầu trong vòng 183 ngày ở cấp độ này.',
    },
    'SECLEVEL-LOGREVIEW-OVERDUE': {
      en: 'System cong-dvc (level 3): latest log review: 2026-01-24 (400 days ago); TCVN 14423:2026 asks for one within 183 days at this level.',
      vi: 'Hệ thống cong-dvc (cấp độ 3): lần rà soát nhật ký gần nhất: 24/01/2026 (400 ngày trước); TCVN 14423:2026 yêu cầu trong vòng 183 ngày ở cấp độ này.',
    },
    'SECLEVEL-PENTEST-OVERDUE': {
      en: 'System cong-dvc (level 3): no approved penetration-test programme recorded (penetrationTestProgramme: number and date).',
      vi: 'Hệ thống cong-dvc (cấp độ 3): chưa ghi nhận chương trình kiểm thử xâm nhập được phê duyệt (penetrationTestProgramme: số và ngày).',
    },
    'SECLEVEL-LOG-RETENTION': {
      en: 'System cong-dvc (level 3): log retention: 30 days; TCVN 14423:2026 asks for at least 90 days at this level.',
      vi: 'Hệ thống cong-dvc (cấp độ 3): thời gian lưu nhật ký: 30 ngày; TCVN 14423:2026 yêu cầu tối thiểu 90 ngày ở cấp độ này.',
    },
  },
};

describe.each([
  ['nd85-2016', ND85],
  ['nd331-2026', ND331],
] as const)('vn-%s on recorded evidence', (regime, cases) => {
  let pack: LoadedPolicy;
  beforeAll(async () => {
    pack = await builtinPack(`vn-${regime}`);
  });
  const run = (make: () => Recorded, now = RECORDED_AT) => judge(pack, underRegime(make(), regime), now);

  it.each(cases)('%s', (_name, make, expected, now) => {
    const findings = run(make, now);
    expect(findings.map((f) => f.ruleId).sort()).toEqual(pack.rules.map((r) => r.id).sort());
    expect(outcomesOf(findings)).toEqual(expected);
  });

  it('passes and fails every rule somewhere, with its message in both languages', () => {
    const rules = pack.rules.map((r) => r.id).sort();
    const passed = new Set<string>();
    const messages: Record<string, { en: string; vi: string }> = {};
    for (const [, make, , now] of cases) {
      for (const f of run(make, now)) {
        if (f.outcome === 'pass') passed.add(f.ruleId);
        if (f.outcome === 'fail') messages[f.ruleId] ??= f.message;
      }
    }
    expect([...passed].sort()).toEqual(rules);
    expect(Object.keys(messages).sort()).toEqual(rules);
    expect(messages).toEqual(MESSAGES[regime]);
    for (const [id, m] of Object.entries(messages)) expect(reviewVietnamese(m.vi, id)).toEqual([]);
  });

  it('without a manifest, says why in both languages', () => {
    const f = run(noManifest).find((x) => x.ruleId === 'SECLEVEL-NOT-APPROVED');
    expect(f?.outcome).toBe('not-tested');
    expect(f?.reasonText?.en).toMatch(/manifest/);
    expect(reviewVietnamese(f?.reasonText?.vi ?? '', 'reason')).toEqual([]);
  });
});
