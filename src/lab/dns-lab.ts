// The IPv6 lab: a DNS fixture on ::1 serving scenario zones, HTTP and HTTPS servers bound separately
// on 127.0.0.1 and ::1 (same port, so one --port-map serves both families) that answer per Host header
// and per family, SMTP greeters, and v4-only servers for "AAAA points at a closed port". Everything is
// on loopback; scenario addresses outside loopback (ULA, documentation) are data, never listened on.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDnsFixture, startSilentUdp, type DnsFixture, type LabZoneData } from './dns-server.js';
import { GOOD_TLS, SocketTracker, closeAll, listen } from './servers.js';

interface PageSpec {
  status: number;
  body: string;
}

/** What a web host serves: per family; a family left out answers 421 (no such site). */
export interface SiteSpec {
  v4?: PageSpec;
  v6?: PageSpec;
}

export interface Ipv6Scenario {
  /** The domain scanned (`govscan scan DOMAIN`). */
  domain: string;
  description: string;
  zones: LabZoneData;
  sites: Record<string, SiteSpec>;
  /** Host-specific port maps to the lab's special servers. */
  portMap?: { host: string; port: number; to: 'v4-only-http' | 'v4-only-https' | 'v4-only-smtp' | 'silent-dns' | 'no-http' }[];
  /** Rule ids expected to fail, sorted. */
  expected: string[];
  /** Rule ids expected to be not tested (with a reason), sorted; none when absent. */
  notTested?: string[];
}

const page = (title: string): string =>
  `<!doctype html><html><head><title>${title}</title><meta name="csrf-token" content="NONCE"></head><body>` +
  `<h1>${title}</h1>${'<p>Thông tin dịch vụ công trực tuyến — public service information.</p>'.repeat(20)}</body></html>`;

/** Same site on both families, with a per-request nonce that the comparison must ignore. */
export function sameSite(title: string): SiteSpec {
  return { v4: { status: 200, body: page(title) }, v6: { status: 200, body: page(title) } };
}

const LO4 = '127.0.0.1';
const LO6 = '::1';

/** Name servers and mail hosts every scenario may use. */
const SHARED_ZONE: LabZoneData = {
  'lab.test': { NS: ['ns1.lab.test', 'ns2.lab.test'] },
  'ns1.lab.test': { A: [LO4], AAAA: [LO6] },
  'ns2.lab.test': { A: [LO4], AAAA: [LO6] },
  'nsv4.lab.test': { A: [LO4] },
  'nsdown.lab.test': { A: [LO4], AAAA: [LO6] },
  'mx.lab.test': { A: [LO4], AAAA: [LO6] },
  'mx4.lab.test': { A: [LO4] },
  'mxdown.lab.test': { A: [LO4], AAAA: [LO6] },
};

function dualZone(domain: string, extra: Partial<Record<string, LabZoneData[string]>> = {}): LabZoneData {
  return {
    [domain]: {
      A: [LO4],
      AAAA: [LO6],
      NS: ['ns1.lab.test', 'ns2.lab.test'],
      MX: [{ preference: 10, exchange: 'mx.lab.test' }],
      ...extra[domain],
    },
    [`www.${domain}`]: { A: [LO4], AAAA: [LO6], ...extra[`www.${domain}`] },
  };
}

