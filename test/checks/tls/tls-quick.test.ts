// --tls-quick through the scan engine, as the CLI, the config file, GOVSCAN_TLS_QUICK and the agent
// pass it (a family option by flag name): the endpoint costs the four validity connections and its
// enumeration is recorded as not applicable; without it the same endpoint is enumerated.

import type { Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { TlsFacts } from '../../../checks/tls/facts.js';
import { NetDialer } from '../../../src/core/net/dialer.js';
import type { Dialer, DialOptions } from '../../../src/core/types.js';
import { executeScan, prepareScan } from '../../../src/engine/scan.js';
import { issueCertificate } from '../../../src/lab/pki.js';
import { closeAll, serveTls } from './farm.js';

afterAll(closeAll);

class Counting implements Dialer {
  dials = 0;
  private readonly dialer = new NetDialer(4);
  connect(opts: DialOptions): Promise<Socket> {
    if (opts.address !== '127.0.0.1') return Promise.reject(new Error(`refusing ${opts.address}`));
    this.dials++;
    return this.dialer.connect(opts);
  }
}

async function scanEndpoint(port: number, options: Record<string, boolean>): Promise<{ facts: TlsFacts; dials: number }> {
  const prepared = await prepareScan(
    { targets: [`127.0.0.1:${port}`], policies: ['vn-ct02-2022-tls'], resolve: [], caFiles: [], caPins: [], failOn: 'none', options },
    { timeoutMs: 3000 },
  );
  const dialer = new Counting();
  const report = await executeScan(prepared, {
    concurrency: 1,
    perHostLimit: 4,
    timeoutMs: 3000,
    targetTimeoutMs: 30_000,
    keepFacts: true,
    dialer,
  });
  const attempt = report.attempts.find((a) => a.check === 'tls.endpoint');
  if (attempt?.status !== 'ok') throw new Error(`tls.endpoint: ${JSON.stringify(attempt)}`);
  return { facts: attempt.facts as TlsFacts, dials: dialer.dials };
}

describe('--tls-quick', () => {
  it('keeps a scan to the four validity connections per endpoint; without it the endpoint is enumerated', async () => {
    const leaf = await issueCertificate({ subjectCN: 'quick.lab.test', sans: { ip: ['127.0.0.1'] } });
    const srv = await serveTls({ chain: [leaf], tls: { minVersion: 'TLSv1.2', ecdhCurve: 'X25519' } });

    const quick = await scanEndpoint(srv.port, { 'tls-quick': true });
    expect(quick.dials).toBe(4);
    expect(quick.facts.protocols['TLSv1.2']).toMatchObject({ status: 'ok', accepted: true });
    expect(quick.facts.enumeration).toMatchObject({ status: 'not-applicable', reason: '--tls-quick', connections: 0 });

    const full = await scanEndpoint(srv.port, {});
    expect(full.facts.enumeration?.status).toBe('ok');
    expect(full.facts.enumeration?.versions['TLSv1.3'].suites.length).toBeGreaterThan(0);
    expect(full.dials).toBe(4 + full.facts.enumeration!.connections);
  });
});
