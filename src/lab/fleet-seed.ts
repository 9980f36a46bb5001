// Realistic fleet data for the server's tests, the dashboard test and the benchmark, varied from ONE
// real govscan JSON report (test/fixtures/server/report-agency.json; generate.mjs beside it re-runs the
// scan against the local TLS farm and IPv6 lab). Everything is deterministic for a given `seed`, so
// tests can assert exact counts.
//
//   const fleet = seedFleet({ now: new Date('2026-11-23T12:00:00Z') });
//   await loadFleet(store, fleet);          // createAgency for each agency, then ingest every batch
//   fleet.batches                           // Batch[], oldest first
//   fleet.latest                            // the newest batch of each agent
//   batchOfFindings(50)                     // one batch with exactly 50 findings (benchmark)
//
// What varies, per agency index a (0-based), agent index g, day index d (0 = oldest of `days`):
// - targets and names: agency `so-tttt-<place>`, systems per agent (agent 0: cong-dvc + thu-dien-tu,
//   agent 1: mot-cua + van-ban, …), hosts under `<place>.gov.vn`, report.run.agency = agency name;
// - TLS-HSTS-MISSING on system A's main endpoint fails on the first two days, passes after;
// - TLS-PROTO-LEGACY on system B's webmail endpoint fails, and passes from day ⌈days/2⌉ on for even a;
// - IPV6-MX-AAAA on system B's domain fails, and passes from day ⌈days/2⌉ on when a % 3 === 1 (the
//   domain's IPv6 score then goes from 67 to 100);
// - TLS-CERT-EXPIRING: system A's API endpoint serves a leaf expiring at now + (10 + 3a) days, so it
//   fails once fewer than 30 days are left; system B's main endpoint serves a leaf expired at
//   now − 40 days (TLS-CERT-EXPIRED fails on every day); the other leafs expire at now + 79 days;
// - every run carries a `host.local` attempt (target `local://<hostname>`) with three certificate
//   files: one expiring at now + (5 + a) days, one at now + 200 days, one missing;
// - when a % 3 === 2, system B's webmail endpoint is declared outside any system (system id '');
// - the last agent of the last agency (with ≥ 2 agencies) stopped reporting: its batches are
//   4 days older, so with its 1-day interval it is stale after 3 intervals.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Batch } from '../contract/agent-api.js';
import type { HostCertificateFileFact, HostFactsForServer } from '../../checks/host/check-id.js';
import type { Store } from '../server/store/store-types.js';
import { HOST_CHECK } from '../../checks/host/check-id.js';
import { TLS_CHECK } from '../../checks/tls/check-id.js';
import type { Attempt, Finding, Outcome, Report, Severity, Target } from '../core/types.js';
import { SEVERITIES } from '../core/types.js';
import { packageRoot } from '../core/package-root.js';
import { fingerprint } from '../policy/evaluate.js';

const FIXTURE_REPORT = 'test/fixtures/server/report-agency.json';
const DAY = 86_400_000;

interface SeedAgency {
  id: string;
  name: string;
  /** DNS label under gov.vn, e.g. `tayninh`. */
  place: string;
  agents: SeedAgent[];
}

interface SeedAgent {
  id: string;
  agency: string;
  hostname: string;
  version: string;
  intervalSeconds: number;
  /** The two systems this agent's inventory declares. */
  systems: { id: string; name: string; level: number }[];
  /** True for the agent that stopped reporting. */
  stale: boolean;
}

export interface FleetOptions {
  /** Reference "now"; batches end at most a few minutes before it. Default 2026-11-23T12:00:00Z. */
  now?: Date;
  /** Default 3 (at most 8 named ones, then `agency-N`). */
  agencies?: number;
  /** Default 2. */
  agentsPerAgency?: number;
  /** One batch per agent per day. Default 7. */
  days?: number;
  /** Changes every batch id (two fleets with different seeds can share one database). Default 1. */
  seed?: number;
}

export interface Fleet {
  now: string;
  days: number;
  agencies: SeedAgency[];
  /** Every batch, oldest first. */
  batches: Batch[];
  /** The newest batch of each agent. */
  latest: Batch[];
}