/** Every case the issue lists; `expected` is what `govscan scan --lab` must report for it. */
export const IPV6_SCENARIOS: Ipv6Scenario[] = [
  {
    domain: 'dual.test',
    description: 'dual-stack web, two name servers with IPv6, MX with IPv6: passes everything',
    zones: dualZone('dual.test'),
    sites: { 'dual.test': sameSite('dual'), 'www.dual.test': sameSite('dual www') },
    expected: [],
  },
  {
    domain: 'v4only.test',
    description: 'web host without AAAA',
    zones: {
      'v4only.test': { A: [LO4], NS: ['ns1.lab.test', 'ns2.lab.test'] },
      'www.v4only.test': { A: [LO4] },
    },
    sites: { 'v4only.test': sameSite('v4'), 'www.v4only.test': sameSite('v4 www') },
    expected: ['IPV6-WEB-AAAA'],
  },
  {
    domain: 'closed.test',
    description: 'AAAA pointing at a closed port (web servers listen on IPv4 only)',
    zones: { 'closed.test': { A: [LO4], AAAA: [LO6], NS: ['ns1.lab.test', 'ns2.lab.test'] } },
    sites: { 'closed.test': sameSite('closed') },
    portMap: [
      { host: 'closed.test', port: 80, to: 'v4-only-http' },
      { host: 'closed.test', port: 443, to: 'v4-only-https' },
    ],
    expected: ['IPV6-PORT-PARITY', 'IPV6-WEB-REACH'],
  },
  {
    domain: 'mapped.test',
    description: 'AAAA that is IPv4-mapped',
    zones: { 'mapped.test': { A: [LO4], AAAA: ['::ffff:127.0.0.1'], NS: ['ns1.lab.test', 'ns2.lab.test'] } },
    sites: { 'mapped.test': sameSite('mapped') },
    expected: ['IPV6-AAAA-NON-GLOBAL', 'IPV6-WEB-AAAA'],
  },
  {
    domain: 'ula.test',
    description: "AAAA that is a ULA (fd00::/8: the machine's own subnet, must never be contacted)",
    zones: { 'ula.test': { A: [LO4], AAAA: ['fd00::1234'], NS: ['ns1.lab.test', 'ns2.lab.test'] } },
    sites: { 'ula.test': sameSite('ula') },
    expected: ['IPV6-AAAA-NON-GLOBAL', 'IPV6-WEB-AAAA'],
  },
  {
    domain: 'doc.test',
    description: 'AAAA in the documentation prefix 2001:db8::/32',
    zones: { 'doc.test': { A: [LO4], AAAA: ['2001:db8::80'], NS: ['ns1.lab.test', 'ns2.lab.test'] } },
    sites: { 'doc.test': sameSite('doc') },
    expected: ['IPV6-AAAA-NON-GLOBAL', 'IPV6-WEB-AAAA'],
  },
  {
    domain: 'onens.test',
    description: 'one name server with AAAA, the other IPv4 only',
    zones: { 'onens.test': { A: [LO4], AAAA: [LO6], NS: ['ns1.lab.test', 'nsv4.lab.test'] } },
    sites: { 'onens.test': sameSite('onens') },
    expected: ['IPV6-NS-AAAA'],
  },
  {
    domain: 'nsdown.test',
    description: 'a name server with AAAA that does not answer',
    zones: { 'nsdown.test': { A: [LO4], AAAA: [LO6], NS: ['ns1.lab.test', 'nsdown.lab.test'] } },
    sites: { 'nsdown.test': sameSite('nsdown') },
    portMap: [{ host: 'nsdown.lab.test', port: 53, to: 'silent-dns' }],
    expected: ['IPV6-NS-REACH'],
  },
  {
    domain: 'mxv4.test',
    description: 'MX host without AAAA',
    zones: {
      'mxv4.test': { A: [LO4], AAAA: [LO6], NS: ['ns1.lab.test', 'ns2.lab.test'], MX: [{ preference: 10, exchange: 'mx4.lab.test' }] },
    },
    sites: { 'mxv4.test': sameSite('mxv4') },
    expected: ['IPV6-MX-AAAA'],
  },
  {
    domain: 'mxdown.test',
    description: 'MX host with AAAA whose SMTP listens on IPv4 only',
    zones: {
      'mxdown.test': { A: [LO4], AAAA: [LO6], NS: ['ns1.lab.test', 'ns2.lab.test'], MX: [{ preference: 10, exchange: 'mxdown.lab.test' }] },
    },
    sites: { 'mxdown.test': sameSite('mxdown') },
    portMap: [{ host: 'mxdown.lab.test', port: 25, to: 'v4-only-smtp' }],
    expected: ['IPV6-MX-REACH'],
  },
  {
    domain: 'nullmx.test',
    description: 'null MX: the domain takes no mail',
    zones: { 'nullmx.test': { A: [LO4], AAAA: [LO6], NS: ['ns1.lab.test', 'ns2.lab.test'], MX: [{ preference: 0, exchange: '' }] } },
    sites: { 'nullmx.test': sameSite('nullmx') },
    expected: [],
  },
  {
    domain: 'diff.test',
    description: 'different site over IPv6',
    zones: { 'diff.test': { A: [LO4], AAAA: [LO6], NS: ['ns1.lab.test', 'ns2.lab.test'] } },
    sites: {
      'diff.test': {
        v4: { status: 200, body: page('the real portal') },
        v6: { status: 200, body: '<html><body>It works! Default page of the IPv6 web server.</body></html>' },
      },
    },
    expected: ['IPV6-WEB-SAME-SITE'],
  },
  {
    domain: 'waf.test',
    description: 'a WAF answers 403 over IPv6 only',
    zones: { 'waf.test': { A: [LO4], AAAA: [LO6], NS: ['ns1.lab.test', 'ns2.lab.test'] } },
    sites: {
      'waf.test': { v4: { status: 200, body: page('waf') }, v6: { status: 403, body: '<html><body>Request blocked</body></html>' } },
    },
    expected: ['IPV6-WEB-SAME-SITE'],
  },
  {
    domain: 'nohttp.test',
    description: 'ports 80/443 open over both families, but nothing answers HTTP: the same-site comparison cannot be made',
    zones: { 'nohttp.test': { A: [LO4], AAAA: [LO6], NS: ['ns1.lab.test', 'ns2.lab.test'] } },
    sites: {},
    portMap: [
      { host: 'nohttp.test', port: 80, to: 'no-http' },
      { host: 'nohttp.test', port: 443, to: 'no-http' },
    ],
    expected: [],
    notTested: ['IPV6-WEB-SAME-SITE'],
  },
  {
    domain: 'ngmail.test',
    description: 'a name server with an IPv4-mapped AAAA and an MX host with a ULA AAAA (fd00::/8: never to be contacted)',
    zones: {
      'ngmail.test': {
        A: [LO4],
        AAAA: [LO6],
        NS: ['ns1.lab.test', 'nsmapped.lab.test'],
        MX: [{ preference: 10, exchange: 'mxula.lab.test' }],
      },
      'nsmapped.lab.test': { A: [LO4], AAAA: ['::ffff:127.0.0.1'] },
      'mxula.lab.test': { A: [LO4], AAAA: ['fd00::25'] },
    },
    sites: { 'ngmail.test': sameSite('ngmail') },
    expected: ['IPV6-MX-AAAA', 'IPV6-MX-NON-GLOBAL', 'IPV6-NS-AAAA', 'IPV6-NS-NON-GLOBAL'],
  },
  {
    domain: 'parity.test',
    description: 'a service (SMTP) open on the IPv4 address only',
    zones: { 'parity.test': { A: [LO4], AAAA: [LO6], NS: ['ns1.lab.test', 'ns2.lab.test'] } },
    sites: { 'parity.test': sameSite('parity') },
    portMap: [{ host: 'parity.test', port: 25, to: 'v4-only-smtp' }],
    expected: ['IPV6-PORT-PARITY'],
  },
];

