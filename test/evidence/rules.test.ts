// The evidence rules of vn-ct14-2019 on facts probed from a generated folder, then broken one
// document at a time (issue 10): what could not be inspected or verified is not tested for that
// document alone, with a reason in both languages, and never hides another document's failure.

import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceDocumentsCheck } from '../../checks/seclevel/checks.js';
import type { DocumentsFacts } from '../../checks/seclevel/facts.js';
import { fourLayerCheck } from '../../checks/fourlayer/checks.js';
import type { FourLayerFacts } from '../../checks/fourlayer/facts.js';
import type { Attempt, Finding, Target } from '../../src/core/types.js';
import { evaluate, loadBuiltinPolicies, type LoadedPolicy } from '../../src/policy/index.js';
import { KNOWN_CHECKS } from '../../src/engine/registry.js';
import { checkContext, compliantFolder } from './fixture.js';

const NOW = new Date('2026-11-20T00:00:00Z');
let listener: Server;
let pack: LoadedPolicy[];
let documents: DocumentsFacts;
let layers: FourLayerFacts;
const target: Target = {
  key: 'system://cong-dvc',
  kind: 'system',
  scheme: 'evidence',
  host: 'cong-dvc',
  port: 0,
  path: '',
  system: { id: 'cong-dvc', level: 3 },
};

beforeAll(async () => {
  listener = createServer((c) => c.destroy());
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
  const port = (listener.address() as { port: number }).port;
  const f = await compliantFolder({ now: NOW, collectorPort: port, ncscPort: port });
  const t: Target = { ...target, path: f.manifest, system: { id: 'cong-dvc', level: 3, evidence: f.manifest, evidenceResolved: true } };
  const ctx = checkContext(NOW, f.pki.root);
  documents = await evidenceDocumentsCheck.run(t, ctx);
  layers = await fourLayerCheck.run(t, ctx);
  pack = (await loadBuiltinPolicies({ knownChecks: KNOWN_CHECKS })).filter((p) => p.id === 'vn-ct14-2019');
});
afterAll(() => listener.close());

function judge(docs: DocumentsFacts, four: FourLayerFacts = layers): Map<string, Finding> {
  const attempt = (check: string, facts: unknown): Attempt => ({
    check,
    target: target.key,
    status: 'ok',
    facts,
    startedAt: NOW.toISOString(),
    durationMs: 0,
  });
  const findings = evaluate({
    targets: [target],
    attempts: [attempt('evidence.documents', docs), attempt('fourlayer.evidence', four)],
    policies: pack,
    now: NOW,
  });
  return new Map(findings.map((f) => [f.ruleId, f]));
}

function variant(change: (docs: DocumentsFacts['documents']) => void): DocumentsFacts {
  const copy = structuredClone(documents);
  change(copy.documents);
  return copy;
}

function doc(docs: DocumentsFacts['documents'], path: string): DocumentsFacts['documents'][number] {
  const d = docs.find((x) => x.path === path);
  if (!d) throw new Error(`no ${path}`);
  return d;
}

