// npm run bench:tls — govscan against peer tools on one local farm, in one process tree.
// Prints ratios; asserts nothing (speed is measured here, never in tests).
// The farm's 200 endpoints rotate through three cipher/version profiles (bench-farm.ts `mixed`), and
// it counts the TCP connections it accepts, so each tool's connections per endpoint are printed as the
// servers saw them, with each tool's peak RSS.
//
//   1. 200 endpoints: govscan's full scan (CLI) vs nmap ssl-cert,ssl-enum-ciphers on the same ports
//   2. sslscan --targets on 50 endpoints, testssl -p -S on 2 (per-endpoint time, scaled)
//   3. govscan's endpoints/s in-process vs a bare tls.connect loop doing the same handshakes at the
//      same number of connections in flight
//   4. peak RSS of the CLI scanning 10,000 targets (cycling over the farm)

import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { connect as tlsConnect, type SecureVersion } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { available, measure, median, type Measured } from '../lib/measure.js';
import { prepareScan, executeScan } from '../../src/engine/scan.js';
import { NetDialer } from '../../src/core/net/dialer.js';
import type { Dialer, Report } from '../../src/core/types.js';
import { BIG, BIN, CONCURRENCY, fmt, N, PER_HOST, SCAN_FLAGS, startFarmProcess, writeBigInventory, type FarmInfo } from './farm-client.js';

const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

function govscanArgs(targets: string[], out: string, format = 'json'): string[] {
  return [BIN, 'scan', ...targets, ...SCAN_FLAGS, '--format', format, '--output', out];
}

async function best(runs: number, fn: () => Promise<Measured>): Promise<Measured & { all: number[] }> {
  const results: Measured[] = [];
  for (let i = 0; i < runs; i++) results.push(await fn());
  const walls = results.map((r) => r.wallMs);
  const med = median(walls);
  const pick = results.find((r) => r.wallMs === med) ?? results[0]!;
  return { ...pick, wallMs: med, all: walls };
}