const PLACES: [string, string, string][] = [
  ['so-tttt-tay-ninh', 'Sở TT&TT Tây Ninh', 'tayninh'],
  ['so-tttt-da-nang', 'Sở TT&TT Đà Nẵng', 'danang'],
  ['so-tttt-ha-giang', 'Sở TT&TT Hà Giang', 'hagiang'],
  ['so-tttt-can-tho', 'Sở TT&TT Cần Thơ', 'cantho'],
  ['so-tttt-hue', 'Sở TT&TT Huế', 'hue'],
  ['so-tttt-lao-cai', 'Sở TT&TT Lào Cai', 'laocai'],
  ['so-tttt-ca-mau', 'Sở TT&TT Cà Mau', 'camau'],
  ['so-tttt-quang-ninh', 'Sở TT&TT Quảng Ninh', 'quangninh'],
];

/** System pairs (A, B) per agent index; `host` is the DNS label of the system under the agency's domain. */
const SYSTEMS: [SysDef, SysDef][] = [
  [
    { id: 'cong-dvc', name: 'Cổng dịch vụ công', host: 'dichvucong', level: 3 },
    { id: 'thu-dien-tu', name: 'Hệ thống thư điện tử', host: 'mail', level: 2 },
  ],
  [
    { id: 'mot-cua', name: 'Hệ thống một cửa điện tử', host: 'motcua', level: 3 },
    { id: 'van-ban', name: 'Quản lý văn bản và điều hành', host: 'qlvb', level: 2 },
  ],
  [
    { id: 'cong-ttdt', name: 'Cổng thông tin điện tử', host: 'portal', level: 2 },
    { id: 'ho-tich', name: 'Hệ thống hộ tịch', host: 'hotich', level: 3 },
  ],
];

interface SysDef {
  id: string;
  name: string;
  host: string;
  level: number;
}

// ── The fixture and its parts ──────────────────────────────────────────────────────────────────

interface FixtureParts {
  text: string;
  report: Report;
  /** Farm target key → scenario name (good-rsa, expiring-soon, expired, legacy-protocols). */
  farm: Map<string, { scenario: string; host: string; port: number }>;
}

let fixture: FixtureParts | null = null;

function loadFixture(): FixtureParts {
  if (fixture) return fixture;
  const text = readFileSync(join(packageRoot(), FIXTURE_REPORT), 'utf8');
  const report = JSON.parse(text) as Report;
  const farm = new Map<string, { scenario: string; host: string; port: number }>();
  for (const t of report.targets)
    if (t.host.endsWith('.farm.test')) farm.set(t.key, { scenario: t.host.split('.')[0] ?? '', host: t.host, port: t.port });
  for (const s of ['good-rsa', 'expiring-soon', 'expired', 'legacy-protocols']) {
    if (![...farm.values()].some((f) => f.scenario === s))
      throw new Error(`${FIXTURE_REPORT}: no ${s} target (regenerate it with generate.mjs)`);
  }
  return (fixture = { text, report, farm });
}

/** A deep copy of the fixture report, exactly as the scan wrote it. */
export function fixtureReport(): Report {
  return JSON.parse(loadFixture().text) as Report;
}

/** Keys of one agent's targets, by role. */
interface AgentKeys {
  good: string;
  soon: string;
  expired: string;
  legacy: string;
  domA: string;
  domB: string;
}

interface AgentTemplate {
  text: string;
  keys: AgentKeys;
}

const templates = new Map<string, AgentTemplate>();

function sysFor(g: number): [SysDef, SysDef] {
  const pair = SYSTEMS[g % SYSTEMS.length] as [SysDef, SysDef];
  if (g < SYSTEMS.length) return pair;
  const n = Math.floor(g / SYSTEMS.length) + 1;
  return [
    { ...pair[0], id: `${pair[0].id}-${n}`, host: `${pair[0].host}${n}`, name: `${pair[0].name} ${n}` },
    { ...pair[1], id: `${pair[1].id}-${n}`, host: `${pair[1].host}${n}`, name: `${pair[1].name} ${n}` },
  ];
}

