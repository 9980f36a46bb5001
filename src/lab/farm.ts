// A farm of real TLS/HTTPS endpoints on loopback, one per defect a scanner must report. Every
// scenario is the "good" baseline with exactly one thing changed, so a scanner that reports anything
// beyond a scenario's expectedRules has a false positive.

import net from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createOcspResponse,
  issueCertificate,
  issueChain,
  warmKeys,
  type CertSpec,
  type IssuedCert,
  type KeySpec,
  type OcspResponseOptions,
} from './pki.js';
import {
  GOOD_TLS,
  ECDHE_AEAD,
  ECDHE_CBC,
  RSA_KX,
  TLS13_SUITES,
  farmLifecycle,
  createHttpsEndpoint,
  garbageBytes,
  listen,
  type EndpointPlan,
} from './servers.js';
import { startRepository, type Repository } from './repository.js';

export interface FarmScenario {
  name: string;
  description: string;
  /** Exactly the rule ids a correct scanner reports as failed for this endpoint. */
  expectedRules: string[];
  hostname: string;
  /** Not a TLS defect but a misbehaving peer: the scanner must survive it, not judge it. */
  hostile?: 'silent' | 'garbage' | 'huge-chain';
}

export interface FarmEndpoint {
  scenario: FarmScenario;
  /** Hostname for SNI and Host, e.g. "expired.farm.test". */
  host: string;
  address: '127.0.0.1' | '::1';
  port: number;
  /** https://<hostname>:<port>/ */
  url: string;
}

export interface Farm {
  endpoints: FarmEndpoint[];
  /** The "publicly trusted" test root: put it in NODE_EXTRA_CA_CERTS or the public anchor set. */
  publicRoot: IssuedCert;
  /** Stands in for the Vietnam National Root CA: passed with --ca-file. */
  nationalRoot: IssuedCert;
  publicRootPemFile: string;
  nationalRootPemFile: string;
  /** Serves caIssuers certificates and OCSP answers named in the farm's certificates (loopback). */
  repositoryUrl: string;
  close(): Promise<void>;
}

export interface StartFarmOptions {
  /** Scenario names to start; all when absent. */
  scenarios?: string[];
  address?: '127.0.0.1' | '::1';
  /** Reference time for every certificate and OCSP date. */
  now?: Date;
  /** Where the root PEM files go; a fresh temp dir (removed on close) when absent. */
  tmpDir?: string;
}

const FARM_DOMAIN = 'farm.test';

function scenario(name: string, expectedRules: string[], description: string, hostile?: FarmScenario['hostile']): FarmScenario {
  return { name, description, expectedRules, hostname: `${name}.${FARM_DOMAIN}`, ...(hostile ? { hostile } : {}) };
}

