// Reads the security-level record of a system's evidence manifest into SeclevelFacts. No network.

import type { CheckContext, Target } from '../../src/core/types.js';
import { ageDays, evidenceBundle } from '../../src/evidence/bundle.js';
import type { DocumentFacts } from '../../src/evidence/documents.js';
import type { AssessmentDoc, AssessmentKind, DecisionDoc, DocumentDoc } from '../../src/evidence/manifest.js';
import type { ActivityFacts, DecisionFacts, DocumentPresence, DocumentsFacts, SeclevelFacts } from './facts.js';

export async function probeDossier(target: Target, ctx: CheckContext): Promise<SeclevelFacts> {
  const now = ctx.now();
  const bundle = await evidenceBundle(target, ctx);
  const docs = await bundle.documents();
  const m = bundle.manifest?.doc;
  const presence = (role: string, doc: DocumentDoc | undefined): DocumentPresence => documentPresence(docs, role, doc);
  const decision = (role: string, d: DecisionDoc | undefined): DecisionFacts =>
    decisionFacts(d, presence(`${role}.document`, d?.document), now);
  const inventory = target.system?.level ?? 0;
  const approved = m?.level?.approved ?? 0;
  const proposed = m?.level?.proposed ?? 0;
  const latest = (kind: AssessmentKind): ActivityFacts => latestActivity(m?.assessments ?? [], kind, docs, now);
  return {
    observedAt: now.toISOString(),
    manifest: bundle.manifestFacts,
    legalBasis: m?.legalBasis ?? '',
    system: {
      id: m?.system.id ?? target.system?.id ?? '',
      name: m?.system.name ?? target.system?.name ?? '',
      owner: m?.system.owner ?? '',
      operator: m?.system.operator ?? '',
      specialisedUnit: m?.system.specialisedUnit ?? '',
    },
    level: { inventory, proposed, approved, effective: approved || inventory || proposed, criterion: m?.level?.criterion ?? '' },
    appraisal: { ...decision('appraisal', m?.appraisal), authority: m?.appraisal?.authority ?? '' },
    approval: decision('approval', m?.approval),
    regulation: decision('regulation', m?.regulation),
    penetrationTestProgramme: decision('penetrationTestProgramme', m?.penetrationTestProgramme),
    logging: { retentionDays: m?.logging?.retentionDays ?? 0 },
    plan: { version: m?.plan?.version ?? '', status: m?.plan?.status ?? '', document: presence('plan.document', m?.plan?.document) },
    assessments: {
      securityAssessment: latest('security-assessment'),
      vulnerabilityScan: latest('vulnerability-scan'),
      penetrationTest: latest('penetration-test'),
      logReview: latest('log-review'),
    },
    annualReport: {
      present: Boolean(m?.annualReport?.date),
      date: m?.annualReport?.date ?? '',
      ageDays: ageDays(m?.annualReport?.date, now),
    },
  };
}

export async function probeDocuments(target: Target, ctx: CheckContext): Promise<DocumentsFacts> {
  const bundle = await evidenceBundle(target, ctx);
  return {
    observedAt: ctx.now().toISOString(),
    manifest: bundle.manifestFacts,
    anchors: ctx.trust.custom !== null,
    documents: await bundle.documents(),
  };
}

export function documentPresence(docs: readonly DocumentFacts[], role: string, doc: DocumentDoc | undefined): DocumentPresence {
  if (!doc) return { declared: false, path: '', ok: false };
  const facts = docs.find((d) => d.role === role);
  return { declared: true, path: doc.path, ok: Boolean(facts?.present && facts.readable) };
}

export function decisionFacts(d: DecisionDoc | undefined, document: DocumentPresence, now: Date): DecisionFacts {
  return {
    declared: Boolean(d && (d.number || d.date || d.document)),
    number: d?.number ?? '',
    date: d?.date ?? '',
    ageDays: ageDays(d?.date, now),
    signer: d?.signer ?? '',
    by: d?.by ?? '',
    document,
  };
}

export function latestActivity(
  list: readonly AssessmentDoc[],
  kind: AssessmentKind,
  docs: readonly DocumentFacts[],
  now: Date,
  independentOnly = false,
): ActivityFacts {
  let best: { a: AssessmentDoc; i: number } | null = null;
  list.forEach((a, i) => {
    if ((a.kind ?? 'security-assessment') !== kind) return;
    if (independentOnly && a.independent === false) return;
    if (!best || a.date > best.a.date) best = { a, i };
  });
  const found = best as { a: AssessmentDoc; i: number } | null;
  if (!found)
    return {
      present: false,
      date: '',
      ageDays: 0,
      assessor: '',
      licence: '',
      independent: false,
      report: { declared: false, path: '', ok: false },
    };
  return {
    present: true,
    date: found.a.date,
    ageDays: ageDays(found.a.date, now),
    assessor: found.a.assessor ?? '',
    licence: found.a.licence ?? '',
    independent: found.a.independent ?? true,
    report: documentPresence(docs, `assessments.${found.i}.report`, found.a.report),
  };
}
