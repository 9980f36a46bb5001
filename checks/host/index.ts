// The agent-host family: the machine govscan-agent runs on (`local://<hostname>`), never a `govscan
// scan` target. The registry holds a host check with nothing configured (enough for packs to name
// it); the agent swaps in one built from its config (./check.ts createHostCheck).

import type { CheckFamily } from '../../src/core/family.js';
import type { Check } from '../../src/core/types.js';
import { hostLocalCheck } from './check.js';

export const hostFamily: CheckFamily = {
  id: 'host',
  idPrefixes: ['host'],
  title: {
    en: 'Agent host: addresses, listeners, certificate files, log forwarders',
    vi: 'Máy chạy tác tử: địa chỉ, dịch vụ lắng nghe, tệp chứng thư số, chuyển tiếp nhật ký',
  },
  checks: [hostLocalCheck as Check],
  options: [],
  packs: ['vn-agent-host'],
};
