// The table's post-quantum readiness line: how many TLS endpoints select a hybrid post-quantum key
// exchange, counted from the findings of the rules a pack tags `post-quantum` (TLS-PQ-KEX-MISSING),
// as the IPv6 section counts the IPv6 rules. Those rules are informational — severity info never
// reaches --fail-on — so this line is where their state is read at a glance. Pure.

import type { Finding, Lang, Report, RuleDescriptor } from '../core/types.js';
import { defineMessages, format } from '../core/i18n/index.js';

const READINESS_TAG = 'post-quantum';
/** Endpoints named on the "not ready" line before the rest is counted. */
const NAMED = 10;

const M = defineMessages({
  heading: {
    en: 'Post-quantum key exchange readiness (TLS endpoints selecting X25519MLKEM768 or another ML-KEM hybrid; informational, never fails a run)',
    vi: 'Mức sẵn sàng trao đổi khóa hậu lượng tử (điểm cuối TLS chọn X25519MLKEM768 hoặc nhóm lai ML-KEM khác; chỉ mang tính thông tin, không làm lần quét bị đánh giá không đạt)',
  },
  ready: { en: '{ready} of {judged} ready ({pct} %)', vi: '{ready} trên {judged} đã sẵn sàng ({pct} %)' },
  notReady: { en: 'not ready: {targets}', vi: 'chưa sẵn sàng: {targets}' },
  more: { en: '{targets} and {n} more', vi: '{targets} và {n} điểm cuối khác' },
  notTested: { en: 'not tested: {n}', vi: 'chưa kiểm tra được: {n}' },
});

/** The rules whose findings a lean report keeps even when they pass, so this line can count them. */
export function readinessRuleIds(rules: readonly Pick<RuleDescriptor, 'id' | 'tags'>[]): ReadonlySet<string> {
  return new Set(rules.filter((r) => r.tags.includes(READINESS_TAG)).map((r) => r.id));
}

export function pqReadinessLines(report: Pick<Report, 'rules' | 'findings'>, lang: Lang): string[] {
  const ids = readinessRuleIds(report.rules);
  if (!ids.size) return [];
  const state = new Map<string, Finding['outcome']>();
  for (const f of report.findings) {
    if (!ids.has(f.ruleId)) continue;
    // An endpoint is ready when every readiness rule passed on it; a failure outweighs a gap.
    const before = state.get(f.target);
    if (before === 'fail' || (before === 'not-tested' && f.outcome === 'pass')) continue;
    state.set(f.target, f.outcome);
  }
  const of = (outcome: Finding['outcome']): string[] => [...state].filter(([, o]) => o === outcome).map(([t]) => t);
  const ready = of('pass').length;
  const notReady = of('fail').sort();
  const judged = ready + notReady.length;
  const untested = of('not-tested').length;
  if (!judged && !untested) return [];
  const parts = [format(M.ready[lang], { ready, judged, pct: judged ? Math.round((100 * ready) / judged) : 0 })];
  if (notReady.length) {
    const named = notReady.slice(0, NAMED).join(', ');
    const targets = notReady.length > NAMED ? format(M.more[lang], { targets: named, n: notReady.length - NAMED }) : named;
    parts.push(format(M.notReady[lang], { targets }));
  }
  if (untested) parts.push(format(M.notTested[lang], { n: untested }));
  return [M.heading[lang], `  ${parts.join(' · ')}`];
}