export const SCENARIOS: FarmScenario[] = [
  scenario('good-rsa', [], 'Baseline: RSA-2048 leaf, intermediate sent, TLS 1.2+1.3 with ECDHE, OCSP stapled, HSTS.'),
  scenario('good-ecdsa', [], 'Baseline with an ECDSA P-256 leaf and intermediate.'),
  scenario('good-ed25519', [], 'Baseline with an Ed25519 leaf.'),
  scenario('expired', ['TLS-CERT-EXPIRED'], 'Leaf expired two days ago.'),
  scenario('not-yet-valid', ['TLS-CERT-NOT-YET-VALID'], 'Leaf becomes valid in five days.'),
  scenario('expiring-soon', ['TLS-CERT-EXPIRING'], 'Leaf expires in 20 days.'),
  scenario('expiring-critical', ['TLS-CERT-EXPIRING'], 'Leaf expires in 3 days.'),
  scenario('wrong-host', ['TLS-CERT-HOSTNAME'], 'Leaf names another host in its SAN and CN.'),
  scenario('untrusted-root', ['TLS-CERT-UNTRUSTED'], 'Chain ends at a private root (sent by the server) that no anchor set holds.'),
  scenario('incomplete-chain', ['TLS-CHAIN-INCOMPLETE'], 'Server sends the leaf without its intermediate.'),
  scenario('self-signed', ['TLS-CERT-SELF-SIGNED'], 'Leaf is self-signed.'),
  scenario('weak-key', ['TLS-CERT-WEAK-KEY'], 'Leaf has an RSA-1024 key.'),
  scenario('sha1-signature', ['TLS-CERT-WEAK-SIGNATURE'], 'Leaf is signed with SHA-1.'),
  scenario('long-lifetime', ['TLS-CERT-LIFETIME'], 'Leaf is valid for 800 days.'),
  // The CN is never used to match a name (RFC 9525, as browsers), so the host name does not match either.
  scenario('no-san', ['TLS-CERT-NO-SAN', 'TLS-CERT-HOSTNAME'], 'Leaf has no SAN extension; its CN is the hostname.'),
  // TLS 1.0/1.1 have only CBC suites with SHA-1, which NCSC-NL rates Insufficient in every version;
  // and the server follows the client's order (GOOD_TLS) while accepting them (NCSC-NL B2-5).
  scenario(
    'legacy-protocols',
    ['TLS-PROTO-LEGACY', 'TLS-CIPHER-INSUFFICIENT', 'TLS-CIPHER-ORDER'],
    'Server accepts TLS 1.0 and 1.1 (ECDHE CBC-SHA1 suites) as well as 1.2 and 1.3.',
  ),
  // Without TLS 1.3 there is no hybrid post-quantum key exchange, whatever the platform.
  scenario('no-tls13', ['TLS-PROTO-NO-TLS13', 'TLS-PQ-KEX-MISSING'], 'Server stops at TLS 1.2.'),
  scenario(
    'no-forward-secrecy',
    ['TLS-NO-FORWARD-SECRECY', 'TLS-PROTO-NO-TLS13', 'TLS-CIPHER-INSUFFICIENT', 'TLS-CIPHER-ORDER', 'TLS-PQ-KEX-MISSING'],
    "TLS 1.2 only, static RSA key exchange ciphers (NCSC-NL: Insufficient), in the client's order.",
  ),
  scenario('no-hsts', ['TLS-HSTS-MISSING'], 'No Strict-Transport-Security header.'),
  scenario('no-ocsp-stapling', ['TLS-OCSP-NOT-STAPLED'], 'Server does not staple an OCSP response.'),
  scenario('ocsp-delegated', [], "Staple signed by a delegated responder: the issuer's certificate for it carries OCSPSigning."),
  scenario(
    'ocsp-forged',
    ['TLS-OCSP-STAPLE-INVALID'],
    "Staple saying the certificate is revoked, naming the issuer but signed with the server's own key.",
  ),
  scenario('ocsp-stale', ['TLS-OCSP-STAPLE-INVALID'], 'Staple signed by the issuer whose nextUpdate passed three days ago.'),
  scenario('national-root-only', ['TLS-CERT-NOT-PUBLICLY-TRUSTED'], 'Chain ends at the national root, which only --ca-file trusts.'),
  scenario('silent', [], 'Accepts TCP and never says anything.', 'silent'),
  scenario('garbage', [], 'Answers with bytes that are not TLS, then keeps the socket open.', 'garbage'),
  scenario('huge-chain', [], 'Sends a chain of 100 certificates.', 'huge-chain'),
];

const DAY = 86_400_000;

/** An endpoint plan before its OCSP response exists: who signs it and whether it is stapled. */
interface ScenarioPlan extends Omit<EndpointPlan, 'staple' | 'banner'> {
  ocspSigner: IssuedCert;
  stapled: boolean;
  /** How the stapled response differs from the fresh, issuer-signed one the CA's responder serves. */
  stapleChange?: Partial<OcspResponseOptions>;
}

interface Authorities {
  publicRoot: IssuedCert;
  publicInt: IssuedCert;
  publicIntEc: IssuedCert;
  nationalRoot: IssuedCert;
  nationalInt: IssuedCert;
  privateRoot: IssuedCert;
  privateInt: IssuedCert;
}

const CA_NAMES = {
  publicRoot: 'CN=GovScan Lab Public Root CA, O=GovScan Lab, C=VN',
  publicInt: 'CN=GovScan Lab Public Issuing CA R1, O=GovScan Lab, C=VN',
  publicIntEc: 'CN=GovScan Lab Public Issuing CA E1, O=GovScan Lab, C=VN',
  nationalRoot: 'CN=Vietnam National Root CA (GovScan Lab), O=GovScan Lab National PKI, C=VN',
  nationalInt: 'CN=GovScan Lab Government Issuing CA, O=GovScan Lab National PKI, C=VN',
  privateRoot: 'CN=GovScan Lab Private Root CA, O=Nobody Trusts Me, C=VN',
  privateInt: 'CN=GovScan Lab Private Issuing CA, O=Nobody Trusts Me, C=VN',
} as const;

