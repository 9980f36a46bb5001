// Reasons the engine gives for a target it could not probe, in both languages: they become the
// "not tested" reasons of every rule that needed the target.

import { defineMessages, format } from './i18n/index.js';
import type { Localized } from './types.js';

export const ENGINE_MESSAGES = defineMessages({
  cannotResolve: { en: 'cannot resolve {name}: {why}', vi: 'không phân giải được tên {name}: {why}' },
  cannotResolveWith: {
    en: 'cannot resolve {name} with {servers}: {why}',
    vi: 'không phân giải được tên {name} qua máy chủ DNS {servers}: {why}',
  },
  lookupFailed: { en: 'DNS lookup {question} failed: {why}', vi: 'truy vấn DNS {question} không thành công: {why}' },
  notFound: { en: '{name} does not exist in DNS (NXDOMAIN)', vi: 'tên {name} không tồn tại trên DNS (NXDOMAIN)' },
  nxdomain: { en: 'the name does not exist in DNS (NXDOMAIN)', vi: 'tên không tồn tại trên DNS (NXDOMAIN)' },
  noAddress: { en: 'DNS has no A or AAAA record for it', vi: 'DNS không có bản ghi A hoặc AAAA cho tên này' },
  refused: { en: 'the DNS server refused the connection ({code})', vi: 'máy chủ DNS từ chối kết nối ({code})' },
  noAnswer: { en: 'no answer from the DNS server ({code})', vi: 'máy chủ DNS không trả lời ({code})' },
  dnsError: { en: 'the DNS server answered with an error ({code})', vi: 'máy chủ DNS trả lời lỗi ({code})' },
});

/** Why a lookup found no address, from the error code node:dns gave (undefined: it found no record). */
export function dnsFailure(code: string | undefined): Localized {
  const M = ENGINE_MESSAGES;
  if (code === undefined || code === 'ENODATA') return M.noAddress;
  if (code === 'ENOTFOUND') return M.nxdomain;
  const text = code === 'ECONNREFUSED' ? M.refused : code === 'ETIMEOUT' || code === 'ECONNRESET' ? M.noAnswer : M.dnsError;
  return { en: format(text.en, { code }), vi: format(text.vi, { code }) };
}

/** A template filled in both languages; `localized` values are taken in the matching language. */
export function fillBoth(template: Localized, params: Record<string, string | Localized>): Localized {
  const pick = (lang: 'en' | 'vi'): Record<string, string> =>
    Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : v[lang]]));
  return { en: format(template.en, pick('en')), vi: format(template.vi, pick('vi')) };
}