describe('evidence rules, one document at a time', () => {
  it('the probed folder passes every evidence and live rule', () => {
    const findings = judge(documents);
    for (const id of [
      'EVIDENCE-DOC-MISSING',
      'EVIDENCE-DOC-TAMPERED',
      'EVIDENCE-DOC-UNSIGNED',
      'FOURLAYER-MONITORING-LIVE',
      'FOURLAYER-NCSC-LIVE',
    ]) {
      expect(findings.get(id)?.outcome, `${id}: ${findings.get(id)?.message.en}`).toBe('pass');
    }
  });

  it('a document whose inspection stopped after reading is not tested for integrity or signer, but still counts as present', () => {
    const findings = judge(
      variant((docs) => {
        const d = doc(docs, 'docs/approval.pdf');
        d.error = 'inspection stopped on an unexpected error: boom';
        d.signature = null;
      }),
    );
    expect(findings.get('EVIDENCE-DOC-MISSING')?.outcome).toBe('pass');
    expect(findings.get('EVIDENCE-DOC-TAMPERED')?.outcome).toBe('not-tested');
    expect(findings.get('EVIDENCE-DOC-TAMPERED')?.reason).toBe(
      'could not check the integrity of docs/approval.pdf (inspection stopped on an unexpected error: boom)',
    );
    expect(findings.get('EVIDENCE-DOC-TAMPERED')?.reasonText?.vi).toMatch(/^không kiểm tra được tính toàn vẹn của docs\/approval\.pdf/);
    expect(findings.get('EVIDENCE-DOC-UNSIGNED')?.outcome).toBe('not-tested');
    expect(findings.get('EVIDENCE-DOC-UNSIGNED')?.reason).toMatch(/ and the signer of docs\/approval\.pdf was not checked$/);
  });

  it('a document whose inspection stopped before reading leaves EVIDENCE-DOC-MISSING not tested', () => {
    const findings = judge(
      variant((docs) => {
        const d = doc(docs, 'docs/plan.pdf');
        Object.assign(d, {
          present: false,
          readable: false,
          sha256: null,
          hashMatches: null,
          signature: null,
          error: 'inspection stopped on an unexpected error: boom',
        });
      }),
    );
    expect(findings.get('EVIDENCE-DOC-MISSING')?.outcome).toBe('not-tested');
    expect(findings.get('EVIDENCE-DOC-MISSING')?.reason).toBe(
      'could not inspect docs/plan.pdf (inspection stopped on an unexpected error: boom)',
    );
    expect(findings.get('EVIDENCE-DOC-MISSING')?.reasonText?.vi).toMatch(/không kiểm tra được docs\/plan\.pdf/);
  });

  it('an unverifiable document never hides a missing, tampered or unsigned one', () => {
    const findings = judge(
      variant((docs) => {
        const approval = doc(docs, 'docs/approval.pdf');
        if (!approval.signature) throw new Error('fixture approval is signed');
        approval.signature.error = 'signature algorithm 1.2.3 is not supported';
        approval.signature.intact = false;
        Object.assign(doc(docs, 'docs/plan.pdf'), { hashMatches: false });
        Object.assign(doc(docs, 'docs/regulation.pdf'), { signature: null });
        Object.assign(doc(docs, 'docs/ncsc.pdf'), {
          present: false,
          readable: false,
          signature: null,
          error: 'inspection stopped on an unexpected error: boom',
        });
        Object.assign(doc(docs, 'docs/onsite.pdf'), { present: false, readable: false, signature: null, reason: 'no such file' });
      }),
    );
    expect(findings.get('EVIDENCE-DOC-MISSING')?.outcome).toBe('fail');
    expect(findings.get('EVIDENCE-DOC-MISSING')?.message.en).toMatch(
      /missing or unreadable docs\/onsite\.pdf \(layers\.onsite\.decision\.document\)\.$/,
    );
    expect(findings.get('EVIDENCE-DOC-TAMPERED')?.outcome).toBe('fail');
    expect(findings.get('EVIDENCE-DOC-TAMPERED')?.message.en).toMatch(/Evidence of cong-dvc: docs\/plan\.pdf changed/);
    expect(findings.get('EVIDENCE-DOC-UNSIGNED')?.outcome).toBe('fail');
    expect(findings.get('EVIDENCE-DOC-UNSIGNED')?.message.en).toMatch(/Evidence of cong-dvc: docs\/regulation\.pdf not signed/);
  });

  it('without anchors signed documents are not tested for their signer, unsigned ones fail', () => {
    const noAnchors = (docs: DocumentsFacts): DocumentsFacts => {
      const copy = structuredClone(docs);
      copy.anchors = false;
      for (const d of copy.documents)
        if (d.signature) Object.assign(d.signature, { chainChecked: false, trusted: false, trustProblems: ['no-anchors'], anchor: null });
      return copy;
    };
    const all = judge(noAnchors(documents)).get('EVIDENCE-DOC-UNSIGNED');
    expect(all?.outcome).toBe('not-tested');
    expect(all?.reason).toMatch(
      /^no trust anchor for document signatures \(--ca-file\), the signer of docs\/appraisal\.pdf was not checked, /,
    );
    expect(all?.reasonText?.vi).toMatch(
      /^không có chứng thư gốc để kiểm tra chữ ký số của tài liệu \(--ca-file\), chưa kiểm tra được người ký của /,
    );
    const one = judge(noAnchors(variant((docs) => (doc(docs, 'docs/onsite.pdf').signature = null)))).get('EVIDENCE-DOC-UNSIGNED');
    expect(one?.outcome).toBe('fail');
    expect(one?.message.en).toBe(
      'Evidence of cong-dvc: docs/onsite.pdf not signed, or signed by a signer that does not chain to the --ca-file anchors at signing time.',
    );
  });

  it('without a manifest every rule says so in words, not in CEL nor in words about documents', () => {
    const none = { found: false, file: 'cong-dvc.yaml', reason: 'no such file' };
    const four = structuredClone(layers);
    four.manifest = none;
    const findings = judge({ ...documents, manifest: none, documents: [] }, four);
    for (const id of [
      'EVIDENCE-DOC-MISSING',
      'EVIDENCE-DOC-TAMPERED',
      'EVIDENCE-DOC-UNSIGNED',
      'FOURLAYER-MONITORING-LIVE',
      'FOURLAYER-NCSC-LIVE',
    ]) {
      expect(findings.get(id)?.outcome).toBe('not-tested');
      expect(findings.get(id)?.reason, id).toBe(
        'the system has no evidence manifest (none is named in the inventory, or the file named does not exist)',
      );
      expect(findings.get(id)?.reasonText?.vi, id).toBe(
        'hệ thống chưa có tệp khai báo bằng chứng (danh mục không khai báo, hoặc tệp đã khai báo không tồn tại)',
      );
    }
  });

  it('a live probe that stopped on an error is not tested; the other endpoint is still judged', () => {
    const four = structuredClone(layers);
    four.monitoring.forwarder.error = 'probe stopped on an unexpected error: boom';
    four.ncsc.forwarder.reachable = false;
    const findings = judge(documents, four);
    expect(findings.get('FOURLAYER-MONITORING-LIVE')?.outcome).toBe('not-tested');
    expect(findings.get('FOURLAYER-MONITORING-LIVE')?.reason).toBe(
      'the probe of the collector stopped: probe stopped on an unexpected error: boom',
    );
    expect(findings.get('FOURLAYER-MONITORING-LIVE')?.reasonText?.vi).toBe(
      'việc kiểm tra điểm thu thập nhật ký bị dừng do lỗi ngoài dự kiến',
    );
    expect(findings.get('FOURLAYER-NCSC-LIVE')?.outcome).toBe('fail');
    // Vietnamese says it in words, never true/false.
    expect(findings.get('FOURLAYER-NCSC-LIVE')?.message.vi).toMatch(/ không kết nối được \(/);
    expect(findings.get('FOURLAYER-NCSC-LIVE')?.message.vi).not.toMatch(/true|false/);
  });
});
