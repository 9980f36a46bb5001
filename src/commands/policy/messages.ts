// What `govscan policy list` and `policy show` print around the packs' own texts, in both languages.

import type { Lang } from '../../core/types.js';
import { displayDate } from '../../core/i18n/dates.js';
import { defineMessages, format } from '../../core/i18n/index.js';

export const POLICY_COMMAND_MESSAGES = defineMessages({
  rules: { en: '{count} rules', vi: '{count} quy tắc' },
  between: { en: 'effective {from} – {to}', vi: 'hiệu lực {from} – {to}' },
  from: { en: 'effective from {from}', vi: 'hiệu lực từ {from}' },
  until: { en: 'effective until {to}', vi: 'hiệu lực đến {to}' },
  always: { en: 'no effective dates', vi: 'không giới hạn thời gian hiệu lực' },
  agentOnly: { en: 'agent runs only', vi: 'chỉ dùng cho tác tử' },
  regime: { en: 'security-level regime {id}', vi: 'căn cứ pháp lý về cấp độ {id}' },
  replaces: { en: 'replaces {id}', vi: 'thay thế {id}' },
  legalBasis: { en: 'Legal basis', vi: 'Căn cứ pháp lý' },
  parameters: { en: 'Parameters (change with --param {pack}:NAME=VALUE)', vi: 'Tham số (điều chỉnh bằng --param {pack}:NAME=VALUE)' },
  param: { en: '{name} = {value} ({expected})', vi: '{name} = {value} ({expected})' },
  secondary: { en: 'secondary source: check it', vi: 'nguồn thứ cấp: cần kiểm tra lại' },
  rulesHeading: { en: 'Rules', vi: 'Các quy tắc' },
  asOf: { en: 'State as of {date}.', vi: 'Tình trạng tính đến ngày {date}.' },
});

/** A pack's effective dates in words: "effective 2016-07-01 – 2027-06-30", "hiệu lực từ 19/08/2026". */
export function effectiveText(effective: { from?: string; to?: string }, lang: Lang): string {
  const M = POLICY_COMMAND_MESSAGES;
  const from = effective.from ? displayDate(effective.from, lang) : undefined;
  const to = effective.to ? displayDate(effective.to, lang) : undefined;
  if (from && to) return format(M.between[lang], { from, to });
  if (from) return format(M.from[lang], { from });
  return to ? format(M.until[lang], { to }) : M.always[lang];
}