export interface Ipv6Lab {
  dns: DnsFixture;
  ports: {
    http: number;
    https: number;
    smtp: number;
    v4OnlyHttp: number;
    v4OnlyHttps: number;
    v4OnlySmtp: number;
    silentDns: number;
    noHttp: number;
  };
  /** Arguments that point a scan at this lab: --dns-server, --lab and every --port-map. */
  args(scenarios?: readonly Ipv6Scenario[]): string[];
  /** Requests served, per family, for tests that assert who was contacted. */
  hits: { v4: number; v6: number };
  close(): Promise<void>;
}

/** A throw-away self-signed certificate: the same-site comparison does not verify TLS. */
function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'govscan-ipv6-lab-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=lab.test',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Listen on 127.0.0.1 and on ::1 with the same port number (retrying when ::1 has it taken). */
async function listenBoth(make: () => net.Server, tracker: SocketTracker, servers: net.Server[]): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const s4 = make();
    tracker.track(s4);
    const port = await listen(s4, LO4);
    const s6 = make();
    tracker.track(s6);
    const ok = await new Promise<boolean>((resolve) => {
      s6.once('error', () => resolve(false));
      s6.listen({ host: LO6, port, exclusive: true, ipv6Only: true }, () => resolve(true));
    });
    if (ok) {
      servers.push(s4, s6);
      return port;
    }
    await new Promise<void>((r) => s4.close(() => r()));
  }
  throw new Error('no port free on both 127.0.0.1 and ::1');
}

