// What reporters need to know about rules and packs independently of any result.

import type { PolicyRef, RuleDescriptor } from '../core/types.js';
import type { LoadedPolicy } from './types.js';

export function describeRules(policies: readonly LoadedPolicy[]): RuleDescriptor[] {
  return policies.flatMap((p) =>
    p.rules.map((r) => ({
      id: r.id,
      policyId: p.id,
      check: r.check,
      severity: r.severity,
      title: { ...r.title },
      description: { ...r.description },
      remediation: { ...r.remediation },
      references: [...r.references],
      tags: [...r.tags],
      ...(r.category ? { category: r.category } : {}),
    })),
  );
}

export function policyRefs(policies: readonly LoadedPolicy[]): PolicyRef[] {
  return policies.map((p) => ({
    id: p.id,
    version: p.version,
    title: { ...p.title },
    legalBasis: [...p.legalBasis],
    effective: { ...p.effective },
    source: p.source,
    ...(p.regime ? { regime: { ...p.regime, name: { ...p.regime.name } } } : {}),
  }));
}
