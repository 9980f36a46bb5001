// The security-level family (Directive 02/CT-TTg §1.o–p; Decree 85/2016/NĐ-CP, Decree 331/2026/NĐ-CP):
// the approval dossier and the evidence documents of every inventory system (it also owns the
// `evidence.` id: the document check reads the same manifest).

import type { CheckFamily } from '../../src/core/family.js';
import type { Check } from '../../src/core/types.js';
import { evidenceDocumentsCheck, seclevelDossierCheck } from './checks.js';

export const seclevelFamily: CheckFamily = {
  id: 'seclevel',
  idPrefixes: ['seclevel', 'evidence'],
  title: { en: 'Security level: approval dossier and evidence documents', vi: 'Cấp độ an toàn: hồ sơ phê duyệt và tài liệu bằng chứng' },
  checks: [seclevelDossierCheck as Check, evidenceDocumentsCheck as Check],
  options: [],
  packs: ['vn-nd85-2016', 'vn-nd331-2026', 'vn-ct14-2019'],
};
