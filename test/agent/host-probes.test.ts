// The agent's host check (checks/host): recorded /proc/net/tcp{,6} and interface lists give exactly
// the services and addresses they describe; the real /proc of this machine shows a listener opened
// here on 127.0.0.1 as IPv4-only and one on :: as dual-stack; certificate files and forwarder
// configuration are described as they are on disk; the facts match their published schema; and
// policies/vn-agent-host.yaml fails each rule on exactly its defect.

import { createServer, type Server } from 'node:net';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NetworkInterfaceInfo } from 'node:os';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostCheck, hostLocalCheck, localTarget } from '../../checks/host/check.js';
import type { HostFacts } from '../../checks/host/facts.js';
import { parseProcNetTcp, probeListeners, servicesOf } from '../../checks/host/probe-listeners.js';
import { issueCertificate } from '../../src/lab/pki.js';
import { CachingResolver } from '../../src/core/net/resolver.js';
import { NetDialer } from '../../src/core/net/dialer.js';
import { KNOWN_CHECKS } from '../../src/engine/registry.js';
import type { Attempt, CheckContext, Finding, Target } from '../../src/core/types.js';
import { evaluate, loadBuiltinPolicies, type LoadedPolicy } from '../../src/policy/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/host/', import.meta.url));
const PROC = join(FIXTURES, 'proc');
const NOW = new Date('2026-03-01T00:00:00Z');
const DAY = 86_400_000;

let dir: string;
let pack: LoadedPolicy;
let interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-host-'));
  interfaces = JSON.parse(await readFile(join(FIXTURES, 'interfaces.json'), 'utf8')) as NodeJS.Dict<NetworkInterfaceInfo[]>;
  const [found] = (await loadBuiltinPolicies({ knownChecks: KNOWN_CHECKS })).filter((p) => p.id === 'vn-agent-host');
  if (!found) throw new Error('vn-agent-host is not a built-in pack');
  pack = found;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ctx(): CheckContext {
  return {
    resolver: new CachingResolver({ timeoutMs: 500 }),
    dialer: new NetDialer(1),
    now: () => NOW,
    timeoutMs: 500,
    signal: new AbortController().signal,
    trust: { public: { name: 'public', certificates: [] }, custom: null },
    userAgent: 'test',
  };
}

const target: Target = localTarget('web01.agency.example', { agency: 'so-tttt' });