/** The fixture rewritten for one agent of one agency: its hosts, systems and agency name. */
function agentTemplate(agency: { id: string; name: string; place: string }, g: number): AgentTemplate {
  const cacheKey = `${agency.id}\u0000${agency.name}\u0000${agency.place}\u0000${g}`;
  const hit = templates.get(cacheKey);
  if (hit) return hit;
  const { text, report, farm } = loadFixture();
  const [A, B] = sysFor(g);
  const domA = `${A.host}.${agency.place}.gov.vn`;
  const domB = `${B.host}.${agency.place}.gov.vn`;
  const newHost: Record<string, string> = {
    'good-rsa': domA,
    'expiring-soon': `api.${domA}`,
    expired: domB,
    'legacy-protocols': `webmail.${domB}`,
  };
  const pairs: [string, string][] = [];
  for (const f of farm.values()) pairs.push([`${f.host}:${f.port}`, `${newHost[f.scenario]}:443`]);
  for (const f of farm.values()) pairs.push([f.host, newHost[f.scenario] ?? f.host]);
  pairs.push(['dual.test', domA], ['mxv4.test', domB]);
  const origA = report.targets.find((t) => t.system?.domain === 'dual.test')?.system;
  const origB = report.targets.find((t) => t.system?.domain === 'mxv4.test')?.system;
  if (origA?.name && origB?.name)
    pairs.push([`"${origA.id}"`, `"${A.id}"`], [origA.name, A.name], [`"${origB.id}"`, `"${B.id}"`], [origB.name, B.name]);
  if (report.run.agency) pairs.push([report.run.agency, agency.name]);
  let out = text;
  for (const [from, to] of pairs) out = out.split(from).join(to);
  const r = JSON.parse(out) as Report;
  for (const t of r.targets) {
    if (t.kind === 'web') t.port = 443;
    delete t.addressPinned;
    if (t.system) t.system.level = t.system.id === A.id ? A.level : B.level;
  }
  for (const f of r.findings) f.fingerprint = fingerprint(f.ruleId, f.target);
  const key = (scenario: string): string => `https://${newHost[scenario]}:443`;
  const tpl: AgentTemplate = {
    text: JSON.stringify(r),
    keys: {
      good: key('good-rsa'),
      soon: key('expiring-soon'),
      expired: key('expired'),
      legacy: key('legacy-protocols'),
      domA: `dns://${domA}`,
      domB: `dns://${domB}`,
    },
  };
  templates.set(cacheKey, tpl);
  return tpl;
}

// ── Building reports ───────────────────────────────────────────────────────────────────────────

interface Leaf {
  notAfter: string;
  notBefore?: string;
  daysToExpiry: number;
  expired: boolean;
  lifetimeDays?: number;
}

function setLeaf(report: Report, target: string, notAfter: Date, at: Date): number {
  const attempt = report.attempts.find((x) => x.check === TLS_CHECK && x.target === target);
  const leaf = (attempt?.facts as { leaf?: Leaf } | undefined)?.leaf;
  const days = Math.floor((notAfter.getTime() - at.getTime()) / DAY);
  if (leaf) {
    leaf.notAfter = notAfter.toISOString();
    leaf.notBefore = new Date(notAfter.getTime() - (leaf.lifetimeDays ?? 90) * DAY).toISOString();
    leaf.daysToExpiry = days;
    leaf.expired = notAfter.getTime() < at.getTime();
  }
  return days;
}

function finding(report: Report, ruleId: string, target: string): Finding {
  const f = report.findings.find((x) => x.ruleId === ruleId && x.target === target);
  if (!f) throw new Error(`fleet-seed: the fixture has no ${ruleId} finding on ${target}`);
  return f;
}

function setOutcome(f: Finding, outcome: Outcome, message?: { en: string; vi: string }): void {
  f.outcome = outcome;
  if (message) f.message = message;
}

function hostOf(key: string): string {
  return key.replace(/^[a-z]+:\/\//, '').replace(/:443$/, '');
}

function hostCertificateFiles(agency: SeedAgency, a: number, now: Date, at: Date): HostCertificateFileFact[] {
  const file = (path: string, subject: string, notAfter: Date): HostCertificateFileFact => ({
    path,
    status: 'ok',
    subject,
    issuer: 'CN=GovScan Lab Public Issuing CA R1,O=GovScan Lab,C=VN',
    notAfter: notAfter.toISOString(),
    daysToExpiry: Math.floor((notAfter.getTime() - at.getTime()) / DAY),
  });
  return [
    file('/etc/ssl/private/vpn-gateway.pem', `CN=vpn.${agency.place}.gov.vn`, new Date(now.getTime() + (5 + a) * DAY)),
    file('/etc/nginx/tls/intranet.pem', `CN=intranet.${agency.place}.gov.vn`, new Date(now.getTime() + 200 * DAY)),
    { path: '/etc/ssl/certs/old-portal.pem', status: 'missing', subject: null, issuer: null, notAfter: null, daysToExpiry: null },
  ];
}

/** Recomputes report.summary from the findings (the seed changes outcomes). */
function recomputeSummary(report: Report): void {
  const findings = { pass: 0, fail: 0, 'not-applicable': 0, 'not-tested': 0, waived: 0 } as Record<Outcome, number>;
  const failedBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of report.findings) {
    findings[f.outcome]++;
    if (f.outcome === 'fail') failedBySeverity[f.severity]++;
  }
  report.summary = { ...report.summary, targets: report.targets.length, findings, failedBySeverity };
}

