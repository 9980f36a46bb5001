// One agent run: the same engine as `govscan scan` (prepareScan/executeScan) on the configured
// inventory and policies, plus the local host check on `local://<hostname>`; the full JSON report
// (every finding, passes included, attempts with their facts) wrapped in a Batch and spooled.

import { randomUUID } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import type { Batch } from '../src/contract/agent-api.js';
import { HOST_CHECK } from '../checks/host/check-id.js';
import { executeScan, prepareScan } from '../src/engine/scan.js';
import { toolVersion } from '../src/core/version.js';
import type { Check, Report } from '../src/core/types.js';
import { createHostCheck, localTarget, type HostProbeSettings } from '../checks/host/check.js';
import type { AgentConfig } from './config.js';
import type { AgentLog } from './log.js';
import { AGENT_MESSAGES as M } from './messages.js';
import { Spool, type SpooledBatch } from './spool.js';
import type { AgentToken } from './token.js';

/** The built-in pack that judges the host check: always part of an agent run. */
const HOST_PACK = 'vn-agent-host';

export interface RunDeps {
  log: AgentLog;
  signal?: AbortSignal;
  now?: () => Date;
  hostname?: string;
  /** Host probe overrides (recorded interfaces in tests). */
  host?: Pick<HostProbeSettings, 'interfaces'>;
}

export class RunInterrupted extends Error {
  constructor() {
    super('run interrupted');
    this.name = 'RunInterrupted';
  }
}

export interface RunResult {
  batch: Batch;
  spooled: SpooledBatch;
}

/** Scan, build the batch and spool it. Nothing is uploaded here: the spool is the hand-over. */
export async function runOnce(config: AgentConfig, token: AgentToken, deps: RunDeps): Promise<RunResult> {
  const report = await scanHost(config, token, deps);
  const host = hostnameOf(config, deps);
  const batch: Batch = {
    schemaVersion: 1,
    batchId: report.batchId,
    agentId: token.agentId,
    agency: token.agency,
    createdAt: (deps.now ?? (() => new Date()))().toISOString(),
    agent: { version: toolVersion(), hostname: host, intervalSeconds: config.schedule.intervalSeconds },
    report: report.report,
  };
  const spool = await new Spool(config.spool.directory, { maxBytes: config.spool.maxBytes, log: deps.log }).open();
  const spooled = await spool.add(batch);
  const failed = report.report.summary.findings.fail;
  const findings = report.report.findings.length;
  deps.log.info(M.runSpooled, { batchId: batch.batchId, findings, failed, bytes: spooled.bytes });
  return { batch, spooled };
}

function hostnameOf(config: AgentConfig, deps: RunDeps): string {
  return (deps.hostname ?? config.host.name ?? osHostname()).toLowerCase();
}

async function scanHost(config: AgentConfig, token: AgentToken, deps: RunDeps): Promise<{ batchId: string; report: Report }> {
  const batchId = randomUUID();
  const target = localTarget(hostnameOf(config, deps), {
    agency: token.agency,
    ...(config.host.system ? { system: { ...config.host.system } } : {}),
  });
  const policies =
    config.scan.policies.length && !config.scan.policies.includes(HOST_PACK) ? [...config.scan.policies, HOST_PACK] : config.scan.policies;
  const now = deps.now;
  const prepared = await prepareScan(
    {
      targets: [],
      ...(config.scan.inventory ? { inventory: config.scan.inventory } : {}),
      policies,
      resolve: config.scan.resolve,
      caFiles: config.scan.caFiles,
      caPins: config.scan.caPins,
      failOn: 'none',
      dnsServers: config.scan.dnsServers,
      // The IPv6 family's --lab and the TLS family's --tls-quick; every other family option takes the family's default.
      options: { lab: config.scan.lab, 'tls-quick': config.scan.tlsQuick },
      ...(config.scan.legalBasis ? { legalBasis: config.scan.legalBasis } : {}),
      ...(now ? { now: now() } : {}),
      extraTargets: [target],
      agentRun: true,
    },
    { timeoutMs: config.scan.timeoutMs },
  );
  // The registry's host check knows nothing of this agent's files and forwarders: use a configured one.
  const hostCheck = createHostCheck({
    certificateFiles: config.host.certificateFiles,
    forwarders: config.host.forwarders,
    procRoot: config.host.procRoot,
    ...(deps.host?.interfaces ? { interfaces: deps.host.interfaces } : {}),
  });
  prepared.checks = [...prepared.checks.filter((c) => c.id !== HOST_CHECK), hostCheck as Check];
  deps.log.info(M.runStarted, { batchId, targets: prepared.targets.length });
  const report = await executeScan(prepared, {
    concurrency: config.scan.concurrency,
    perHostLimit: 4,
    timeoutMs: config.scan.timeoutMs,
    targetTimeoutMs: config.scan.timeoutMs * 4,
    // The server keeps history per rule and shows the evidence of each failure: every finding, every fact.
    keepFacts: true,
    ...(now ? { now } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  // A cut-short run would show every unfinished target as not tested: no batch is better than a false one.
  if (deps.signal?.aborted) throw new RunInterrupted();
  return { batchId, report };
}
