// How a value reads inside a sentence, per language: the one renderer behind message placeholders,
// so no language ever shows a raw `true`, an empty `''`, an ISO timestamp or `[object Object]`.

import type { Lang, Localized } from '../types.js';
import { defineMessages } from './index.js';
import { displayDate, displayInstant, isInstant } from './dates.js';
import { technicalText } from './technical.js';

export const VALUE_WORDS = defineMessages({
  yes: { en: 'yes', vi: 'có' },
  no: { en: 'no', vi: 'không' },
  notDeclared: { en: 'not declared', vi: 'chưa khai báo' },
  none: { en: 'none', vi: 'không có' },
  and: { en: 'and', vi: 'và' },
});

/**
 * Code values facts carry (statuses, verdicts) in Vietnamese; English shows the code itself, which is
 * also what policies and the JSON report test. Trust-path problem ids come from src/pki/problems.ts.
 */
const CODE_WORDS_VI: Record<string, string> = {
  full: 'đầy đủ',
  partial: 'một phần',
  none: 'chưa có',
  valid: 'hợp lệ',
  invalid: 'không hợp lệ',
  'unknown-issuer': 'không rõ tổ chức cấp',
  'not-checked': 'chưa kiểm tra',
  good: 'còn hiệu lực (good)',
  revoked: 'đã bị thu hồi (revoked)',
  unknown: 'không xác định (unknown)',
  issuer: 'tổ chức cấp',
  delegated: 'máy chủ OCSP được ủy quyền',
  public: 'kho chứng thư gốc công khai',
  custom: 'kho chứng thư gốc tin cậy bổ sung (--ca-file)',
  // IPv6 address classes (checks/ipv6/facts.ts)
  global: 'toàn cầu',
  documentation: 'dành cho tài liệu',
  private: 'riêng',
  shared: 'dùng chung',
  other: 'khác',
  rsa: 'RSA',
  ec: 'EC',
};

/** Code values with their words, from the module that owns the vocabulary (e.g. trust-path problems). */
export type CodeWords = Readonly<Record<string, Localized>>;

/** Items as a reader lists them: "a, b and c" / "a, b và c". */
export function joinList(items: readonly string[], lang: Lang): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${VALUE_WORDS.and[lang]} ${items.at(-1) ?? ''}`;
}

/** A number as written in the language: Vietnamese uses a decimal comma (92,5). */
function displayNumber(n: number, lang: Lang): string {
  if (!Number.isFinite(n)) return VALUE_WORDS.notDeclared[lang];
  const text = Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
  return lang === 'vi' ? text.replace('.', ',') : text;
}

export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (typeof value === 'number' && Number.isNaN(value));
}

function isLocalized(value: object): value is Localized {
  const keys = Object.keys(value);
  return keys.length === 2 && typeof (value as Localized).en === 'string' && typeof (value as Localized).vi === 'string';
}

/** The value in words of `lang`; `codes` names code values a caller's vocabulary knows. */
export function displayValue(value: unknown, lang: Lang, codes: CodeWords = {}): string {
  if (isEmptyValue(value)) return VALUE_WORDS.notDeclared[lang];
  if (typeof value === 'boolean') return (value ? VALUE_WORDS.yes : VALUE_WORDS.no)[lang];
  if (typeof value === 'number') return displayNumber(value, lang);
  // Facts are JSON: anything else is a probe's bug, and the rule showing it is not judged.
  if (typeof value === 'bigint') throw new TypeError('a BigInt is not a JSON value');
  if (typeof value === 'string') return displayString(value, lang, codes);
  if (Array.isArray(value))
    return value.length
      ? joinList(
          value.map((v) => displayValue(v, lang, codes)),
          lang,
        )
      : VALUE_WORDS.none[lang];
  if (typeof value === 'object' && value !== null) {
    if (isLocalized(value)) return value[lang] || value.en;
    const parts = Object.entries(value).map(([k, v]) => `${k}: ${displayValue(v, lang, codes)}`);
    return parts.length ? parts.join('; ') : VALUE_WORDS.none[lang];
  }
  return String(value);
}

function displayString(text: string, lang: Lang, codes: CodeWords): string {
  if (isInstant(text)) return displayInstant(text, lang);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return displayDate(text, lang);
  if (lang === 'en') return text;
  const word =
    (Object.hasOwn(codes, text) ? codes[text]?.vi : undefined) ?? (Object.hasOwn(CODE_WORDS_VI, text) ? CODE_WORDS_VI[text] : undefined);
  if (word) return word;
  return datesInText(technicalText(text)?.vi ?? text);
}

// Dates inside a longer text a rule built (`'2026-10-25 payment gateway'`), but not inside a file name or id.
const DATE_IN_TEXT = /(?<![\w/.-])(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?Z)?(?![\w/-])/g;

function datesInText(text: string): string {
  return text.replace(DATE_IN_TEXT, (_, y: string, mo: string, d: string, h?: string, mi?: string) =>
    h ? `${d}/${mo}/${y} ${h}:${mi ?? '00'} UTC` : `${d}/${mo}/${y}`,
  );
}