interface RunContext {
  agency: SeedAgency;
  a: number;
  agent: SeedAgent;
  g: number;
  d: number;
  days: number;
  at: Date;
  now: Date;
}

function buildReport(c: RunContext): Report {
  const tpl = agentTemplate(c.agency, c.g);
  const r = JSON.parse(tpl.text) as Report;
  const { keys } = tpl;
  const half = Math.ceil(c.days / 2);
  r.run.startedAt = new Date(c.at.getTime() - 12_000).toISOString();
  r.run.finishedAt = c.at.toISOString();
  r.run.scannerHost = c.agent.hostname;
  for (const x of r.attempts) x.startedAt = new Date(c.at.getTime() - 11_000).toISOString();

  // Certificates: dates relative to the fleet's "now", days left relative to this run.
  setLeaf(r, keys.good, new Date(c.now.getTime() + 79 * DAY), c.at);
  setLeaf(r, keys.legacy, new Date(c.now.getTime() + 79 * DAY), c.at);
  const expiredAt = new Date(c.now.getTime() - 40 * DAY);
  const expiredDays = setLeaf(r, keys.expired, expiredAt, c.at);
  const expired = finding(r, 'TLS-CERT-EXPIRED', keys.expired);
  expired.evidence = { 'leaf.notAfter': expiredAt.toISOString(), 'leaf.expired': true, 'leaf.daysToExpiry': expiredDays };
  setOutcome(expired, 'fail', {
    en: `Certificate for ${hostOf(keys.expired)}:443 expired on ${expiredAt.toISOString()}, ${-expiredDays} days ago; expected a certificate that is currently valid.`,
    vi: `Chứng thư số của ${hostOf(keys.expired)}:443 đã hết hạn ngày ${expiredAt.toISOString()}, cách đây ${-expiredDays} ngày; yêu cầu chứng thư số đang còn hiệu lực.`,
  });
  const soonAt = new Date(c.now.getTime() + (10 + 3 * c.a) * DAY);
  const soonDays = setLeaf(r, keys.soon, soonAt, c.at);
  const expiring = finding(r, 'TLS-CERT-EXPIRING', keys.soon);
  expiring.evidence = { 'leaf.daysToExpiry': soonDays, 'leaf.notAfter': soonAt.toISOString() };
  const soonHost = hostOf(keys.soon);
  if (soonDays < 30) {
    setOutcome(expiring, 'fail', {
      en: `Certificate for ${soonHost}:443 expires in ${soonDays} days (${soonAt.toISOString()}); expected at least 30.`,
      vi: `Chứng thư số của ${soonHost}:443 sẽ hết hạn sau ${soonDays} ngày (${soonAt.toISOString()}); yêu cầu còn ít nhất 30 ngày.`,
    });
  } else {
    setOutcome(expiring, 'pass', {
      en: `Certificate for ${soonHost}:443 is valid for ${soonDays} more days.`,
      vi: `Chứng thư số của ${soonHost}:443 còn hiệu lực ${soonDays} ngày.`,
    });
  }

  // Outcomes that change over time.
  const hsts = finding(r, 'TLS-HSTS-MISSING', keys.good);
  if (c.d < Math.min(2, c.days - 1)) {
    hsts.evidence = { 'hsts.present': false };
    setOutcome(hsts, 'fail', {
      en: `${hostOf(keys.good)}:443 sends no Strict-Transport-Security header.`,
      vi: `${hostOf(keys.good)}:443 không gửi tiêu đề Strict-Transport-Security.`,
    });
  }
  const legacy = finding(r, 'TLS-PROTO-LEGACY', keys.legacy);
  if (c.a % 2 === 0 && c.d >= half) {
    legacy.evidence = { 'protocols.tls1_0': false, 'protocols.tls1_1': false };
    setOutcome(legacy, 'pass', {
      en: `${hostOf(keys.legacy)}:443 refuses TLS 1.0 and 1.1.`,
      vi: `${hostOf(keys.legacy)}:443 từ chối TLS 1.0 và 1.1.`,
    });
  }
  const mx = finding(r, 'IPV6-MX-AAAA', keys.domB);
  if (c.a % 3 === 1 && c.d >= half) {
    setOutcome(mx, 'pass', {
      en: `Every mail exchanger of ${hostOf(keys.domB)} has an IPv6 address.`,
      vi: `Mọi máy chủ thư của ${hostOf(keys.domB)} đều có địa chỉ IPv6.`,
    });
    const score = r.ipv6Scores?.find((s) => s.domain === hostOf(keys.domB));
    const mail = score?.categories.find((x) => x.category === 'mail');
    if (score && mail) {
      mail.failed = 0;
      mail.passed = 1;
      mail.failedRules = [];
      mail.score = 100;
      score.score = 100;
    }
  }

  // A target declared outside any system.
  if (c.a % 3 === 2) {
    const t = r.targets.find((x) => x.key === keys.legacy);
    if (t) delete t.system;
  }

  // The agent's local host probe.
  const localKey = `local://${c.agent.hostname}`;
  r.targets.push({
    key: localKey,
    kind: 'local' as string as Target['kind'],
    scheme: 'local' as string as Target['scheme'],
    host: c.agent.hostname,
    port: 0,
    path: '/',
    agency: c.agency.name,
  });
  const facts: HostFactsForServer = { hostname: c.agent.hostname, certificateFiles: hostCertificateFiles(c.agency, c.a, c.now, c.at) };
  const local: Attempt<HostFactsForServer> = {
    check: HOST_CHECK,
    target: localKey,
    status: 'ok',
    facts,
    startedAt: new Date(c.at.getTime() - 2_000).toISOString(),
    durationMs: 41,
  };
  r.attempts.push(local);
  recomputeSummary(r);
  return r;
}

