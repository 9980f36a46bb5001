// `govscan evidence init`: a commented manifest (comments in Vietnamese and English) listing what
// the chosen level needs under the chosen regime. Every value left to fill is empty or a
// placeholder the schema accepts, so `evidence verify` on it lists exactly what is missing.

import type { LegalBasisId } from './manifest.js';

export interface ScaffoldInput {
  system: string;
  level: number;
  legalBasis: LegalBasisId;
}

export function scaffoldManifest(input: ScaffoldInput): string {
  const { system, level, legalBasis } = input;
  const nd331 = legalBasis === 'nd331-2026';
  const appraisal = level >= 3;
  const lines: string[] = [
    `# Evidence manifest for ${system} — security level ${level}, legal basis ${legalBasis}.`,
    `# Tệp khai báo bằng chứng cho ${system} — cấp độ ${level}, căn cứ pháp lý ${legalBasis}.`,
    '#',
    '# Document paths are relative to this file and must stay inside its folder; add sha256 to pin a',
    '# document, and keep a signed PDF or a detached <document>.p7s beside it.',
    '# Đường dẫn tài liệu tính từ thư mục của tệp này và không được ra ngoài thư mục đó; thêm sha256 để',
    '# cố định nội dung, và dùng PDF có chữ ký số hoặc tệp <tài liệu>.p7s đặt cạnh tài liệu.',
    '#',
    '# Check it with / Kiểm tra bằng: govscan evidence verify <this file> --ca-file <root CA>',
    'apiVersion: govscan/v1',
    'kind: Evidence',
    `legalBasis: ${legalBasis}`,
    'system:',
    `  id: ${system}`,
    '  # name / tên hệ thống; owner / chủ quản; operator / đơn vị vận hành; specialised unit / đơn vị chuyên trách ATTT',
    '  # name: ""',
    '  # owner: ""',
    '  # operator: ""',
    '  # specialisedUnit: ""',
    'level:',
    `  proposed: ${level}`,
    '  # Fill when the approval decision is signed / Điền khi có quyết định phê duyệt:',
    `  # approved: ${level}`,
    `  # criterion: "${nd331 ? 'Decree 331/2026' : 'Decree 85/2016 Art. ' + String(6 + level)}"`,
  ];
  if (appraisal) {
    lines.push(
      `# Required from level 3: appraisal opinion${level >= 4 ? (nd331 ? ' by the Ministry of Public Security' : ' by the national authority') : ''} (Form 04).`,
      `# Bắt buộc từ cấp độ 3: văn bản thẩm định${level >= 4 ? (nd331 ? ' của Bộ Công an' : ' của cơ quan chức năng cấp quốc gia') : ''} (Mẫu 04).`,
      'appraisal: {}',
      '  # number: ""',
      '  # date: YYYY-MM-DD',
      '  # document: { path: docs/appraisal.pdf, type: signed-pdf }',
    );
    if (level >= 4) {
      lines.push(
        '  # Who appraised it / Cơ quan thẩm định: ministry-of-public-security (Bộ Công an) | ministry-of-information-and-communications (Bộ TT&TT, before 03/2025 / trước 03/2025)',
        '  # authority: ministry-of-public-security',
      );
    }
  }
  if (nd331) {
    lines.push(
      '# Decree 331/2026: the security regulation must be issued BEFORE the level is approved.',
      '# Nghị định 331/2026: quy chế bảo đảm ATTT phải ban hành TRƯỚC khi phê duyệt cấp độ.',
    );
  }
  lines.push(
    '# Security regulation decision / Quyết định ban hành quy chế bảo đảm an toàn thông tin:',
    'regulation: {}',
    '  # number: ""',
    '  # date: YYYY-MM-DD',
    '  # document: { path: docs/regulation.pdf, type: signed-pdf }',
    '# Approval decision (Form 06), signed by the owner / Quyết định phê duyệt cấp độ (Mẫu 06) do chủ quản ký:',
    'approval: {}',
    '  # number: ""',
    '  # date: YYYY-MM-DD',
    '  # signer: ""',
    '  # document: { path: docs/approval.pdf, type: signed-pdf }',
    '# Level-based security plan; status full | partial | none / Phương án theo cấp độ; tình trạng full | partial | none:',
    'plan:',
    '  status: none',
    '  # version: "1.0"',
    '  # document: { path: docs/plan.pdf, type: pdf }',
  );
  lines.push(
    '# Directive 02/CT-TTg §1.o: assess the system before it goes live and after each upgrade or change.',
    '# Mục 1.o Chỉ thị 02/CT-TTg: kiểm tra, đánh giá an toàn thông tin trước khi đưa vào vận hành và sau mỗi lần nâng cấp, thay đổi.',
    '# goLive: { date: YYYY-MM-DD }',
    '# Each change put into operation / Mỗi thay đổi đã đưa vào vận hành:',
    '#   - { date: YYYY-MM-DD, description: "…" }',
    'changes: []',
  );
  if (nd331 && level === 3) {
    lines.push(
      '# TCVN 14423:2026 at level 3: penetration tests under an approved programme / ở cấp độ 3: kiểm thử xâm nhập theo chương trình được phê duyệt:',
      'penetrationTestProgramme: {}',
      '  # number: ""',
      '  # date: YYYY-MM-DD',
      '  # document: { path: docs/pentest-programme.pdf, type: signed-pdf }',
    );
  }
  if (nd331 && level >= 2) {
    const months = ['', '', '1', '3', '6', '12'][level];
    lines.push(
      `# TCVN 14423:2026 at level ${level}: keep logs at least ${months} month(s) / ở cấp độ ${level}: lưu nhật ký tối thiểu ${months} tháng.`,
      'logging: {}',
      '  # retentionDays: 90',
    );
  }
  if (level >= 3) {
    lines.push(
      '# Levels 3–5: yearly security report (by 30/11) / Cấp độ 3–5: báo cáo hằng năm về an toàn thông tin (trước 30/11):',
      'annualReport: {}',
      '  # date: YYYY-MM-DD',
      '  # document: { path: docs/annual-report.pdf, type: signed-pdf }',
    );
  }
  lines.push(...assessmentHints(level, nd331));
  lines.push(
    'assessments: []',
    '# 4-layer protection model (Directive 14/CT-TTg 2019) / Mô hình bảo vệ 4 lớp (Chỉ thị 14/CT-TTg năm 2019):',
    'layers:',
    '  # Layer 1: on-site force appointment decision and named staff / Lớp 1: quyết định phân công và nhân sự tại chỗ',
    '  onsite:',
    '    # decision: { number: "", date: YYYY-MM-DD, document: { path: docs/onsite.pdf, type: signed-pdf } }',
    '    staff: []',
    '    # onCall: "+84 …"',
    '  # Layer 2: monitoring provider, contract valid today, log forwarder and its collector (host:port)',
    '  # Lớp 2: đơn vị giám sát, hợp đồng còn hiệu lực, bộ chuyển tiếp nhật ký và điểm thu thập (host:port)',
    '  monitoring: {}',
    '    # provider: ""',
    '    # contract: { number: "", validFrom: YYYY-MM-DD, validTo: YYYY-MM-DD, document: { path: docs/soc-contract.pdf } }',
    '    # forwarder: { endpoint: "collector.example.gov.vn:6514", config: { path: config/rsyslog.conf, type: text } }',
    ...(level >= 3
      ? [
          '    # Level 3 and above: at least 30 days of monitoring data; daily, weekly and 6-monthly reports.',
          '    # Từ cấp độ 3: lưu dữ liệu giám sát tối thiểu 30 ngày; báo cáo hằng ngày, hằng tuần và 6 tháng.',
          '    # dataRetentionDays: 30',
          '    # reports: { daily: { date: YYYY-MM-DD }, weekly: { date: YYYY-MM-DD }, sixMonthly: { date: YYYY-MM-DD, document: { path: docs/soc-6m.pdf } } }',
        ]
      : []),
    '  # Layer 3 is the independent assessments above / Lớp 3 là các lần đánh giá độc lập ở mục assessments',
    '  # Layer 4: connection and information sharing with the National Cyber Security Monitoring Centre (NCSC)',
    '  # Lớp 4: kết nối, chia sẻ thông tin với Trung tâm Giám sát an toàn không gian mạng quốc gia (NCSC)',
    '  ncsc: {}',
    '    # confirmation: { number: "", date: YYYY-MM-DD, document: { path: docs/ncsc.pdf, type: signed-pdf } }',
    '    # forwarder: { endpoint: "ncsc-gateway.example.vn:443" }',
    '',
  );
  return lines.join('\n');
}

