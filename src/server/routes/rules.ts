// GET /api/v1/rules?agency=&failing=: the rule reference (every rule of the built-in packs, with its
// texts in both languages) and, per rule, how many agencies, systems and findings fail it now.
// A rule failing in the fleet that no built-in pack holds (a custom pack) is listed from its findings.

import type { FastifyInstance } from 'fastify';
import type { RuleRow } from '../../contract/read-api.js';
import { builtinRules } from '../rule-catalogue.js';
import schema from '../schemas/rules-query.json' with { type: 'json' };
import { listRoute, type RouteContext } from './context.js';

export function registerRuleRoutes(app: FastifyInstance, ctx: RouteContext): void {
  listRoute(app, ctx, '/api/v1/rules', schema, async ({ agency, failing }: { agency?: string; failing?: boolean }) => {
    const [rules, failures] = await Promise.all([builtinRules(), ctx.store.ruleFailures(agency)]);
    const failBy = new Map(failures.map((f) => [f.ruleId, f]));
    const rows: RuleRow[] = rules.map((r) => {
      const f = failBy.get(r.id);
      failBy.delete(r.id);
      return {
        id: r.id,
        policyId: r.policyId,
        check: r.check,
        severity: r.severity,
        title: { en: r.title.en, vi: r.title.vi },
        description: { en: r.description.en, vi: r.description.vi },
        remediation: { en: r.remediation.en, vi: r.remediation.vi },
        references: [...r.references],
        failing: { agencies: f?.agencies ?? 0, systems: f?.systems ?? 0, findings: f?.findings ?? 0 },
      };
    });
    for (const f of failBy.values()) {
      rows.push({
        id: f.ruleId,
        policyId: f.policyId,
        check: '',
        severity: f.severity,
        title: { en: f.ruleId, vi: f.ruleId },
        description: { en: '', vi: '' },
        remediation: { en: '', vi: '' },
        references: [],
        failing: { agencies: f.agencies, systems: f.systems, findings: f.findings },
      });
    }
    return failing ? rows.filter((r) => r.failing.findings > 0) : rows;
  });
}
