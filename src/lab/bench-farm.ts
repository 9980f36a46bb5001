// Many "good" endpoints for the benchmark: one certificate (a wildcard) and one OCSP response shared
// by every server, so starting hundreds costs little more than listening. Identical by default; with
// `mixed`, they rotate through three cipher/version profiles so a full suite enumeration has the work
// it meets on real servers (legacy versions, CBC and static-RSA suites), and the farm counts the TCP
// connections it accepts, so a benchmark can say how many each scanner opened.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createOcspResponse, issueCertificate, warmKeys, type IssuedCert } from './pki.js';
import {
  ECDHE_AEAD,
  GOOD_TLS,
  ECDHE_CBC,
  RSA_KX,
  TLS13_SUITES,
  createHttpsEndpoint,
  farmLifecycle,
  listen,
  type EndpointPlan,
} from './servers.js';
import type { FarmEndpoint, FarmScenario } from './farm.js';

const BENCH_DOMAIN = 'bench.farm.test';

export interface PlainFarm {
  endpoints: FarmEndpoint[];
  publicRoot: IssuedCert;
  publicRootPemFile: string;
  /** TCP connections accepted by all endpoints since the farm started. */
  accepted(): number;
  close(): Promise<void>;
}

export interface PlainFarmOptions {
  address?: '127.0.0.1' | '::1';
  now?: Date;
  /** Where the root PEM goes; a fresh temp dir (removed on close) when absent. */
  tmpDir?: string;
  /** Rotate endpoints through MIXED_PROFILES instead of serving the baseline everywhere. */
  mixed?: boolean;
}

type Profile = Pick<EndpointPlan, 'minVersion' | 'maxVersion' | 'ciphers'>;

const BASELINE: Profile = { minVersion: GOOD_TLS.minVersion, maxVersion: GOOD_TLS.maxVersion, ciphers: GOOD_TLS.ciphers };
const MIXED_PROFILES: Profile[] = [
  BASELINE,
  // An older server: TLS 1.0 to 1.3, CBC and static-RSA suites beside the AEAD ones.
  {
    minVersion: 'TLSv1',
    maxVersion: 'TLSv1.3',
    ciphers: `${TLS13_SUITES}:${ECDHE_AEAD}:${ECDHE_CBC}:${RSA_KX}:AES128-SHA:AES256-SHA:@SECLEVEL=0`,
  },
  // TLS 1.2 only, forward-secret and static-RSA AEAD suites.
  { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: `${ECDHE_AEAD}:${RSA_KX}` },
];

const DAY = 86_400_000;
// Same names as the scenario farm, so both share cached keys and a scanner set up for one trusts the other.
const ROOT_DN = 'CN=GovScan Lab Public Root CA, O=GovScan Lab, C=VN';
const INT_DN = 'CN=GovScan Lab Public Issuing CA R1, O=GovScan Lab, C=VN';

function benchHostname(index: number): string {
  return `e${String(index + 1).padStart(4, '0')}.${BENCH_DOMAIN}`;
}

export async function startPlainFarm(n: number, opts: PlainFarmOptions = {}): Promise<PlainFarm> {
  if (!Number.isInteger(n) || n < 1) throw new Error(`startPlainFarm needs a positive endpoint count, got ${n}`);
  const address = opts.address ?? '127.0.0.1';
  const now = (opts.now ?? new Date()).getTime();
  const { tracker, servers, dir, close } = await farmLifecycle('govscan-bench-farm-', opts.tmpDir);
  let accepted = 0;

  try {
    await warmKeys([
      { key: { type: 'rsa' }, keyId: `ca:${ROOT_DN}` },
      { key: { type: 'rsa' }, keyId: `ca:${INT_DN}` },
      { key: { type: 'rsa' }, keyId: 'leaf' },
    ]);
    const publicRoot = await issueCertificate({
      subject: ROOT_DN,
      isCA: true,
      notBefore: new Date(now - 5 * 365 * DAY),
      notAfter: new Date(now + 15 * 365 * DAY),
    });
    const intermediate = await issueCertificate({
      subject: INT_DN,
      isCA: true,
      pathLength: 0,
      issuer: publicRoot,
      notBefore: new Date(now - 365 * DAY),
      notAfter: new Date(now + 5 * 365 * DAY),
    });
    const wildcard = `*.${BENCH_DOMAIN}`;
    const leaf = await issueCertificate({
      subjectCN: wildcard,
      sans: { dns: [wildcard] },
      issuer: intermediate,
      notBefore: new Date(now - 10 * DAY),
      notAfter: new Date(now + 80 * DAY),
    });
    const staple = await createOcspResponse({
      cert: leaf,
      issuer: intermediate,
      status: 'good',
      thisUpdate: new Date(now - 3_600_000),
      nextUpdate: new Date(now + 7 * DAY),
    });

    const endpoints = await Promise.all(
      Array.from({ length: n }, async (_, i): Promise<FarmEndpoint> => {
        const hostname = benchHostname(i);
        const scenario: FarmScenario = {
          name: 'bench-good',
          description: 'Benchmark copy of the good baseline.',
          expectedRules: [],
          hostname,
        };
        const profile = opts.mixed ? MIXED_PROFILES[i % MIXED_PROFILES.length]! : BASELINE;
        const server = createHttpsEndpoint({
          chain: [leaf, intermediate],
          staple,
          ...profile,
          hsts: true,
          banner: `govscan lab bench: ${hostname}`,
        });
        tracker.track(server);
        server.on('connection', () => accepted++);
        servers.push(server);
        const port = await listen(server, address);
        return { scenario, host: hostname, address, port, url: `https://${hostname}:${port}/` };
      }),
    );

    const publicRootPemFile = join(dir, 'public-root.pem');
    await writeFile(publicRootPemFile, publicRoot.certPem);
    return { endpoints, publicRoot, publicRootPemFile, accepted: () => accepted, close };
  } catch (err) {
    await close();
    throw err;
  }
}