const CA_KEYS: Record<keyof typeof CA_NAMES, KeySpec> = {
  publicRoot: { type: 'rsa', bits: 2048 },
  publicInt: { type: 'rsa', bits: 2048 },
  publicIntEc: { type: 'ec', curve: 'P-256' },
  nationalRoot: { type: 'rsa', bits: 2048 },
  nationalInt: { type: 'rsa', bits: 2048 },
  // No rule looks at a CA's key type, and every RSA key costs ~100 ms of start-up.
  privateRoot: { type: 'ec', curve: 'P-256' },
  privateInt: { type: 'ec', curve: 'P-256' },
};

const HUGE_CHAIN_LENGTH = 100;

const OCSP_RESPONDER_KEY: KeySpec = { type: 'ec', curve: 'P-256' };

/** Key pairs a full farm needs; generating them up front lets the thread pool run them in parallel. */
function farmKeys(): { key: KeySpec; keyId: string }[] {
  return [
    ...Object.entries(CA_NAMES).map(([id, dn]) => ({ key: CA_KEYS[id as keyof typeof CA_NAMES], keyId: `ca:${dn}` })),
    { key: { type: 'rsa', bits: 2048 }, keyId: 'leaf' },
    { key: { type: 'ec', curve: 'P-256' }, keyId: 'leaf' },
    { key: { type: 'ed25519' }, keyId: 'leaf' },
    { key: { type: 'rsa', bits: 1024 }, keyId: 'leaf' },
    { key: OCSP_RESPONDER_KEY, keyId: 'ocsp-responder' },
  ];
}

async function buildAuthorities(now: number, repo: Repository): Promise<Authorities> {
  const rootDates = { notBefore: new Date(now - 5 * 365 * DAY), notAfter: new Date(now + 15 * 365 * DAY) };
  const intDates = { notBefore: new Date(now - 365 * DAY), notAfter: new Date(now + 5 * 365 * DAY) };
  const root = (id: keyof typeof CA_NAMES): Promise<IssuedCert> =>
    issueCertificate({ subject: CA_NAMES[id], key: CA_KEYS[id], isCA: true, ...rootDates });
  const intermediate = (id: keyof typeof CA_NAMES, issuer: IssuedCert): Promise<IssuedCert> =>
    issueCertificate({
      subject: CA_NAMES[id],
      key: CA_KEYS[id],
      isCA: true,
      pathLength: 0,
      issuer,
      caIssuersUrl: repo.caIssuersUrl(issuer),
      ...intDates,
    });
  const [publicRoot, nationalRoot, privateRoot] = await Promise.all([root('publicRoot'), root('nationalRoot'), root('privateRoot')]);
  const [publicInt, publicIntEc, nationalInt, privateInt] = await Promise.all([
    intermediate('publicInt', publicRoot),
    intermediate('publicIntEc', publicRoot),
    intermediate('nationalInt', nationalRoot),
    intermediate('privateInt', privateRoot),
  ]);
  const all = { publicRoot, publicInt, publicIntEc, nationalRoot, nationalInt, privateRoot, privateInt };
  for (const ca of Object.values(all)) repo.addCa(ca);
  return all;
}

