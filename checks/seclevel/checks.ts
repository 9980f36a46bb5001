// The security-level checks (Directive 02/CT-TTg §1.o–p; Decree 85/2016/NĐ-CP,
// Decree 331/2026/NĐ-CP) and of the evidence-document check, which reads every document of the same
// manifest (including the 4-layer ones) so integrity rules are judged once per document.

import type { Check, Target } from '../../src/core/types.js';
import type { DocumentsFacts, SeclevelFacts } from './facts.js';
import { documentsFactsSchema, seclevelFactsSchema } from './facts.schema.js';
import { lazyProbe } from '../../src/core/family.js';

// Every inventory system, with or without a manifest: no manifest is what SECLEVEL-NOT-DECLARED reports.
export const isInformationSystem = (t: Target): boolean => t.kind === 'system';

export const seclevelDossierCheck: Check<SeclevelFacts> = {
  id: 'seclevel.dossier',
  family: 'seclevel',
  title: {
    en: 'Security level: approval record and level-based security plan',
    vi: 'Cấp độ an toàn: hồ sơ phê duyệt và phương án bảo đảm an toàn thông tin theo cấp độ',
  },
  description: {
    en:
      "Reads the system's evidence manifest: proposed and approved level, appraisal opinion, approval decision, " +
      'level-based security plan and its status, security regulation, periodic assessments (with their age), ' +
      'the penetration-test programme, the declared log retention and the annual report. Documents are ' +
      'inspected by evidence.documents.',
    vi:
      'Đọc tệp khai báo bằng chứng của hệ thống: cấp độ đề xuất và được phê duyệt, ý kiến thẩm định, quyết định ' +
      'phê duyệt, phương án bảo đảm an toàn thông tin theo cấp độ và tình trạng triển khai, quy chế bảo đảm an toàn ' +
      'thông tin, các đợt kiểm tra, đánh giá định kỳ (và thời gian đã trôi qua), chương trình kiểm thử xâm nhập, ' +
      'thời gian lưu nhật ký đã khai báo và báo cáo hằng năm.',
  },
  appliesTo: isInformationSystem,
  run: lazyProbe(async () => (await import('./probe-dossier.js')).probeDossier),
  factsSchema: seclevelFactsSchema,
};

export const evidenceDocumentsCheck: Check<DocumentsFacts> = {
  id: 'evidence.documents',
  family: 'seclevel',
  title: {
    en: 'Evidence documents: present, of the claimed type, unmodified, signed',
    vi: 'Tài liệu bằng chứng: có mặt, đúng loại, không bị sửa đổi, có chữ ký số',
  },
  description: {
    en:
      "For every document the evidence manifest names: present and readable inside the manifest's folder, detected " +
      'type (PDF, CMS, text) against the claimed one, SHA-256 against the declared one, and its signature — embedded ' +
      'PDF (adbe.pkcs7.detached, ETSI.CAdES.detached; the byte range must cover the whole file) or a detached .p7s — ' +
      "verified with the signer's chain checked against the --ca-file anchors at signing time.",
    vi:
      'Với mỗi tài liệu nêu trong tệp khai báo: có mặt và đọc được trong thư mục của tệp khai báo, loại thực tế (PDF, ' +
      'CMS, văn bản) so với loại khai báo, SHA-256 so với giá trị khai báo, và chữ ký số — nhúng trong PDF ' +
      '(adbe.pkcs7.detached, ETSI.CAdES.detached; vùng ký phải bao toàn bộ tệp) hoặc tệp .p7s tách rời — được xác ' +
      'minh, chuỗi chứng thư của người ký được kiểm tra theo các chứng thư gốc --ca-file tại thời điểm ký.',
  },
  appliesTo: isInformationSystem,
  run: lazyProbe(async () => (await import('./probe-dossier.js')).probeDocuments),
  factsSchema: documentsFactsSchema,
};
