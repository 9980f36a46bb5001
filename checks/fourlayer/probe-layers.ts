// Reads the 4-layer section of a system's evidence manifest and probes its live evidence: one TCP
// connect (through ctx.dialer, like every other probe) to the SOC collector and to the NCSC endpoint.

import type { CheckContext, Target } from '../../src/core/types.js';
import { ageDays, evidenceBundle } from '../../src/evidence/bundle.js';
import { openInside, type DocumentFacts } from '../../src/evidence/documents.js';
import type { EvidenceManifest, ForwarderDoc } from '../../src/evidence/manifest.js';
import { decisionFacts, documentPresence, latestActivity } from '../seclevel/probe-dossier.js';
import type { ActivityFacts, FourLayerFacts, ForwarderFacts, ReportFacts } from './facts.js';

export async function probeLayers(target: Target, ctx: CheckContext): Promise<FourLayerFacts> {
  const now = ctx.now();
  const bundle = await evidenceBundle(target, ctx);
  const docs = await bundle.documents();
  const m = bundle.manifest?.doc;
  const layers = m?.layers;
  const onsite = layers?.onsite;
  const contract = layers?.monitoring?.contract;
  const [monitoringForwarder, ncscForwarder] = await Promise.all([
    forwarderFacts(layers?.monitoring?.forwarder, 'layers.monitoring.forwarder.config', bundle.manifest, docs, ctx),
    forwarderFacts(layers?.ncsc?.forwarder, 'layers.ncsc.forwarder.config', bundle.manifest, docs, ctx),
  ]);
  const assessments = m?.assessments ?? [];
  const candidates: ActivityFacts[] = [
    latestActivity(assessments, 'security-assessment', docs, now, true),
    latestActivity(assessments, 'penetration-test', docs, now, true),
  ].filter((a) => a.present);
  const none = latestActivity([], 'security-assessment', docs, now);
  const assessment = candidates.sort((a, b) => (a.date < b.date ? 1 : -1))[0] ?? none;
  const reports = layers?.monitoring?.reports;
  const report = (date: string | undefined): ReportFacts => ({ present: Boolean(date), date: date ?? '', ageDays: ageDays(date, now) });
  return {
    observedAt: now.toISOString(),
    manifest: bundle.manifestFacts,
    level: { effective: m?.level?.approved || target.system?.level || m?.level?.proposed || 0 },
    onsite: {
      decision: decisionFacts(onsite?.decision, documentPresence(docs, 'layers.onsite.decision.document', onsite?.decision?.document), now),
      staff: onsite?.staff?.length ?? 0,
      onCall: Boolean(onsite?.onCall),
    },
    monitoring: {
      provider: layers?.monitoring?.provider ?? '',
      inHouse: layers?.monitoring?.inHouse ?? false,
      contract: {
        declared: Boolean(contract && (contract.number || contract.document || contract.validTo)),
        number: contract?.number ?? '',
        validFrom: contract?.validFrom ?? '',
        validTo: contract?.validTo ?? '',
        daysToExpiry: contract?.validTo ? -ageDays(contract.validTo, now) : 0,
        started: contract?.validFrom ? ageDays(contract.validFrom, now) >= 0 : true,
        document: documentPresence(docs, 'layers.monitoring.contract.document', contract?.document),
      },
      forwarder: monitoringForwarder,
      dataRetentionDays: layers?.monitoring?.dataRetentionDays ?? 0,
      reports: {
        daily: report(reports?.daily?.date),
        weekly: report(reports?.weekly?.date),
        sixMonthly: report(reports?.sixMonthly?.date),
      },
    },
    assessment,
    periodicAssessment: latestActivity(assessments, 'security-assessment', docs, now),
    lifecycle: {
      goLive: m?.goLive?.date ?? '',
      goLiveAgeDays: ageDays(m?.goLive?.date, now),
      changes: (m?.changes ?? []).map((c) => ({ date: c.date, description: c.description, ageDays: ageDays(c.date, now) })),
      assessmentDates: assessments
        .filter((a) => (a.kind ?? 'security-assessment') === 'security-assessment' || a.kind === 'penetration-test')
        .map((a) => a.date)
        .sort(),
    },
    ncsc: {
      confirmation: decisionFacts(
        layers?.ncsc?.confirmation,
        documentPresence(docs, 'layers.ncsc.confirmation.document', layers?.ncsc?.confirmation?.document),
        now,
      ),
      forwarder: ncscForwarder,
    },
  };
}

/** Forwarder configs are small text files; only their first bytes are searched. */
const MAX_CONFIG_CHARS = 1024 * 1024;

/**
 * Never rejects: the two forwarders are probed side by side, and an unexpected error in one leaves
 * that one not tested (`error`) without touching the other or the rest of the 4-layer facts.
 */
async function forwarderFacts(
  fw: ForwarderDoc | undefined,
  role: string,
  manifest: EvidenceManifest | null,
  docs: readonly DocumentFacts[],
  ctx: CheckContext,
): Promise<ForwarderFacts> {
  const facts: ForwarderFacts = {
    declared: Boolean(fw?.endpoint),
    endpoint: fw?.endpoint ?? '',
    host: '',
    port: 0,
    reachable: false,
    address: '',
    reason: fw?.endpoint ? '' : 'no endpoint declared',
    config: { declared: Boolean(fw?.config), path: fw?.config?.path ?? '', ok: false, mentionsHost: false, mentionsPort: false },
    error: '',
  };
  try {
    await probeForwarder(facts, fw, role, manifest, docs, ctx);
  } catch (err) {
    facts.error = `probe stopped on an unexpected error: ${err instanceof Error ? err.message : String(err)}`;
  }
  return facts;
}

async function probeForwarder(
  facts: ForwarderFacts,
  fw: ForwarderDoc | undefined,
  role: string,
  manifest: EvidenceManifest | null,
  docs: readonly DocumentFacts[],
  ctx: CheckContext,
): Promise<void> {
  Object.assign(facts.config, documentPresence(docs, role, fw?.config));
  if (!fw?.endpoint) return;
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(fw.endpoint);
  facts.host = (m?.[1] ?? '').toLowerCase();
  facts.port = Number(m?.[2] ?? 0);

  const ref = manifest?.documents.find((d) => d.role === role);
  if (ref && manifest && facts.config.ok) {
    const opened = await openInside(ref.file, manifest.dir);
    if (opened.ok) {
      const text = opened.bytes.subarray(0, MAX_CONFIG_CHARS).toString('utf8').toLowerCase();
      facts.config.mentionsHost = text.includes(facts.host);
      facts.config.mentionsPort = new RegExp(`(^|[^0-9])${facts.port}([^0-9]|$)`).test(text);
    }
  }

  if (facts.port < 1 || facts.port > 65535) {
    facts.reason = `port ${facts.port} is not 1–65535`;
    return;
  }
  try {
    const addresses = await ctx.resolver.resolve(facts.host, facts.port, ctx.signal);
    const first = addresses[0];
    if (!first) {
      facts.reason = `${facts.host} has no address`;
      return;
    }
    facts.address = first.address;
    const socket = await ctx.dialer.connect({ address: first.address, port: facts.port, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
    socket.destroy();
    facts.reachable = true;
  } catch (err) {
    facts.reason = err instanceof Error ? err.message : String(err);
  }
}
