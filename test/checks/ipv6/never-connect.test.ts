// Non-global AAAA answers (ULA, documentation, IPv4-mapped) are reported and never contacted. This
// machine sits on fd00::/64 with an IPv6 default route, so a real connect to fd00::1234 would leave the
// box: the proof uses an injected dialer and datagram sender that record every attempt and refuse it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { IPV6_SCENARIOS, startIpv6Lab, type Ipv6Lab } from '../../../src/lab/dns-lab.js';
import { executeScan } from '../../../src/engine/scan.js';
import { prepareIpv6LabScan } from './lab-scan.js';
import { ProbeError, type DatagramSender, type Dialer, type DialOptions } from '../../../src/core/types.js';

let lab: Ipv6Lab;
beforeAll(async () => {
  lab = await startIpv6Lab();
});
afterAll(async () => {
  await lab?.close();
});

class RefusingRecorder implements Dialer, DatagramSender {
  readonly attempts: string[] = [];
  connect(opts: DialOptions): Promise<Socket> {
    this.attempts.push(`tcp ${opts.address} ${opts.port}`);
    return Promise.reject(new ProbeError('connectivity', 'refused by the test'));
  }
  exchange(opts: { address: string; port: number }): Promise<Buffer> {
    this.attempts.push(`udp ${opts.address} ${opts.port}`);
    return Promise.reject(new ProbeError('connectivity', 'refused by the test'));
  }
}

async function scanWith(domains: string[], lab_: boolean): Promise<{ recorder: RefusingRecorder; failed: string[] }> {
  const recorder = new RefusingRecorder();
  // Connectivity forced on: the address gate, not a missing route, must be what keeps the probes away.
  const prepared = await prepareIpv6LabScan(lab, domains, { lab: lab_, timeoutMs: 1000, ipv6Connectivity: 'yes' });
  const report = await executeScan(prepared, {
    concurrency: 4,
    perHostLimit: 4,
    timeoutMs: 1000,
    targetTimeoutMs: 8000,
    keepFacts: true,
    dialer: recorder,
    datagrams: recorder,
  });
  return {
    recorder,
    failed: report.findings
      .filter((f) => f.outcome === 'fail')
      .map((f) => `${f.target} ${f.ruleId}`)
      .sort(),
  };
}

const NON_GLOBAL = ['ula.test', 'doc.test', 'mapped.test'];
/** Web host fine; a name server and the MX host publish non-global AAAA. */
const NS_MX_NON_GLOBAL = ['ngmail.test'];

describe('non-global AAAA answers', () => {
  it('are reported, and not a single packet is sent to them (lab mode)', async () => {
    const { recorder, failed } = await scanWith(NON_GLOBAL, true);
    for (const d of NON_GLOBAL) {
      expect(failed).toContain(`dns://${d} IPV6-AAAA-NON-GLOBAL`);
      expect(failed).toContain(`dns://${d} IPV6-WEB-AAAA`);
    }
    // Loopback (the lab's IPv4 web servers and name servers) is all that was attempted.
    expect(recorder.attempts.length).toBeGreaterThan(0);
    expect(recorder.attempts.filter((a) => !/^(tcp|udp) (127\.0\.0\.1|::1) /.test(a))).toEqual([]);
    expect(recorder.attempts.join('\n')).not.toMatch(/fd00|2001:db8|ffff/);
  });

  it('outside lab mode even loopback answers are findings, and nothing at all is contacted', async () => {
    const { recorder, failed } = await scanWith([...NON_GLOBAL, 'dual.test'], false);
    expect(recorder.attempts).toEqual([]);
    expect(failed).toContain('dns://dual.test IPV6-AAAA-NON-GLOBAL');
    expect(failed).toContain('dns://ula.test IPV6-AAAA-NON-GLOBAL');
    // The lab's name servers and MX host answer ::1 too: outside lab mode that is theirs to fix as well.
    expect(failed).toContain('dns://dual.test IPV6-NS-NON-GLOBAL');
    expect(failed).toContain('dns://dual.test IPV6-MX-NON-GLOBAL');
  });

  it('name servers and MX hosts with ULA or documentation AAAA are reported, and never contacted either', async () => {
    lab.dns.set('bad-ns.test', { NS: ['ns-ula.lab.test', 'ns-doc.lab.test'], MX: [{ preference: 5, exchange: 'mx-ula.lab.test' }] });
    lab.dns.set('ns-ula.lab.test', { AAAA: ['fd00::53'] });
    lab.dns.set('ns-doc.lab.test', { AAAA: ['2001:db8::53'] });
    lab.dns.set('mx-ula.lab.test', { AAAA: ['fd00::25'] });
    const { recorder, failed } = await scanWith(['bad-ns.test'], true);
    expect(failed).toEqual([
      'dns://bad-ns.test IPV6-MX-AAAA',
      'dns://bad-ns.test IPV6-MX-NON-GLOBAL',
      'dns://bad-ns.test IPV6-NS-AAAA',
      'dns://bad-ns.test IPV6-NS-NON-GLOBAL',
    ]);
    expect(recorder.attempts.join('\n')).not.toMatch(/fd00|2001:db8/);
  });

  it('an IPv4-mapped name server and a ULA MX host (the lab scenario) are reported, and only loopback is contacted', async () => {
    const { recorder, failed } = await scanWith(NS_MX_NON_GLOBAL, true);
    // NS-REACH: the recorder refuses ns1's ::1 as well, so that name server does not answer.
    const expected = ['IPV6-MX-AAAA', 'IPV6-MX-NON-GLOBAL', 'IPV6-NS-AAAA', 'IPV6-NS-NON-GLOBAL', 'IPV6-NS-REACH'];
    expect(failed).toEqual(expected.map((id) => `dns://ngmail.test ${id}`));
    // The web host and ns1 are on loopback and were probed; the mapped and ULA addresses were not.
    expect(recorder.attempts.length).toBeGreaterThan(0);
    expect(recorder.attempts.filter((a) => !/^(tcp|udp) (127\.0\.0\.1|::1) /.test(a))).toEqual([]);
    expect(recorder.attempts.join('\n')).not.toMatch(/fd00|ffff/);
  });

  it('covers every scenario the lab defines with an address outside loopback', () => {
    const outside = IPV6_SCENARIOS.filter((s) => Object.values(s.zones).some((r) => (r.AAAA ?? []).some((a) => a !== '::1')));
    expect(outside.map((s) => s.domain).sort()).toEqual([...NON_GLOBAL, ...NS_MX_NON_GLOBAL].sort());
  });
});
