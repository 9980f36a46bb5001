// The 4-layer operation check (Directive 14/CT-TTg 07/06/2019, required by
// Directive 02/CT-TTg §1.o). Live probes dial only the endpoints the agency declares.

import type { Check } from '../../src/core/types.js';
import { isInformationSystem } from '../seclevel/checks.js';
import type { FourLayerFacts } from './facts.js';
import { fourLayerFactsSchema } from './facts.schema.js';
import { lazyProbe } from '../../src/core/family.js';

export const fourLayerCheck: Check<FourLayerFacts> = {
  id: 'fourlayer.evidence',
  family: 'fourlayer',
  title: {
    en: '4-layer protection model: on-site, monitoring, assessment, NCSC connection',
    vi: 'Mô hình bảo vệ 4 lớp: tại chỗ, giám sát, kiểm tra đánh giá, kết nối NCSC',
  },
  description: {
    en:
      'Reads the 4-layer evidence of the manifest (on-site appointment and staff; monitoring provider, contract ' +
      'and its validity, monitoring data kept and the latest daily, weekly and 6-monthly reports; latest periodic ' +
      'and independent assessment; go-live and recorded changes; NCSC connection confirmation) and, for layers 2 and 4, ' +
      'opens one TCP connection to the declared collector and NCSC endpoint and checks the forwarder ' +
      'configuration names them.',
    vi:
      'Đọc bằng chứng 4 lớp trong tệp khai báo (quyết định phân công và nhân sự tại chỗ; đơn vị giám sát, hợp đồng ' +
      'và thời hạn, thời gian lưu dữ liệu giám sát và báo cáo hằng ngày, hằng tuần, 6 tháng gần nhất; lần kiểm tra, ' +
      'đánh giá định kỳ và độc lập gần nhất; ngày đưa vào vận hành và các thay đổi đã ghi nhận; xác nhận kết nối với ' +
      'NCSC) và, với lớp 2 và lớp 4, mở ' +
      'một kết nối TCP tới điểm thu thập và điểm kết nối NCSC đã khai báo, kiểm tra cấu hình chuyển tiếp nhật ký ' +
      'có trỏ tới đó.',
  },
  appliesTo: isInformationSystem,
  run: lazyProbe(async () => (await import('./probe-layers.js')).probeLayers),
  factsSchema: fourLayerFactsSchema,
};