async function planScenario(name: string, now: number, ca: Authorities, repo: Repository): Promise<ScenarioPlan> {
  const hostname = `${name}.${FARM_DOMAIN}`;
  const leafSpec = (issuer: IssuedCert, change: Partial<CertSpec> = {}): CertSpec => ({
    subjectCN: hostname,
    sans: { dns: [hostname] },
    notBefore: new Date(now - 10 * DAY),
    notAfter: new Date(now + 80 * DAY),
    key: { type: 'rsa', bits: 2048 },
    issuer,
    ocspUrl: repo.ocspUrl,
    caIssuersUrl: repo.caIssuersUrl(issuer),
    ...change,
  });
  const baseline = async (change: Partial<CertSpec> = {}, issuer: IssuedCert = ca.publicInt): Promise<ScenarioPlan> => {
    const leaf = await issueCertificate(leafSpec(issuer, change));
    return {
      chain: [leaf, issuer],
      ocspSigner: issuer,
      stapled: true,
      minVersion: GOOD_TLS.minVersion,
      maxVersion: GOOD_TLS.maxVersion,
      ciphers: GOOD_TLS.ciphers,
      hsts: true,
    };
  };
  const shifted = (notBeforeDays: number, notAfterDays: number): Partial<CertSpec> => ({
    notBefore: new Date(now + notBeforeDays * DAY),
    notAfter: new Date(now + notAfterDays * DAY),
  });

  switch (name) {
    case 'good-rsa':
    case 'no-hsts':
    case 'no-ocsp-stapling':
    case 'no-tls13':
    case 'no-forward-secrecy':
    case 'legacy-protocols': {
      const plan = await baseline();
      if (name === 'no-hsts') plan.hsts = false;
      if (name === 'no-ocsp-stapling') plan.stapled = false;
      if (name === 'no-tls13') plan.maxVersion = 'TLSv1.2';
      if (name === 'no-forward-secrecy') {
        plan.maxVersion = 'TLSv1.2';
        plan.ciphers = RSA_KX;
      }
      if (name === 'legacy-protocols') {
        plan.minVersion = 'TLSv1';
        // OpenSSL 3 refuses TLS 1.0/1.1 (their MD5/SHA-1 handshake signatures) above security level 0.
        plan.ciphers = `${TLS13_SUITES}:${ECDHE_AEAD}:${ECDHE_CBC}:@SECLEVEL=0`;
      }
      return plan;
    }
    case 'ocsp-delegated': {
      const plan = await baseline();
      const responder = await issueCertificate({
        subject: 'CN=GovScan Lab Public OCSP Responder R1, O=GovScan Lab, C=VN',
        issuer: ca.publicInt,
        key: OCSP_RESPONDER_KEY,
        keyId: 'ocsp-responder',
        keyUsage: ['digitalSignature'],
        extKeyUsage: ['OCSPSigning'],
        notBefore: new Date(now - 10 * DAY),
        notAfter: new Date(now + 80 * DAY),
      });
      plan.stapleChange = { responder };
      return plan;
    }
    case 'ocsp-forged': {
      const plan = await baseline();
      plan.stapleChange = { status: 'revoked', signWith: plan.chain[0] };
      return plan;
    }
    case 'ocsp-stale': {
      const plan = await baseline();
      plan.stapleChange = { thisUpdate: new Date(now - 10 * DAY), nextUpdate: new Date(now - 3 * DAY) };
      return plan;
    }
    case 'good-ecdsa':
      return baseline({ key: { type: 'ec', curve: 'P-256' } }, ca.publicIntEc);
    case 'good-ed25519':
      return baseline({ key: { type: 'ed25519' } });
    case 'expired':
      return baseline(shifted(-92, -2));
    case 'not-yet-valid':
      return baseline(shifted(5, 95));
    case 'expiring-soon':
      return baseline(shifted(-70, 20));
    case 'expiring-critical':
      return baseline(shifted(-87, 3));
    case 'long-lifetime':
      return baseline(shifted(-10, 790));
    case 'wrong-host': {
      const other = 'portal.other-agency.test';
      return baseline({ subjectCN: other, sans: { dns: [other] } });
    }
    case 'no-san':
      return baseline({ sans: {} });
    case 'weak-key': {
      const plan = await baseline({ key: { type: 'rsa', bits: 1024 } });
      // OpenSSL 3.5 (Node 24) will not load an RSA-1024 server key above security level 0 ("ee key too small").
      plan.ciphers = `${GOOD_TLS.ciphers}:@SECLEVEL=0`;
      return plan;
    }
    case 'sha1-signature': {
      const plan = await baseline({ signatureHash: 'SHA-1' });
      // OpenSSL will not even load a SHA-1 signed certificate above security level 0.
      plan.ciphers = `${GOOD_TLS.ciphers}:@SECLEVEL=0`;
      return plan;
    }
    case 'incomplete-chain': {
      const plan = await baseline();
      plan.chain = plan.chain.slice(0, 1);
      return plan;
    }
    case 'untrusted-root': {
      const plan = await baseline({}, ca.privateInt);
      plan.chain.push(ca.privateRoot);
      return plan;
    }
    case 'national-root-only':
      return baseline({}, ca.nationalInt);
    case 'self-signed': {
      const leaf = await issueCertificate({ ...leafSpec(ca.publicInt), issuer: undefined, caIssuersUrl: undefined });
      return {
        chain: [leaf],
        ocspSigner: leaf,
        stapled: true,
        minVersion: GOOD_TLS.minVersion,
        maxVersion: GOOD_TLS.maxVersion,
        ciphers: GOOD_TLS.ciphers,
        hsts: true,
      };
    }
    case 'huge-chain': {
      // A 99-deep ladder of intermediates under the public root, each with its own EC key so that
      // key identifiers do not repeat (a repeat would turn a chain builder's bug into a loop).
      const ladder = await issueChain(
        ca.publicRoot,
        Array.from(
          { length: HUGE_CHAIN_LENGTH - 1 },
          (_, i): CertSpec => ({
            subject: `CN=GovScan Lab Ladder CA ${i + 1}, O=GovScan Lab, C=VN`,
            key: { type: 'ec' },
            keyId: `ladder-${i + 1}`,
            isCA: true,
            notBefore: new Date(now - 365 * DAY),
            notAfter: new Date(now + 5 * 365 * DAY),
          }),
        ),
      );
      const bottom = ladder[ladder.length - 1]!;
      const leaf = await issueCertificate(leafSpec(bottom, { key: { type: 'ec' }, caIssuersUrl: undefined }));
      return {
        chain: [leaf, ...ladder.reverse()],
        ocspSigner: bottom,
        stapled: true,
        minVersion: GOOD_TLS.minVersion,
        maxVersion: GOOD_TLS.maxVersion,
        ciphers: GOOD_TLS.ciphers,
        hsts: true,
      };
    }
    default:
      throw new Error(`no TLS plan for scenario ${name}`);
  }
}

