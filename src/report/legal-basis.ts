// The legal basis of each system and the pack parameters a run changed, as every report writer shows
// them: one source of wording so table, HTML, JUnit and SARIF say the same thing in both languages.

import type { Lang, Report, ReportParam, SystemLegalBasis, Target } from '../core/types.js';
import { displayDate } from '../core/i18n/dates.js';
import { defineMessages, format } from '../core/i18n/index.js';

export const legalBasisMessages = defineMessages({
  legalBasis: { en: 'legal basis: {id} ({policy}) — {reason}', vi: 'căn cứ pháp lý: {id} ({policy}) — {reason}' },
  heading: { en: 'Legal basis by system', vi: 'Căn cứ pháp lý theo hệ thống' },
  colSystem: { en: 'System', vi: 'Hệ thống' },
  colRegime: { en: 'Legal basis', vi: 'Căn cứ pháp lý' },
  colReason: { en: 'Why', vi: 'Lý do' },
  paramsHeading: { en: 'Parameters changed for this run', vi: 'Tham số được điều chỉnh trong lần quét này' },
  param: {
    en: '{policy}:{name} = {value} (default {default}; {source}{secondary})',
    vi: '{policy}:{name} = {value} (mặc định {default}; {source}{secondary})',
  },
  fromFlag: { en: 'set with --param', vi: 'đặt bằng --param' },
  fromInventory: { en: 'set in the inventory', vi: 'đặt trong danh mục hệ thống' },
  secondary: { en: '; the default is known only from secondary sources', vi: '; giá trị mặc định chỉ có từ nguồn thứ cấp' },
});

export const regimeStateLabels = defineMessages<SystemLegalBasis['state']>({
  'not-yet': { en: 'not yet in effect', vi: 'chưa có hiệu lực' },
  'in-effect': { en: 'in effect', vi: 'đang có hiệu lực' },
  'in-transition': { en: 'in transition', vi: 'trong thời gian chuyển tiếp' },
  ended: { en: 'ended', vi: 'đã hết hiệu lực' },
});

/** `legal basis: nd85-2016 (vn-nd85-2016) — why`, with the regime's state when it is not simply in effect. */
export function legalBasisLine(basis: SystemLegalBasis, lang: Lang): string {
  const line = format(legalBasisMessages.legalBasis[lang], {
    id: basis.id,
    policy: basis.policy,
    reason: basis.reason[lang] || basis.reason.en,
  });
  return basis.state === 'in-effect' ? line : `${line} [${regimeStateLabels[basis.state][lang]}]`;
}

/** Each system of the report once, with the regime that judged it (the system:// targets carry it). */
export function systemLegalBases(report: Pick<Report, 'targets'>): { system: string; name?: string; basis: SystemLegalBasis }[] {
  const seen = new Map<string, { system: string; name?: string; basis: SystemLegalBasis }>();
  for (const t of report.targets) {
    const basis = t.system?.legalBasis;
    if (!t.system || !basis || seen.has(t.system.id)) continue;
    seen.set(t.system.id, { system: t.system.id, ...(t.system.name ? { name: t.system.name } : {}), basis });
  }
  return [...seen.values()];
}

/** The regime line of a target's detail, for system targets only (its endpoints say it once, there). */
export function targetLegalBasis(target: Target | undefined, lang: Lang): string {
  const basis = target?.kind === 'system' ? target.system?.legalBasis : undefined;
  return basis ? legalBasisLine(basis, lang) : '';
}

/** One line per changed parameter. */
export function paramLines(params: readonly ReportParam[] | undefined, lang: Lang): string[] {
  const m = legalBasisMessages;
  return (params ?? []).map((p) =>
    format(m.param[lang], {
      policy: p.policy,
      name: p.name,
      value: paramValue(p.value, lang),
      default: paramValue(p.default, lang),
      source: (p.source === 'flag' ? m.fromFlag : m.fromInventory)[lang],
      secondary: p.secondary ? m.secondary[lang] : '',
    }),
  );
}

/** A parameter value for a reader: dates per language, yes/no in Vietnamese for booleans. */
export function paramValue(v: number | string | boolean, lang: Lang): string {
  if (typeof v === 'boolean') return lang === 'vi' ? (v ? 'có' : 'không') : String(v);
  return typeof v === 'string' ? displayDate(v, lang) : String(v);
}