describe('listening sockets from /proc/net/tcp and tcp6', () => {
  it('parses a recorded pair of files into services by port', async () => {
    const facts = await probeListeners(PROC);
    expect(facts).toMatchObject({ available: true, tcp: 'ok', tcp6: 'ok', bindv6only: false, omitted: 0 });
    const by = new Map(facts.services.map((s) => [s.port, s]));
    // Established connections (state 01) are not services.
    expect([...by.keys()]).toEqual([22, 25, 80, 443, 5432, 8080, 9000]);
    expect(by.get(22)).toMatchObject({ v4: ['0.0.0.0'], v6: ['::'], dualStack: true, ipv4Only: false, loopbackOnly: false });
    expect(by.get(25)).toMatchObject({ v4: [], v6: ['2001:db8::5'], v4Scope: 'none', v6Scope: 'network', ipv4Only: false });
    expect(by.get(80)).toMatchObject({ v4: ['0.0.0.0'], v6: [], v4Scope: 'network', v6Scope: 'none', ipv4Only: true, loopbackOnly: false });
    expect(by.get(443)).toMatchObject({ v4: ['0.0.0.0'], v6: ['::'], dualStack: true, ipv4Only: false });
    expect(by.get(5432)).toMatchObject({ v4: ['127.0.0.1'], v6: [], v4Scope: 'loopback', ipv4Only: true, loopbackOnly: true });
    // Open to the network over IPv4, to the host itself only over IPv6: IPv6 clients cannot use it.
    // 10.0.0.5 is text in the recorded fixtures/host/proc/net/tcp, parsed only: nothing here connects to it.
    expect(by.get(8080)).toMatchObject({
      v4: ['10.0.0.5'],
      v6: ['::1'],
      v4Scope: 'network',
      v6Scope: 'loopback',
      ipv4Only: true,
      loopbackOnly: false,
    });
    // A v6 socket on a v4-mapped address serves IPv4 only.
    expect(by.get(9000)).toMatchObject({ v4: ['127.0.0.1'], v6: [], ipv4Only: true });
  });

  it('with net.ipv6.bindv6only = 1, a socket on :: serves IPv6 only', async () => {
    const listeners = parseProcNetTcp(await readFile(join(PROC, 'net', 'tcp6'), 'utf8'), 6);
    const [https] = servicesOf(
      listeners.filter((l) => l.port === 443),
      true,
    );
    expect(https).toMatchObject({ port: 443, v4: [], v6: ['::'], dualStack: false, ipv4Only: false });
  });

  it('decodes big-endian kernels too', () => {
    const line = '   0: 7F000001:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0';
    expect(parseProcNetTcp(line, 4, false)).toEqual([{ family: 4, address: '127.0.0.1', port: 5432 }]);
    expect(parseProcNetTcp(line, 4, true)).toEqual([{ family: 4, address: '1.0.0.127', port: 5432 }]);
  });

  it('reports a missing /proc as not available rather than as no services', async () => {
    const facts = await probeListeners(join(dir, 'no-proc'));
    expect(facts).toMatchObject({ available: false, tcp: 'missing', tcp6: 'missing', bindv6only: null, services: [] });
  });

  describe('on this machine', () => {
    const servers: Server[] = [];
    const listen = (host: string, opts: { ipv6Only?: boolean } = {}): Promise<number> =>
      new Promise((resolve, reject) => {
        const s = createServer();
        servers.push(s);
        s.once('error', reject);
        s.listen({ port: 0, host, ...opts }, () => resolve((s.address() as { port: number }).port));
      });
    afterAll(() => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))));

    it('shows a listener on 127.0.0.1 as IPv4-only and one on :: as dual-stack', async () => {
      const v4Port = await listen('127.0.0.1');
      const dualPort = await listen('::');
      const facts = await probeListeners('/proc');
      expect(facts.available).toBe(true);
      const v4 = facts.services.find((s) => s.port === v4Port);
      const dual = facts.services.find((s) => s.port === dualPort);
      expect(v4).toMatchObject({ v4: ['127.0.0.1'], v6: [], ipv4Only: true, loopbackOnly: true });
      expect(dual).toMatchObject({ v6: ['::'], ipv4Only: false, dualStack: facts.bindv6only !== true });
    });
  });
});

