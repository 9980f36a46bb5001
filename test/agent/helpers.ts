// Shared by the agent tests: small valid batches, and the built agent bin.

import { randomUUID } from 'node:crypto';
import { runAgentCli, type CliResult } from '../helpers/cli.js';
import { getJson } from '../helpers/server-process.js';
import type { Batch } from '../../src/contract/agent-api.js';
import type { HistoryPoint, Page } from '../../src/contract/read-api.js';
import type { Report } from '../../src/core/types.js';

export { AGENT_BIN } from '../helpers/cli.js';

/** A report with one host finding, the shape the server validates. */
export function smallReport(host = 'agent-host', outcome: 'pass' | 'fail' = 'pass'): Report {
  const now = new Date().toISOString();
  const target = `local://${host}`;
  return {
    schemaVersion: 1,
    tool: { name: 'govscan', version: '0.1.0' },
    run: { startedAt: now, finishedAt: now, scannerHost: host, failOn: 'none' },
    policies: [
      {
        id: 'vn-agent-host',
        version: '1.0.0',
        title: { en: 'Agency hosts', vi: 'Máy chủ của cơ quan' },
        legalBasis: ['02/CT-TTg 26/04/2022 §1.n'],
        effective: { from: '2022-04-26' },
        source: 'policies/vn-agent-host.yaml',
      },
    ],
    rules: [],
    targets: [{ key: target, kind: 'local', scheme: 'local', host, port: 0, path: '/' }],
    attempts: [
      { check: 'host.local', target, status: 'ok', facts: { hostname: host, certificateFiles: [] }, startedAt: now, durationMs: 1 },
    ],
    findings: [
      {
        ruleId: 'HOST-IPV6-NO-GLOBAL-ADDRESS',
        policyId: 'vn-agent-host',
        policyVersion: '1.0.0',
        check: 'host.local',
        target,
        outcome,
        severity: 'medium',
        title: { en: 'Host has no global IPv6 address', vi: 'Máy chủ không có địa chỉ IPv6 toàn cầu' },
        message: { en: 'ok', vi: 'đạt' },
        references: ['02/CT-TTg §1.n'],
        evidence: {},
        fingerprint: '0123456789abcdef0123456789abcdef',
      },
    ],
    summary: {
      targets: 1,
      findings: { pass: outcome === 'pass' ? 1 : 0, fail: outcome === 'fail' ? 1 : 0, 'not-applicable': 0, 'not-tested': 0, waived: 0 },
      failedBySeverity: { critical: 0, high: 0, medium: outcome === 'fail' ? 1 : 0, low: 0, info: 0 },
    },
  };
}

export function smallBatch(over: Partial<Batch> = {}): Batch {
  return {
    schemaVersion: 1,
    batchId: randomUUID(),
    agentId: 'agent-1',
    agency: 'agency-a',
    createdAt: new Date().toISOString(),
    agent: { version: '0.1.0', hostname: 'agent-host', intervalSeconds: 3600 },
    report: smallReport(),
    ...over,
  };
}

/** Runs the built govscan-agent as a user would. */
export function runAgent(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliResult> {
  return runAgentCli(args, { env, timeoutMs });
}

/**
 * Batch ids a server has stored for an agency: one history point per stored batch of a rule every
 * agent batch carries (smallReport's, and the host check's on a real run).
 */
export async function storedBatchIds(server: string, viewer: string, agency: string, get: typeof getJson = getJson): Promise<string[]> {
  const h = await get<Page<HistoryPoint> | HistoryPoint[]>(
    `${server}/api/v1/history?agency=${agency}&rule=HOST-IPV6-NO-GLOBAL-ADDRESS&limit=10000`,
    viewer,
  );
  return (Array.isArray(h) ? h : h.items).map((p) => p.batchId);
}