/** The same handshakes govscan makes for one endpoint (best, then 1.2, 1.1, 1.0), bare. */
function bareHandshake(port: number, servername: string, version?: SecureVersion): Promise<void> {
  return new Promise((resolve) => {
    const s = tlsConnect({
      host: '127.0.0.1',
      port,
      servername,
      rejectUnauthorized: false,
      ...(version ? { minVersion: version, maxVersion: version, ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
    });
    const done = (): void => {
      s.destroy();
      resolve();
    };
    s.once('secureConnect', done);
    s.once('error', done);
    s.setTimeout(5000, done);
  });
}

async function bareLoop(endpoints: FarmInfo['endpoints'], perEndpoint: number, inFlight: number): Promise<number> {
  const versions: (SecureVersion | undefined)[] = [undefined, 'TLSv1.2', 'TLSv1.1', 'TLSv1', 'TLSv1.3'].slice(0, perEndpoint) as (
    | SecureVersion
    | undefined
  )[];
  const jobs = endpoints.flatMap((e) => versions.map((v) => () => bareHandshake(e.port, e.host, v)));
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
  return performance.now() - started;
}

class CountingDialer implements Dialer {
  connections = 0;
  active = 0;
  peak = 0;
  constructor(private readonly inner: Dialer) {}
  async connect(opts: Parameters<Dialer['connect']>[0]) {
    const s = await this.inner.connect(opts);
    this.connections++;
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    s.once('close', () => this.active--);
    return s;
  }
}

/** Whether govscan's report holds the full suite enumeration (issue 14), and why not where it does not. */
async function enumerationNote(reportFile: string): Promise<string> {
  const report = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
  const tls = report.attempts.filter((a) => a.check === 'tls.endpoint');
  type Enumerated = { enumeration?: { status?: string; reason?: string } };
  const enumerated = tls.filter((a) => (a.facts as Enumerated | undefined)?.enumeration?.status === 'ok').length;
  if (!enumerated)
    return `no suite enumeration in the facts (${tls.length} endpoints): this govscan makes only its version probes, so the nmap ratio compares less work than nmap does`;
  // The endpoints without one, by reason (a scan error, or the enumeration's own status), so a ratio
  // over fewer enumerations is seen as such.
  const why = new Map<string, number>();
  for (const a of tls) {
    const e = (a.facts as Enumerated | undefined)?.enumeration;
    if (e?.status === 'ok') continue;
    const reason = e ? `${e.status}: ${e.reason ?? ''}` : `${a.status}: ${a.reason ?? ''}`;
    why.set(reason, (why.get(reason) ?? 0) + 1);
  }
  const missing = [...why].map(([reason, n]) => `${n}× ${reason.slice(0, 120)}`).join('; ');
  return `full suite enumeration on ${enumerated} of ${tls.length} endpoints${missing ? ` (not on the others: ${missing})` : ''}`;
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'govscan-bench-'));
  const farm = await startFarmProcess(N, { mixed: true });
  /** Runs `fn` and returns its result with the TCP connections the farm accepted meanwhile. */
  const counted = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const before = await farm.accepted();
    const result = await fn();
    return [result, (await farm.accepted()) - before];
  };
  const perTarget = (connections: number, endpoints: number): string => (connections / endpoints).toFixed(1);
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: farm.info.rootPem };
  const urls = farm.info.endpoints.map((e) => `https://${e.host}:${e.port}`);
  const ports = farm.info.endpoints.map((e) => e.port);
  console.log(`govscan TLS benchmark — ${N} endpoints on 127.0.0.1, concurrency ${CONCURRENCY}, node ${process.version}`);
  const rows: string[] = [];
  try {
    // 1. govscan vs nmap on all N endpoints
    const [gov, govConnections] = await counted(() =>
      best(REPEAT, () => measure('govscan', process.execPath, govscanArgs(urls, join(tmp, 'g.json')), { env, timeoutMs: 300_000 })),
    );
    rows.push(
      `govscan scan (${N} endpoints): ${fmt(gov.wallMs)} median of ${REPEAT} [${gov.all.map(fmt).join(', ')}], ${perTarget(govConnections, N * REPEAT)} connections/endpoint, peak RSS ${gov.peakRssMb?.toFixed(0)} MB, exit ${gov.code}; ${await enumerationNote(join(tmp, 'g.json'))}`,
    );
    if (available('nmap')) {
      const [nmap, nmapConnections] = await counted(() =>
        measure('nmap', 'nmap', ['-Pn', '-n', '-p', ports.join(','), '--script', 'ssl-cert,ssl-enum-ciphers', '-oX', '-', '127.0.0.1'], {
          timeoutMs: 900_000,
        }),
      );
      rows.push(
        `nmap -Pn --script ssl-cert,ssl-enum-ciphers (${N}): ${fmt(nmap.wallMs)}, ${perTarget(nmapConnections, N)} connections/endpoint, peak RSS ${nmap.peakRssMb?.toFixed(0)} MB → govscan is ${ratio(nmap.wallMs, gov.wallMs)} faster (target ≥ 5×)`,
      );
    } else rows.push('nmap: not installed (apt-get install nmap) — skipped');

    // 2. sslscan on 50, testssl on 2: per-endpoint comparison
    const perGov = gov.wallMs / N;
    if (available('sslscan')) {
      const list = join(tmp, 'sslscan-targets.txt');
      const fifty = farm.info.endpoints.slice(0, 50);
      await writeFile(list, fifty.map((e) => `127.0.0.1:${e.port}`).join('\n') + '\n');
      const [ss, ssConnections] = await counted(() =>
        measure('sslscan', 'sslscan', ['--no-colour', `--targets=${list}`], { timeoutMs: 900_000 }),
      );
      rows.push(
        `sslscan --targets (50): ${fmt(ss.wallMs)} = ${(ss.wallMs / 50).toFixed(0)} ms/endpoint, ${perTarget(ssConnections, 50)} connections/endpoint, peak RSS ${ss.peakRssMb?.toFixed(0)} MB → govscan ${ratio(ss.wallMs / 50, perGov)} faster per endpoint (target ≥ 50×)`,
      );
    } else rows.push('sslscan: not installed — skipped');
    if (available('testssl')) {
      let total = 0;
      for (const e of farm.info.endpoints.slice(0, 2)) {
        const t = await measure(
          'testssl',
          'testssl',
          ['--nodns', 'none', '--quiet', '--color', '0', '--warnings', 'off', '-p', '-S', `127.0.0.1:${e.port}`],
          { timeoutMs: 900_000 },
        );
        total += t.wallMs;
      }
      rows.push(
        `testssl -p -S (2): ${fmt(total)} = ${(total / 2 / 1000).toFixed(1)} s/endpoint → govscan ${ratio(total / 2, perGov)} faster per endpoint`,
      );
    } else rows.push('testssl: not installed (apt-get install testssl.sh) — skipped');

    // 3. in-process govscan vs bare tls.connect loop
    const counting = new CountingDialer(new NetDialer(PER_HOST));
    process.env.NODE_EXTRA_CA_CERTS = farm.info.rootPem;
    const prepared = await prepareScan(
      { targets: urls, policies: [], resolve: ['*:*:127.0.0.1'], caFiles: [], caPins: [], failOn: 'none' },
      { timeoutMs: 5000 },
    );
    const t0 = performance.now();
    await executeScan(prepared, {
      concurrency: CONCURRENCY,
      perHostLimit: PER_HOST,
      timeoutMs: 5000,
      targetTimeoutMs: 20_000,
      keepFacts: false,
      dialer: counting,
    });
    const govMs = performance.now() - t0;
    const perEndpoint = Math.round(counting.connections / N);
    const bareMs = await bareLoop(farm.info.endpoints, perEndpoint, counting.peak);
    rows.push(
      `in-process: govscan ${(N / (govMs / 1000)).toFixed(0)} endpoints/s (${(counting.connections / (govMs / 1000)).toFixed(0)} handshakes/s, ${perEndpoint} per endpoint, peak ${counting.peak} in flight); bare tls.connect loop ${(N / (bareMs / 1000)).toFixed(0)} endpoints/s → govscan at ${((bareMs / govMs) * 100).toFixed(0)} % of bare (target ≥ 50 %)`,
    );

    // 4. 10,000 targets, cycling over the farm: peak RSS
    const inventory = join(tmp, 'big.yaml');
    await writeBigInventory(inventory, farm.info, BIG);
    for (const format of ['table', 'json'] as const) {
      const big = await measure(
        'govscan-10k',
        process.execPath,
        [BIN, 'scan', '--inventory', inventory, ...SCAN_FLAGS, '--format', format, '--output', join(tmp, `big.${format}`)],
        { env, timeoutMs: 1_800_000 },
      );
      rows.push(
        `govscan ${BIG} targets --format ${format}: ${fmt(big.wallMs)} (${(BIG / (big.wallMs / 1000)).toFixed(0)} targets/s), peak RSS ${big.peakRssMb?.toFixed(0)} MB (target < 200 MB), exit ${big.code}`,
      );
    }
  } finally {
    farm.stop();
    await rm(tmp, { recursive: true, force: true });
  }
  for (const r of rows) console.log('  ' + r);
}

await main();
