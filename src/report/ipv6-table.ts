// The table's "IPv6 readiness by domain" section: one line per domain with its score per category
// and the rules that failed there.

import type { Lang, Report } from '../core/types.js';
import { defineMessages, format } from '../core/i18n/index.js';
import { scoreIpv6 } from './ipv6-score.js';
import { largest } from './text.js';

const M = defineMessages({
  heading: {
    en: 'IPv6 readiness by domain (score: share of judged IPv6 rules passed, per category; overall: their mean)',
    vi: 'Mức sẵn sàng IPv6 theo tên miền (điểm: tỷ lệ quy tắc IPv6 đạt trong số được đánh giá, theo nhóm; tổng: trung bình các nhóm)',
  },
  web: { en: 'web', vi: 'web' },
  nameServers: { en: 'name servers', vi: 'máy chủ tên miền' },
  mail: { en: 'mail', vi: 'thư điện tử' },
  overall: { en: 'overall {score}', vi: 'tổng {score}' },
});

const pct = (n: number | null): string => (n === null ? '—' : `${n} %`);

export function ipv6ScoreLines(report: Report, lang: Lang): string[] {
  const scores = report.ipv6Scores ?? scoreIpv6(report);
  if (!scores.length) return [];
  const width = largest(scores, (s) => s.domain.length);
  const lines = [M.heading[lang]];
  for (const d of scores) {
    const parts = d.categories.map((c) => {
      const failed = c.failedRules.length ? ` (${c.failedRules.join(', ')})` : '';
      return `${M[c.category][lang]} ${pct(c.score)}${failed}`;
    });
    lines.push(`  ${d.domain.padEnd(width)}  ${parts.join(' · ')} · ${format(M.overall[lang], { score: pct(d.score) })}`);
  }
  return lines;
}