export async function startIpv6Lab(
  opts: {
    scenarios?: readonly Ipv6Scenario[];
    extraZones?: LabZoneData;
    extraSites?: Record<string, SiteSpec>;
    recordQueries?: boolean;
  } = {},
): Promise<Ipv6Lab> {
  const scenarios = opts.scenarios ?? IPV6_SCENARIOS;
  const zones: LabZoneData = { ...SHARED_ZONE, ...opts.extraZones };
  const sites = new Map<string, SiteSpec>(Object.entries(opts.extraSites ?? {}));
  for (const s of scenarios) {
    Object.assign(zones, s.zones);
    for (const [host, site] of Object.entries(s.sites)) sites.set(host, site);
  }
  const dns = await startDnsFixture({ zones, record: opts.recordQueries ?? false });
  const silent = await startSilentUdp(LO6);
  const tracker = new SocketTracker();
  const servers: net.Server[] = [];
  const hits = { v4: 0, v6: 0 };
  const { key, cert } = selfSigned();

  let nonce = 0;
  const handler =
    (v4Only: boolean) =>
    (req: http.IncomingMessage, res: http.ServerResponse): void => {
      const v6 = (req.socket.localAddress ?? '').includes(':') && !(req.socket.localAddress ?? '').startsWith('::ffff:');
      if (v6) hits.v6++;
      else hits.v4++;
      const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
      const site = sites.get(host);
      const spec = v6 ? site?.v6 : site?.v4;
      if (!spec || (v4Only && v6)) {
        res.writeHead(421, { 'content-type': 'text/plain' }).end(`no site ${host}`);
        return;
      }
      // A fresh nonce per response: the comparison must see through it.
      nonce++;
      const body = spec.body.replace('NONCE', `${nonce.toString(16)}a${(nonce * 7919).toString(36)}f3e9c1d2b8a7`);
      res.writeHead(spec.status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
    };
  const httpPort = await listenBoth(() => http.createServer(handler(false)), tracker, servers);
  const httpsPort = await listenBoth(() => https.createServer({ key, cert, ...GOOD_TLS }, handler(false)), tracker, servers);
  const smtp = (): net.Server =>
    net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.write('220 mx.lab.test ESMTP govscan-lab\r\n');
      socket.on('data', (d) => {
        if (/^QUIT/i.test(d.toString())) socket.end('221 bye\r\n');
      });
    });
  const smtpPort = await listenBoth(smtp, tracker, servers);
  // Accepts on both families and hangs up at once: the port is open, yet no page ever comes back.
  const noHttp = await listenBoth(() => net.createServer((socket) => socket.on('error', () => undefined).destroy()), tracker, servers);
  const v4Only = async (server: net.Server): Promise<number> => {
    tracker.track(server);
    servers.push(server);
    return listen(server, LO4);
  };
  const v4OnlyHttp = await v4Only(http.createServer(handler(true)));
  const v4OnlyHttps = await v4Only(https.createServer({ key, cert, ...GOOD_TLS }, handler(true)));
  const v4OnlySmtp = await v4Only(smtp());
  const ports = { http: httpPort, https: httpsPort, smtp: smtpPort, v4OnlyHttp, v4OnlyHttps, v4OnlySmtp, silentDns: silent.port, noHttp };
  const special = {
    'v4-only-http': v4OnlyHttp,
    'v4-only-https': v4OnlyHttps,
    'v4-only-smtp': v4OnlySmtp,
    'silent-dns': silent.port,
    'no-http': noHttp,
  } as const;

  return {
    dns,
    ports,
    hits,
    args(only = scenarios) {
      const a = [
        '--dns-server',
        `[${LO6}]:${dns.port}`,
        '--lab',
        '--port-map',
        `80=${httpPort}`,
        '--port-map',
        `443=${httpsPort}`,
        '--port-map',
        `25=${smtpPort}`,
        '--port-map',
        `53=${dns.port}`,
      ];
      for (const s of only) for (const m of s.portMap ?? []) a.push('--port-map', `${m.host}:${m.port}=${special[m.to]}`);
      return a;
    },
    close: async () => {
      await closeAll(servers, tracker);
      await Promise.all([dns.close(), silent.close()]);
    },
  };
}
