// scan's flags choosing what is evaluated and what is reported (semantics in policy/rule-filter.ts).

import { Flags } from '@oclif/core';
import { SEVERITIES } from '../core/types.js';
import { repeatable } from './base.js';

export const FILTER_FLAGS = {
  severity: Flags.option({
    options: SEVERITIES,
    multiple: true,
    multipleNonGreedy: true,
    delimiter: ',',
    helpValue: 'LEVEL[,…]',
    description:
      'Report only findings of these severities (comma-separated or repeated); the others are left out of every report and cannot fail the run (as Trivy --severity)',
  })(),
  rule: repeatable({
    helpValue: 'GLOB',
    description: 'Evaluate only the rules whose id matches GLOB (* and ?; repeatable; as Checkov --check)',
  }),
  'skip-rule': repeatable({
    helpValue: 'GLOB',
    description: 'Do not evaluate the rules whose id matches GLOB (repeatable; wins over --rule; as Checkov --skip-check)',
  }),
};
