// The per-domain IPv6 score in the manner of internet.nl: rules grouped into categories (web, name
// servers, mail), each category scored as the share of its judged rules that passed, the domain as the
// mean of its scored categories. Only pass and fail are judged: not-tested, not-applicable and waived
// neither help nor hurt, so a scanner without IPv6 cannot lower (or raise) a score. Pure: recorded
// findings in, scores out.

import type { Finding, Target } from '../core/types.js';

export const IPV6_CATEGORIES = {
  web: ['IPV6-WEB-AAAA', 'IPV6-WEB-REACH', 'IPV6-WEB-SAME-SITE', 'IPV6-AAAA-NON-GLOBAL', 'IPV6-PORT-PARITY'],
  nameServers: ['IPV6-NS-AAAA', 'IPV6-NS-REACH', 'IPV6-NS-NON-GLOBAL'],
  mail: ['IPV6-MX-AAAA', 'IPV6-MX-REACH', 'IPV6-MX-NON-GLOBAL'],
} as const;
export type Ipv6Category = keyof typeof IPV6_CATEGORIES;
const CATEGORY_OF = new Map<string, Ipv6Category>(
  (Object.entries(IPV6_CATEGORIES) as [Ipv6Category, readonly string[]][]).flatMap(([c, ids]) => ids.map((id) => [id, c] as const)),
);

export interface Ipv6CategoryScore {
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
export function domainOf(target: Pick<Target, 'host'>): string {
  return target.host.replace(/^www\./, '');
}

export class Ipv6ScoreCollector {
  private readonly byDomain = new Map<string, { targets: Set<string>; counts: Map<Ipv6Category, { passed: number; failed: number; failedRules: Set<string> }> }>();

  add(target: Pick<Target, 'host' | 'key'>, findings: readonly Finding[]): void {
    for (const f of findings) {
      const category = CATEGORY_OF.get(f.ruleId);
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
        const categories = (Object.keys(IPV6_CATEGORIES) as Ipv6Category[]).map((category): Ipv6CategoryScore => {
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

export function scoreIpv6(targets: readonly Target[], findings: readonly Finding[]): Ipv6DomainScore[] {
  const byKey = new Map(targets.map((t) => [t.key, t] as const));
  const collector = new Ipv6ScoreCollector();
  for (const f of findings) {
    const t = byKey.get(f.target);
    if (t) collector.add(t, [f]);
  }
  return collector.result();
}
