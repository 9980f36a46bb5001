// The 4-layer operation family (Directive 14/CT-TTg 07/06/2019, required by Directive 02/CT-TTg §1.o).

import type { CheckFamily } from '../../src/core/family.js';
import type { Check } from '../../src/core/types.js';
import { fourLayerCheck } from './checks.js';

export const fourLayerFamily: CheckFamily = {
  id: 'fourlayer',
  idPrefixes: ['fourlayer'],
  title: { en: '4-layer protection model', vi: 'Mô hình bảo vệ 4 lớp' },
  checks: [fourLayerCheck as Check],
  options: [],
  packs: ['vn-ct14-2019'],
};
