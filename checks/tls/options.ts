// The TLS family's own `scan` flag and how its value reaches the probe (ctx.tls). The English text is
// that of `govscan scan --help`, the Vietnamese that of `GOVSCAN_LANG=vi govscan scan --help`.

import { optionValue, type FamilyOption, type FamilyOptionValues } from '../../src/core/family.js';
import type { TlsProbeSettings } from '../../src/core/types.js';

const QUICK: FamilyOption = {
  name: 'tls-quick',
  kind: 'boolean',
  default: false,
  help: {
    en: 'TLS: check versions, certificates and trust only (four connections per endpoint); skip enumerating every cipher suite, group and protocol weakness',
    vi: 'TLS: chỉ kiểm tra phiên bản giao thức, chứng thư số và độ tin cậy (bốn kết nối cho mỗi điểm cuối); bỏ qua việc liệt kê mọi bộ mã hóa, nhóm trao đổi khóa và điểm yếu giao thức',
  },
};

export const TLS_OPTIONS: readonly FamilyOption[] = [QUICK];

/** What the flags ask of the TLS probe. */
export function tlsSettings(values: FamilyOptionValues): TlsProbeSettings {
  return { quick: optionValue(QUICK, values) === true };
}