function assessmentHints(level: number, nd331: boolean): string[] {
  if (nd331) {
    const scan = ['yearly', 'yearly', 'every 6 months', 'every 6 months', 'quarterly'][level - 1];
    const scanVi = ['hằng năm', 'hằng năm', '6 tháng một lần', '6 tháng một lần', 'hằng quý'][level - 1];
    const log = ['yearly', 'yearly', 'every 6 months', 'monthly', 'monthly'][level - 1];
    const logVi = ['hằng năm', 'hằng năm', '6 tháng một lần', 'hằng tháng', 'hằng tháng'][level - 1];
    const pen = level === 5 ? 'every 6 months' : level === 4 ? 'yearly' : null;
    const penVi = level === 5 ? '6 tháng một lần' : level === 4 ? 'hằng năm' : null;
    return [
      `# TCVN 14423:2026 at level ${level}: vulnerability scan ${scan}; log review ${log}${pen ? `; penetration test ${pen}` : ''}.`,
      `# TCVN 14423:2026 ở cấp độ ${level}: rà quét lỗ hổng ${scanVi}; rà soát nhật ký ${logVi}${penVi ? `; kiểm thử xâm nhập ${penVi}` : ''}.`,
      '# One entry per activity / Mỗi hoạt động một mục:',
      '#   - { kind: vulnerability-scan, date: YYYY-MM-DD, assessor: "", licence: "", report: { path: docs/scan.pdf } }',
      '#   - { kind: log-review, date: YYYY-MM-DD }',
      ...(pen ? ['#   - { kind: penetration-test, date: YYYY-MM-DD, assessor: "", licence: "", report: { path: docs/pentest.pdf } }'] : []),
      '#   - { kind: security-assessment, date: YYYY-MM-DD, assessor: "", licence: "", report: { path: docs/assessment.pdf } }',
    ];
  }
  const period = level >= 5 ? 'every 6 months' : level >= 3 ? 'yearly' : 'every 2 years';
  const periodVi = level >= 5 ? '6 tháng một lần' : level >= 3 ? 'hằng năm' : '2 năm một lần';
  return [
    `# Decree 85/2016 Art. 20: periodic assessment ${period}${level >= 3 ? ' by a licensed organisation' : ''}.`,
    `# Điều 20 Nghị định 85/2016: kiểm tra, đánh giá định kỳ ${periodVi}${level >= 3 ? ' do tổ chức được cấp phép thực hiện' : ''}.`,
    '#   - { kind: security-assessment, date: YYYY-MM-DD, assessor: "", licence: "", report: { path: docs/assessment.pdf } }',
  ];
}
