// Words the report writers print themselves (headings, labels, the summary line). Finding texts come
// from the policies; these are only the frame around them.

import { defineMessages } from '../core/i18n/index.js';
import type { Outcome, Severity } from '../core/types.js';

export const severityLabels = defineMessages<Severity>({
  critical: { en: 'critical', vi: 'nghiêm trọng' },
  high: { en: 'high', vi: 'cao' },
  medium: { en: 'medium', vi: 'trung bình' },
  low: { en: 'low', vi: 'thấp' },
  info: { en: 'info', vi: 'thông tin' },
});

/** Tags in front of a finding line in the table. */
export const outcomeTags = defineMessages<Outcome>({
  fail: { en: 'FAIL', vi: 'KHÔNG ĐẠT' },
  pass: { en: 'PASS', vi: 'ĐẠT' },
  'not-tested': { en: 'NOT TESTED', vi: 'CHƯA KIỂM TRA' },
  'not-applicable': { en: 'N/A', vi: 'KHÔNG ÁP DỤNG' },
  waived: { en: 'WAIVED', vi: 'MIỄN TRỪ' },
});

export const tableMessages = defineMessages({
  header: { en: 'govscan {version} · policies: {policies}', vi: 'govscan {version} · bộ quy tắc: {policies}' },
  headerAgency: { en: 'agency: {agency}', vi: 'cơ quan: {agency}' },
  noPolicies: { en: '(none)', vi: '(không có)' },
  system: { en: 'system: {system}', vi: 'hệ thống: {system}' },
  level: { en: 'level {level}', vi: 'cấp độ {level}' },
  declaredAt: { en: 'declared at: {location}', vi: 'khai báo tại: {location}' },
  noFailures: { en: 'no failed checks', vi: 'Tất cả tiêu chí đều đạt' },
  notTested: { en: 'not tested: {count}', vi: 'chưa kiểm tra: {count}' },
  unknownReason: { en: 'no reason given', vi: 'không rõ lý do' },
  targetsOne: { en: '{n} target', vi: '{n} đối tượng quét' },
  targetsMany: { en: '{n} targets', vi: '{n} đối tượng quét' },
  failed: { en: '{n} failed', vi: '{n} không đạt' },
  passed: { en: '{n} passed', vi: '{n} đạt' },
  notTestedCount: { en: '{n} not tested', vi: '{n} chưa kiểm tra' },
  notApplicableCount: { en: '{n} n/a', vi: '{n} không áp dụng' },
  waivedCount: { en: '{n} waived', vi: '{n} được miễn trừ' },
  noTargets: { en: 'no targets were scanned', vi: 'không có đối tượng quét nào được quét' },
});

export const sarifMessages = defineMessages({
  remediation: { en: 'Remediation', vi: 'Biện pháp khắc phục' },
  references: { en: 'References', vi: 'Tài liệu tham chiếu' },
  legalBasis: { en: 'Legal basis', vi: 'Căn cứ pháp lý' },
  uriBase: {
    en: 'The directory govscan ran in: inventory files, and the synthetic targets/<host>/<port> paths of targets given on the command line, are relative to it.',
    vi: 'Thư mục nơi govscan chạy: các tệp danh mục và đường dẫn giả lập targets/<host>/<port> của đối tượng quét nhập từ dòng lệnh đều tương đối theo thư mục này.',
  },
  resultsTruncated: {
    en: 'Results truncated: kept {kept} of {total}, most severe first (GitHub code scanning rejects runs with more than {max} results).',
    vi: 'Đã cắt bớt kết quả: giữ {kept}/{total}, ưu tiên mức nghiêm trọng cao (GitHub code scanning từ chối lượt chạy có hơn {max} kết quả).',
  },
  runsDropped: {
    en: 'Left out {count} policies ({ids}): GitHub code scanning rejects files with more than {max} runs.',
    vi: 'Đã bỏ {count} bộ quy tắc ({ids}): GitHub code scanning từ chối tệp có hơn {max} lượt chạy.',
  },
});

/** Labels for waivers and baselines in the table. */
export const gatingMessages = defineMessages({
  baselined: { en: '[in baseline]', vi: '[có trong báo cáo mốc (baseline)]' },
  waivedBy: { en: 'waiver {id}, until {expires}', vi: 'miễn trừ {id}, đến hết {expires}' },
  waiversHeading: { en: 'Waivers ({file}):', vi: 'Miễn trừ ({file}):' },
  waiverActive: { en: 'until {expires}', vi: 'đến hết {expires}' },
  waiverExpired: { en: 'EXPIRED on {expires}', vi: 'ĐÃ HẾT HẠN ngày {expires}' },
  waiverApprover: { en: 'approved by {approver}', vi: 'người phê duyệt: {approver}' },
  waiverCounts: { en: '{waived} waived, {expired} no longer waived', vi: '{waived} được miễn trừ, {expired} không còn được miễn trừ' },
  baselinedCount: { en: '{n} in baseline', vi: '{n} có trong báo cáo mốc (baseline)' },
});