describe('host.local', () => {
  it("applies only to the agent's local:// target", () => {
    expect(hostLocalCheck.appliesTo(target)).toBe(true);
    const web: Target = { key: 'https://portal.example:443', kind: 'web', scheme: 'https', host: 'portal.example', port: 443, path: '/' };
    expect(hostLocalCheck.appliesTo(web)).toBe(false);
    expect(target).toMatchObject({ key: 'local://web01.agency.example', kind: 'local', scheme: 'local', agency: 'so-tttt' });
  });

  it('describes interfaces, certificate files and forwarders as they are, within the published schema', async () => {
    const facts = await probe(await hostFiles());
    expect(facts.hostname).toBe('web01.agency.example');
    expect(facts.globalIpv6Addresses).toEqual(['2402:800:20ff:1::25']);
    expect(facts.interfaces.map((i) => [i.name, i.internal, i.globalIpv6])).toEqual([
      ['eth0', false, false],
      ['eth1', false, true],
      ['lo', true, false],
    ]);
    expect(facts.interfaces.find((i) => i.name === 'eth0')?.addresses.map((a) => a.class)).toEqual(['documentation', 'ula', 'link-local']);

    const cert = (name: string) => facts.certificateFiles.find((c) => c.path.endsWith(name));
    expect(cert('valid.pem')).toMatchObject({
      status: 'ok',
      subject: 'CN=valid.agency.example',
      daysToExpiry: 200,
      expired: false,
      count: 2,
    });
    expect(cert('valid.pem')?.issuer).toBe('CN=Agency Test Root');
    expect(cert('expired.der')).toMatchObject({ status: 'ok', expired: true, daysToExpiry: -10 });
    expect(cert('expiring.pem')).toMatchObject({ status: 'ok', expired: false, daysToExpiry: 5 });
    expect(cert('absent.pem')).toMatchObject({ status: 'missing', subject: null, notAfter: null, daysToExpiry: null });
    expect(cert('garbage.pem')).toMatchObject({ status: 'not-a-certificate', subject: null });

    const soc = facts.forwarders.find((f) => f.name === 'soc');
    expect(soc).toMatchObject({ host: 'soc.tinh.example', port: 6514, configured: true });
    expect(soc?.files.map((f) => [f.path.split('/').pop(), f.status, f.mentionsHost, f.mentionsPort])).toEqual([
      ['10-other.conf', 'ok', false, false],
      ['60-soc.conf', 'ok', true, true],
    ]);
    const ncsc = facts.forwarders.find((f) => f.name === 'ncsc');
    // The host is named but on another port (16514 must not count as 6514).
    expect(ncsc).toMatchObject({ host: '[2001:db8::10]'.slice(1, -1), port: 6514, configured: false });
    expect(ncsc?.files.map((f) => [f.status, f.mentionsHost, f.mentionsPort])).toEqual([
      ['ok', true, false],
      ['missing', false, false],
    ]);

    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
    const validate = ajv.compile(hostLocalCheck.factsSchema);
    expect(validate(JSON.parse(JSON.stringify(facts))), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('policies/vn-agent-host.yaml', () => {
  const judge = (facts: HostFacts): Finding[] => {
    const attempt: Attempt = { check: 'host.local', target: target.key, status: 'ok', facts, startedAt: NOW.toISOString(), durationMs: 1 };
    return evaluate({ targets: [target], attempts: [attempt], policies: [pack], now: NOW });
  };
  const outcomes = (findings: Finding[]): Record<string, string> => Object.fromEntries(findings.map((f) => [f.ruleId, f.outcome]));

  it('fails each rule on its defect, with filled messages in both languages', async () => {
    const findings = judge(await probe(await hostFiles()));
    expect(outcomes(findings)).toEqual({
      'HOST-IPV6-NO-GLOBAL-ADDRESS': 'pass',
      'HOST-SERVICE-IPV4-ONLY': 'fail',
      'HOST-CERT-FILE-UNREADABLE': 'fail',
      'HOST-CERT-FILE-EXPIRED': 'fail',
      'HOST-CERT-FILE-EXPIRING': 'fail',
      'HOST-FORWARDER-CONFIG-MISSING': 'fail',
    });
    const byRule = new Map(findings.map((f) => [f.ruleId, f]));
    // Loopback-only services are left out by default: 80 and 8080 are reachable over IPv4 only; 5432 and 9000 are local.
    expect(byRule.get('HOST-SERVICE-IPV4-ONLY')?.message.en).toBe(
      'web01.agency.example: TCP port(s) 80 (0.0.0.0) and 8080 (10.0.0.5) listen on IPv4 only.',
    );
    expect(byRule.get('HOST-CERT-FILE-EXPIRED')?.message.en).toContain('expired.der');
    expect(byRule.get('HOST-CERT-FILE-EXPIRED')?.message.en).not.toContain('valid.pem');
    // Five days left is under the critical bar of seven.
    expect(byRule.get('HOST-CERT-FILE-EXPIRING')).toMatchObject({ severity: 'critical' });
    expect(byRule.get('HOST-CERT-FILE-EXPIRING')?.message.en).toMatch(/expiring\.pem \(5\)/);
    expect(byRule.get('HOST-FORWARDER-CONFIG-MISSING')?.message.vi).toBe(
      'web01.agency.example: không có cấu hình gửi nhật ký tới ncsc → [2001:db8::10]:6514.',
    );
    for (const f of findings.filter((x) => x.outcome === 'fail')) {
      for (const text of [f.message.en, f.message.vi]) expect(text, f.ruleId).not.toMatch(/\{[A-Za-z_][\w.]*\}/);
    }
  });

  it('passes a compliant host, and does not judge what the agent was not told to look at', async () => {
    const files = await hostFiles();
    const compliant = await probe(
      { ...files, certificateFiles: [files.certificateFiles[0] as string], forwarders: [files.forwarders[0]!] },
      join(dir, 'proc-good'),
    );
    expect(outcomes(judge(compliant))).toEqual({
      'HOST-IPV6-NO-GLOBAL-ADDRESS': 'pass',
      'HOST-SERVICE-IPV4-ONLY': 'pass',
      'HOST-CERT-FILE-UNREADABLE': 'pass',
      'HOST-CERT-FILE-EXPIRED': 'pass',
      'HOST-CERT-FILE-EXPIRING': 'pass',
      'HOST-FORWARDER-CONFIG-MISSING': 'pass',
    });
    const bare = await probe({ certificateFiles: [], forwarders: [] }, join(dir, 'no-proc'), {
      lo: interfaces['lo'] ?? [],
      eth0: interfaces['eth0'] ?? [],
    });
    expect(outcomes(judge(bare))).toEqual({
      'HOST-IPV6-NO-GLOBAL-ADDRESS': 'fail',
      // No /proc/net/tcp: not judged, never a silent pass.
      'HOST-SERVICE-IPV4-ONLY': 'not-tested',
      'HOST-CERT-FILE-UNREADABLE': 'not-applicable',
      'HOST-CERT-FILE-EXPIRED': 'not-applicable',
      'HOST-CERT-FILE-EXPIRING': 'not-applicable',
      // Which collector to look for is configuration the agent lacks: not tested, not passed.
      'HOST-FORWARDER-CONFIG-MISSING': 'not-tested',
    });
  });

  it('judges no other kind of target: govscan scan gets nothing from this pack', () => {
    const web: Target = { key: 'https://portal.example:443', kind: 'web', scheme: 'https', host: 'portal.example', port: 443, path: '/' };
    const tlsAttempt: Attempt = {
      check: 'tls.endpoint',
      target: web.key,
      status: 'ok',
      facts: {},
      startedAt: NOW.toISOString(),
      durationMs: 1,
    };
    expect(evaluate({ targets: [web], attempts: [tlsAttempt], policies: [pack], now: NOW })).toEqual([]);
  });
});

interface Files {
  certificateFiles: string[];
  forwarders: { name: string; collector: string; configFiles: string[] }[];
}

let files: Promise<Files> | undefined;
/** Certificate files (valid bundle, expired DER, expiring, absent, garbage) and forwarder configs, made once. */
function hostFiles(): Promise<Files> {
  files ??= (async () => {
    const root = await issueCertificate({
      subjectCN: 'Agency Test Root',
      isCA: true,
      key: { type: 'ec' },
      notBefore: new Date(NOW.getTime() - 400 * DAY),
      notAfter: new Date(NOW.getTime() + 4000 * DAY),
    });
    const leaf = (cn: string, days: number) =>
      issueCertificate({
        subjectCN: cn,
        issuer: root,
        key: { type: 'ec' },
        notBefore: new Date(NOW.getTime() - 100 * DAY),
        notAfter: new Date(NOW.getTime() + days * DAY + 3_600_000),
      });
    const [valid, expired, expiring] = await Promise.all([
      leaf('valid.agency.example', 200),
      leaf('expired.agency.example', -11),
      leaf('expiring.agency.example', 5),
    ]);
    const certs = join(dir, 'certs');
    await mkdir(certs, { recursive: true });
    await writeFile(join(certs, 'valid.pem'), valid!.certPem + root.certPem);
    await writeFile(join(certs, 'expired.der'), expired!.der);
    await writeFile(join(certs, 'expiring.pem'), expiring!.certPem);
    await writeFile(join(certs, 'garbage.pem'), 'not a certificate\n');
    const rsyslog = join(dir, 'rsyslog.d');
    await mkdir(rsyslog, { recursive: true });
    await writeFile(join(rsyslog, '10-other.conf'), '*.* /var/log/all.log\n');
    await writeFile(join(rsyslog, '60-soc.conf'), 'action(type="omfwd" target="SOC.tinh.example" port="6514" protocol="tcp")\n');
    await writeFile(join(dir, 'ncsc.conf'), '[OUTPUT]\n  Host 2001:db8::10\n  Port 16514\n');
    // A /proc where every service listens on both families.
    await mkdir(join(dir, 'proc-good', 'net'), { recursive: true });
    await writeFile(
      join(dir, 'proc-good', 'net', 'tcp'),
      (await readFile(join(PROC, 'net', 'tcp'), 'utf8')).split('\n').slice(0, 2).join('\n') + '\n',
    );
    await writeFile(
      join(dir, 'proc-good', 'net', 'tcp6'),
      (await readFile(join(PROC, 'net', 'tcp6'), 'utf8')).split('\n').slice(0, 3).join('\n') + '\n',
    );
    return {
      certificateFiles: ['valid.pem', 'expired.der', 'expiring.pem', 'absent.pem', 'garbage.pem'].map((n) => join(certs, n)),
      forwarders: [
        { name: 'soc', collector: 'soc.tinh.example:6514', configFiles: [rsyslog] },
        { name: 'ncsc', collector: '[2001:db8::10]:6514', configFiles: [join(dir, 'ncsc.conf'), join(dir, 'absent.conf')] },
      ],
    };
  })();
  return files;
}

async function probe(f: Files, procRoot = PROC, list = interfaces): Promise<HostFacts> {
  const check = createHostCheck({ ...f, procRoot, interfaces: () => list });
  return check.run(target, ctx());
}