/** A UUID v4 made from a hash, so seeded batch ids are stable across runs. */
export function stableUuid(...parts: (string | number)[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// ── The fleet ──────────────────────────────────────────────────────────────────────────────────

export function seedFleet(opts: FleetOptions = {}): Fleet {
  const now = opts.now ?? new Date('2026-11-23T12:00:00Z');
  const nAgencies = opts.agencies ?? 3;
  const perAgency = opts.agentsPerAgency ?? 2;
  const days = opts.days ?? 7;
  const seed = opts.seed ?? 1;
  const agencies: SeedAgency[] = [];
  for (let a = 0; a < nAgencies; a++) {
    const [id, name, place] = PLACES[a] ?? [`agency-${a + 1}`, `Cơ quan thử nghiệm ${a + 1}`, `agency${a + 1}`];
    const agents: SeedAgent[] = [];
    for (let g = 0; g < perAgency; g++) {
      agents.push({
        id: stableUuid('agent', id, g),
        agency: id,
        hostname: `agent${g + 1}.${place}.gov.vn`,
        version: '0.1.0',
        intervalSeconds: 86_400,
        systems: sysFor(g).map((s) => ({ id: s.id, name: s.name, level: s.level })),
        stale: nAgencies >= 2 && a === nAgencies - 1 && g === perAgency - 1,
      });
    }
    agencies.push({ id, name, place, agents });
  }
  const batches: Batch[] = [];
  const latest: Batch[] = [];
  agencies.forEach((agency, a) => {
    agency.agents.forEach((agent, g) => {
      for (let d = 0; d < days; d++) {
        const back = (days - 1 - d) * DAY + a * 7 * 60_000 + g * 3 * 60_000 + 5 * 60_000 + (agent.stale ? 4 * DAY : 0);
        const at = new Date(now.getTime() - back);
        const batch: Batch = {
          schemaVersion: 1,
          batchId: stableUuid('batch', seed, agency.id, g, d),
          agentId: agent.id,
          agency: agency.id,
          createdAt: at.toISOString(),
          agent: { version: agent.version, hostname: agent.hostname, intervalSeconds: agent.intervalSeconds },
          report: buildReport({ agency, a, agent, g, d, days, at, now }),
        };
        batches.push(batch);
        if (d === days - 1) latest.push(batch);
      }
    });
  });
  batches.sort((x, y) => (x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : 0));
  return { now: now.toISOString(), days, agencies, batches, latest };
}

/**
 * Puts a fleet into a store the way the server would have: each agency created, each batch ingested
 * (oldest first). Agents are not enrolled: ingest records an agent it has not seen.
 */
export async function loadFleet(store: Store, fleet: Fleet, receivedAt?: (b: Batch) => string): Promise<void> {
  for (const agency of fleet.agencies) await store.createAgency(agency.id, agency.name);
  for (const b of fleet.batches)
    await store.ingest(b, receivedAt ? receivedAt(b) : new Date(Date.parse(b.createdAt) + 2_000).toISOString());
}

export interface BatchOptions {
  agency?: string;
  agencyName?: string;
  agentId?: string;
  hostname?: string;
  batchId?: string;
  createdAt?: Date;
}

/**
 * One batch with exactly `n` findings (the benchmark uses 50): the fixture's findings in order, then
 * copies on further endpoints (`https://cN-…`) when n is larger than the fixture. The report keeps
 * only the targets, attempts and rule descriptors those findings use, as a scan of just those
 * endpoints would. Every call gets a fresh batch id unless one is given.
 */
export function batchOfFindings(n: number, opts: BatchOptions = {}): Batch {
  const agency = opts.agency ?? (PLACES[0] as [string, string, string])[0];
  const name = opts.agencyName ?? PLACES.find((p) => p[0] === agency)?.[1] ?? agency;
  const place = PLACES.find((p) => p[0] === agency)?.[2] ?? agency.replace(/[^a-z0-9]/g, '');
  const base = baseOfFindings(n, { id: agency, name, place });
  const r = JSON.parse(base) as Report;
  const at = opts.createdAt ?? new Date();
  r.run.startedAt = new Date(at.getTime() - 12_000).toISOString();
  r.run.finishedAt = at.toISOString();
  const hostname = opts.hostname ?? `agent1.${place}.gov.vn`;
  r.run.scannerHost = hostname;
  return {
    schemaVersion: 1,
    batchId: opts.batchId ?? stableUuid('bench', process.pid, Math.random(), performance.now()),
    agentId: opts.agentId ?? stableUuid('agent', agency, 0),
    agency,
    createdAt: at.toISOString(),
    agent: { version: '0.1.0', hostname, intervalSeconds: 3600 },
    report: r,
  };
}

const bases = new Map<string, string>();

function baseOfFindings(n: number, agency: { id: string; name: string; place: string }): string {
  const cacheKey = `${n}\u0000${agency.id}\u0000${agency.name}`;
  const hit = bases.get(cacheKey);
  if (hit) return hit;
  const r = JSON.parse(agentTemplate(agency, 0).text) as Report;
  const src = r.findings;
  const findings: Finding[] = [];
  const targets = new Map<string, Target>();
  const attempts: Attempt[] = [];
  for (let i = 0; i < n; i++) {
    const f = structuredClone(src[i % src.length] as Finding);
    const copy = Math.floor(i / src.length);
    const orig = r.targets.find((t) => t.key === f.target) as Target;
    let t = orig;
    if (copy > 0) {
      const key = orig.key.replace('://', `://c${copy}-`);
      t = { ...orig, key, host: `c${copy}-${orig.host}` };
      f.target = key;
      f.fingerprint = fingerprint(f.ruleId, key);
    }
    if (!targets.has(t.key)) {
      targets.set(t.key, t);
      for (const x of r.attempts) if (x.target === orig.key) attempts.push({ ...x, target: t.key });
    }
    findings.push(f);
  }
  const ruleIds = new Set(findings.map((f) => f.ruleId));
  const policyIds = new Set(findings.map((f) => f.policyId));
  r.findings = findings;
  r.targets = [...targets.values()];
  r.attempts = attempts;
  r.rules = r.rules.filter((x) => ruleIds.has(x.id));
  r.policies = r.policies.filter((p) => policyIds.has(p.id));
  const domains = new Set(r.targets.map((t) => hostOf(t.key)));
  r.ipv6Scores = r.ipv6Scores?.filter((s) => domains.has(s.domain));
  if (r.ipv6Scores?.length === 0) delete r.ipv6Scores;
  recomputeSummary(r);
  const text = JSON.stringify(r);
  bases.set(cacheKey, text);
  return text;
}
