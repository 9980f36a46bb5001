// The IPv6 family sends no probe twice when the answer cannot differ: www. and the apex on the same
// addresses share their connects, a compared page rides on the connect that found its port open, and
// a mail host or name server shared by many domains is asked once per run. The facts stay complete.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { sameSite, startIpv6Lab, type Ipv6Lab } from '../../../src/lab/dns-lab.js';
import { executeScan } from '../../../src/engine/scan.js';
import { prepareIpv6LabScan } from './lab-scan.js';
import { NetDialer } from '../../../src/core/net/dialer.js';
import { UdpDatagramSender } from '../../../src/core/net/dns-wire.js';
import type { Attempt, CheckContext, DatagramSender, Dialer, DialOptions } from '../../../src/core/types.js';
import { oncePerRun } from '../../../checks/ipv6/probe-common.js';
import type { MxFacts, NsFacts, WebFacts } from '../../../checks/ipv6/facts.js';

let lab: Ipv6Lab;
beforeAll(async () => {
  // A second domain on the same name servers and mail host as dual.test, as under one provider.
  lab = await startIpv6Lab({
    extraZones: {
      'twin.test': {
        A: ['127.0.0.1'],
        AAAA: ['::1'],
        NS: ['ns1.lab.test', 'ns2.lab.test'],
        MX: [{ preference: 10, exchange: 'mx.lab.test' }],
      },
      'www.twin.test': { A: ['127.0.0.1'], AAAA: ['::1'] },
    },
    extraSites: { 'twin.test': sameSite('twin'), 'www.twin.test': sameSite('twin www') },
  });
});
afterAll(async () => {
  await lab?.close();
});

/** Real loopback connections and datagrams, each one recorded. */
class Counting implements Dialer, DatagramSender {
  readonly tcp: string[] = [];
  readonly udp: string[] = [];
  private readonly dialer = new NetDialer(16);
  private readonly sender = new UdpDatagramSender();
  connect(opts: DialOptions): Promise<Socket> {
    this.tcp.push(`${opts.address} ${opts.port}`);
    return this.dialer.connect(opts);
  }
  exchange(opts: { address: string; port: number; payload: Buffer; timeoutMs: number; signal?: AbortSignal }): Promise<Buffer> {
    this.udp.push(`${opts.address} ${opts.port}`);
    return this.sender.exchange(opts);
  }
}

async function scan(domains: string[]): Promise<{ counting: Counting; attempts: Attempt[] }> {
  const counting = new Counting();
  const prepared = await prepareIpv6LabScan(lab, domains, { lab: true, timeoutMs: 2000 });
  const report = await executeScan(prepared, {
    concurrency: 4,
    perHostLimit: 16,
    timeoutMs: 2000,
    targetTimeoutMs: 10_000,
    keepFacts: true,
    dialer: counting,
    datagrams: counting,
  });
  return { counting, attempts: report.attempts };
}

const count = (list: string[], item: string): number => list.filter((x) => x === item).length;

describe('probes made once', () => {
  it('www. and the apex share connects, and each compared page rides on one connection', async () => {
    const { counting, attempts } = await scan(['dual.test']);
    const { http, https } = lab.ports;
    // Per address and port: the apex's connect (which carries its GET) and www.'s GET, no more.
    for (const address of ['127.0.0.1', '::1']) {
      expect(count(counting.tcp, `${address} ${http}`)).toBe(2);
      expect(count(counting.tcp, `${address} ${https}`)).toBe(2);
    }
    const web = attempts.find((a) => a.check === 'ipv6.web');
    const facts = (web?.status === 'ok' ? web.facts : null) as WebFacts | null;
    expect(facts?.hosts.map((h) => h.role)).toEqual(['apex', 'www']);
    for (const host of facts?.hosts ?? []) {
      expect(host.v4Open).toEqual([80, 443]);
      expect(host.v6.map((v) => v.open)).toEqual([[80, 443]]);
      expect(host.sameSite.map((s) => [s.port, s.compared, s.v4.httpStatus, s.v6.httpStatus, s.similarity])).toEqual([
        [80, true, 200, 200, 1],
        [443, true, 200, 200, 1],
      ]);
    }
  });

  it('greets a shared mail host and asks a shared name server address once per zone', async () => {
    const { counting, attempts } = await scan(['dual.test', 'twin.test']);
    expect(count(counting.tcp, `::1 ${lab.ports.smtp}`)).toBe(1);
    // ns1 and ns2 are both ::1: one question per zone, not one per name server and zone.
    expect(count(counting.udp, `::1 ${lab.dns.port}`)).toBe(2);
    for (const target of ['dns://dual.test', 'dns://twin.test']) {
      const mx = attempts.find((a) => a.target === target && a.check === 'ipv6.mx');
      const ns = attempts.find((a) => a.target === target && a.check === 'ipv6.ns');
      const mxFacts = (mx?.status === 'ok' ? mx.facts : null) as MxFacts | null;
      const nsFacts = (ns?.status === 'ok' ? ns.facts : null) as NsFacts | null;
      expect(mxFacts?.mx.map((h) => h.reach.map((r) => [r.address, r.open, r.smtp]))).toEqual([[['::1', true, true]]]);
      expect(nsFacts?.nameServers.map((n) => n.reach.map((r) => [r.address, r.reachable, r.rcode]))).toEqual([
        [['::1', true, 'NOERROR']],
        [['::1', true, 'NOERROR']],
      ]);
    }
  });
});

describe('oncePerRun', () => {
  const run = { names: {} as CheckContext['names'], resolver: {} as CheckContext['resolver'], dialer: {} as Dialer };
  const ctxWith = (signal: AbortSignal): CheckContext => ({ ...run, signal }) as CheckContext;

  it('shares a result across targets of one run, even after the first target has finished', async () => {
    const first = new AbortController();
    let probes = 0;
    const a = await oncePerRun(ctxWith(first.signal), 'k', () => Promise.resolve(++probes));
    first.abort();
    const b = await oncePerRun(ctxWith(new AbortController().signal), 'k', () => Promise.resolve(++probes));
    expect([a, b, probes]).toEqual([1, 1, 1]);
  });

  it("does not share a result that settled after its target's deadline passed", async () => {
    const first = new AbortController();
    let release!: (v: string) => void;
    const a = oncePerRun(ctxWith(first.signal), 'late', () => new Promise<string>((r) => (release = r)));
    const b = oncePerRun(ctxWith(new AbortController().signal), 'late', () => Promise.resolve('own probe'));
    first.abort();
    release('cut short');
    expect(await a).toBe('cut short');
    expect(await b).toBe('own probe');
  });

  it('keeps runs apart', async () => {
    const other = { names: {} as CheckContext['names'], resolver: {} as CheckContext['resolver'], dialer: {} as Dialer };
    const signal = new AbortController().signal;
    await oncePerRun(ctxWith(signal), 'run', () => Promise.resolve('first run'));
    expect(await oncePerRun({ ...other, signal } as CheckContext, 'run', () => Promise.resolve('second run'))).toBe('second run');
  });
});
