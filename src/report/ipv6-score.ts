// The per-domain IPv6 score in the manner of internet.nl: rules grouped into categories (web, name
// servers, mail), each category scored as the share of its judged rules that passed, the domain as the
// mean of its scored categories. Each rule names its category in its pack (`category:`), so a rule added
// to the pack counts as soon as it says where. Only pass and fail are judged: not-tested, not-applicable
// and waived neither help nor hurt, so a scanner without IPv6 cannot lower (or raise) a score. Pure:
// recorded findings in, scores out.

import type { Finding, Ipv6Category, RuleDescriptor, Target } from '../core/types.js';

/** The categories in the order a score lists them. */
const IPV6_CATEGORY_ORDER: readonly Ipv6Category[] = ['web', 'nameServers', 'mail'];

/** Rule id → category, for the rules that have one. */
export function ipv6Categories(rules: readonly Pick<RuleDescriptor, 'id' | 'category'>[]): ReadonlyMap<string, Ipv6Category> {
  return new Map(rules.flatMap((r) => (r.category ? [[r.id, r.category] as const] : [])));
}

interface Ipv6CategoryScore {
  category: Ipv6Category;
  /** 0–100, or null when no rule of the category was judged. */
  score: number | null;
  passed: number;
  failed: number;
  failedRules: string[];
}

export interface Ipv6DomainScore {
  domain: string;
  targets: string[];
  score: number | null;
  categories: Ipv6CategoryScore[];
}

/** Web hosts and their `www.` group under one domain. */
function domainOf(target: Pick<Target, 'host'>): string {
  return target.host.replace(/^www\./, '');
}

export class Ipv6ScoreCollector {
  constructor(private readonly categoryOf: ReadonlyMap<string, Ipv6Category>) {}

  private readonly byDomain = new Map<
    string,
    { targets: Set<string>; counts: Map<Ipv6Category, { passed: number; failed: number; failedRules: Set<string> }> }
  >();

  add(target: Pick<Target, 'host' | 'key'>, findings: readonly Finding[]): void {
    for (const f of findings) {
      const category = this.categoryOf.get(f.ruleId);
      if (!category || (f.outcome !== 'pass' && f.outcome !== 'fail')) continue;
      const domain = domainOf(target);
      let entry = this.byDomain.get(domain);
      if (!entry) {
        entry = { targets: new Set(), counts: new Map() };
        this.byDomain.set(domain, entry);
      }
      entry.targets.add(target.key);
      let c = entry.counts.get(category);
      if (!c) {
        c = { passed: 0, failed: 0, failedRules: new Set() };
        entry.counts.set(category, c);
      }
      if (f.outcome === 'pass') c.passed++;
      else {
        c.failed++;
        c.failedRules.add(f.ruleId);
      }
    }
  }

  result(): Ipv6DomainScore[] {
    return [...this.byDomain.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([domain, entry]) => {
        const categories = IPV6_CATEGORY_ORDER.map((category): Ipv6CategoryScore => {
          const c = entry.counts.get(category);
          const judged = (c?.passed ?? 0) + (c?.failed ?? 0);
          return {
            category,
            score: judged ? Math.round((100 * (c?.passed ?? 0)) / judged) : null,
            passed: c?.passed ?? 0,
            failed: c?.failed ?? 0,
            failedRules: [...(c?.failedRules ?? [])].sort(),
          };
        });
        const scored = categories.flatMap((c) => (c.score === null ? [] : [c.score]));
        return {
          domain,
          targets: [...entry.targets].sort(),
          score: scored.length ? Math.round(scored.reduce((a, b) => a + b, 0) / scored.length) : null,
          categories,
        };
      });
  }
}

/** Scores of a report written without them (a merged report), from its findings and its rules' categories. */
export function scoreIpv6(report: {
  targets: readonly Target[];
  findings: readonly Finding[];
  rules: readonly Pick<RuleDescriptor, 'id' | 'category'>[];
}): Ipv6DomainScore[] {
  const { targets, findings } = report;
  const byKey = new Map(targets.map((t) => [t.key, t] as const));
  const collector = new Ipv6ScoreCollector(ipv6Categories(report.rules));
  for (const f of findings) {
    const t = byKey.get(f.target);
    if (t) collector.add(t, [f]);
  }
  return collector.result();
}