export async function startFarm(opts: StartFarmOptions = {}): Promise<Farm> {
  const address = opts.address ?? '127.0.0.1';
  const now = (opts.now ?? new Date()).getTime();
  const wanted = opts.scenarios ?? SCENARIOS.map((s) => s.name);
  const scenarios = wanted.map((name) => {
    const found = SCENARIOS.find((s) => s.name === name);
    if (!found) throw new Error(`unknown farm scenario "${name}" (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
    return found;
  });

  const { tracker, servers, dir, close } = await farmLifecycle('govscan-farm-', opts.tmpDir);

  try {
    const [repo] = await Promise.all([startRepository(address, tracker), warmKeys(farmKeys())]);
    servers.push(repo.server);
    const ca = await buildAuthorities(now, repo);
    const ocspDates = { thisUpdate: new Date(now - 3_600_000), nextUpdate: new Date(now + 7 * DAY) };

    const endpoints = await Promise.all(
      scenarios.map(async (sc): Promise<FarmEndpoint> => {
        let server: net.Server;
        if (sc.hostile === 'silent') {
          server = net.createServer(() => {});
        } else if (sc.hostile === 'garbage') {
          const bytes = garbageBytes();
          server = net.createServer((socket) => socket.write(bytes));
        } else {
          const plan = await planScenario(sc.name, now, ca, repo);
          const leaf = plan.chain[0]!;
          const base = { cert: leaf, issuer: plan.ocspSigner, status: 'good', ...ocspDates } as const;
          const ocsp = await createOcspResponse(base);
          // The responder answers even when the server does not staple, as a real CA's would, and
          // always with a fresh answer of its own, whatever the server staples instead.
          repo.addOcsp(leaf, ocsp);
          const staple = plan.stapleChange ? await createOcspResponse({ ...base, ...plan.stapleChange }) : ocsp;
          server = createHttpsEndpoint({ ...plan, staple: plan.stapled ? staple : null, banner: `govscan lab farm: ${sc.name}` });
        }
        tracker.track(server);
        servers.push(server);
        const port = await listen(server, address);
        return { scenario: sc, host: sc.hostname, address, port, url: `https://${sc.hostname}:${port}/` };
      }),
    );

    const publicRootPemFile = join(dir, 'public-root.pem');
    const nationalRootPemFile = join(dir, 'national-root.pem');
    await Promise.all([writeFile(publicRootPemFile, ca.publicRoot.certPem), writeFile(nationalRootPemFile, ca.nationalRoot.certPem)]);

    return {
      endpoints,
      publicRoot: ca.publicRoot,
      nationalRoot: ca.nationalRoot,
      publicRootPemFile,
      nationalRootPemFile,
      repositoryUrl: repo.url,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
