// `govscan demo --agency`: the README's example agency, run out of the box. The servers its inventory
// and evidence name listen on 127.0.0.1 for the run, so its TLS endpoint and live layer-2/4 probes are
// judged (not "not tested: ECONNREFUSED") and the report shows the example's intended defects.

import { createServer } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/engine/types.js';
import { runCli } from '../helpers/cli.js';

describe('govscan demo --agency', () => {
  it('scans the example agency against its own lab servers: every rule judged, the intended defects found', { timeout: 120_000 }, async () => {
    const r = await runCli(['demo', '--agency', '--format', 'json', '--quiet'], { timeoutMs: 110_000 });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.run.agency).toContain('Ví Dụ');
    const notTested = report.findings.filter((f) => f.outcome === 'not-tested');
    expect(notTested.map((f) => `${f.ruleId} ${f.target}: ${f.reason}`)).toEqual([]);
    const outcome = (rule: string, target: string): string | undefined => report.findings.find((f) => f.ruleId === rule && f.target === target)?.outcome;
    // The portal's TLS endpoint answers with a sound certificate.
    const tls = report.findings.filter((f) => f.target === 'tls://127.0.0.1:8443');
    expect(tls.length).toBeGreaterThan(5);
    expect(tls.filter((f) => f.outcome === 'fail').map((f) => f.ruleId)).toEqual([]);
    // cong-dvc is the complete system: its collector and NCSC endpoint are reachable.
    expect(outcome('FOURLAYER-MONITORING-LIVE', 'system://cong-dvc')).toBe('pass');
    expect(outcome('FOURLAYER-NCSC-LIVE', 'system://cong-dvc')).toBe('pass');
    expect(report.findings.filter((f) => f.target === 'system://cong-dvc' && f.outcome === 'fail').map((f) => f.ruleId)).toEqual([]);
    // The defects the README describes.
    expect(outcome('EVIDENCE-DOC-TAMPERED', 'system://cong-ttdt')).toBe('fail');
    expect(outcome('SECLEVEL-APPRAISER', 'system://mot-cua')).toBe('fail');
  });

  it('says which port is taken instead of scanning against a stranger', { timeout: 60_000 }, async () => {
    const squatter = createServer();
    squatter.listen({ host: '127.0.0.1', port: 6515, exclusive: true });
    await once(squatter, 'listening');
    try {
      const r = await runCli(['demo', '--agency', '--quiet', '--lang', 'vi']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('127.0.0.1:6515 đang được dùng');
      expect(r.stderr).toContain('điểm kết nối NCSC');
      expect(r.stdout).toBe('');
    } finally {
      squatter.close();
    }
  });
});
