// The TLS enumeration lab: loopback endpoints whose accepted versions, cipher suites, groups, DH size,
// suite order and renegotiation are fixed by their configuration, so a scanner's enumeration can be
// checked against the configuration and against peer tools (sslscan, nmap ssl-enum-ciphers).
// Most are `openssl s_server` processes (the Debian OpenSSL 3.0 the peers also link); some are Node
// servers (Node's own OpenSSL 3.5). What the machine's OpenSSL 3.0 cannot serve at all: SSLv2, SSLv3
// (not compiled in), TLS compression (built without zlib) and the RC4, DES, 3DES and export suites
// (removed from its cipher table); the "legacy" endpoint answers those from a scripted server
// (scripted-tls.ts) that stops after ServerHelloDone.

import { execFile } from 'node:child_process';
import { getDiffieHellman } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { dhParamsPem } from './dh-params.js';
import { chainPem, issueCertificate, type IssuedCert } from './pki.js';
import { startOpensslServer } from './openssl-server.js';
import { startScriptedTls, type ScriptedBehaviour } from './scripted-tls.js';
import { farmLifecycle, listen } from './servers.js';

type LabVersion = 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

/** A finite-field DH parameter file the lab writes: RFC 2409 group 2 (1024 bits) or RFC 7919 ffdhe2048. */
type LabDhParams = 'rfc2409-1024' | 'ffdhe2048';

type NodeServerOptions = Pick<tls.TlsOptions, 'minVersion' | 'maxVersion' | 'ciphers' | 'honorCipherOrder' | 'ecdhCurve'>;

export interface TlsLabConfig {
  name: string;
  description: string;
  cert: 'rsa' | 'ecdsa';
  server:
    | { kind: 'openssl'; args: string[]; dh?: LabDhParams }
    | { kind: 'node'; options: NodeServerOptions }
    | { kind: 'scripted'; behaviour: Omit<Extract<ScriptedBehaviour, { kind: 'legacy' }>, 'certificates'> };
  /** What the configuration fixes, for tests that judge it. */
  expect: {
    versions: LabVersion[];
    /** true: the server picks from its own order (-serverpref, honorCipherOrder); false: it follows the client's. */
    serverPreference: boolean | null;
    /** Prime size of the DHE suites' group, when the configuration accepts DHE suites. */
    dhBits?: number;
    /** The groups the server accepts, when the configuration restricts them (OpenSSL names). */
    groups?: string[];
    /** The ServerHello carries RFC 5746 renegotiation_info (false only for the scripted legacy server). */
    secureRenegotiation?: boolean;
    /** The server picks DEFLATE when offered. */
    compression?: boolean;
  };
}

// Mozilla's server-side TLS guidelines, version 5.7 (https://ssl-config.mozilla.org/guidelines/5.7.json),
// as far as OpenSSL 3.0 has the suites (DES-CBC3-SHA of "old" is gone from it).
const MOZILLA_INTERMEDIATE =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:' +
  'ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305';
const MOZILLA_OLD =
  `${MOZILLA_INTERMEDIATE}:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:` +
  'ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA:DHE-RSA-AES128-SHA256:DHE-RSA-AES256-SHA256:' +
  'AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:AES128-SHA:AES256-SHA';
// A short mixed list whose order differs from any client's, so server order is observable.
const ORDER_TEST = 'AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256';
// TLS 1.0 and 1.1 (SHA-1 handshake signatures) and every weak suite need security level 0 in OpenSSL 3.
const LEVEL0 = '@SECLEVEL=0';

const TLS12_13 = ['-no_ssl3', '-no_tls1', '-no_tls1_1'];
const UP_TO_12 = ['-no_tls1_3'];

function openssl(args: string[], dh?: LabDhParams): TlsLabConfig['server'] {
  return dh ? { kind: 'openssl', args, dh } : { kind: 'openssl', args };
}

export const TLS_LAB_CONFIGS: TlsLabConfig[] = [
  {
    name: 'modern',
    description: 'Mozilla modern: TLS 1.3 only, the three default TLS 1.3 suites.',
    cert: 'rsa',
    server: openssl(['-tls1_3']),
    expect: { versions: ['TLSv1.3'], serverPreference: false },
  },
  {
    name: 'tls13-all-suites',
    description: 'TLS 1.3 only with all five RFC 8446 suites, CCM and CCM_8 included, in server order.',
    cert: 'rsa',
    server: openssl([
      '-tls1_3',
      '-serverpref',
      '-ciphersuites',
      'TLS_AES_128_CCM_8_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256',
    ]),
    expect: { versions: ['TLSv1.3'], serverPreference: true },
  },
  {
    name: 'intermediate',
    description: 'Mozilla intermediate: TLS 1.2 and 1.3, ECDHE and DHE AEAD suites, ffdhe2048 for DHE.',
    cert: 'rsa',
    server: openssl([...TLS12_13, '-cipher', MOZILLA_INTERMEDIATE], 'ffdhe2048'),
    expect: { versions: ['TLSv1.2', 'TLSv1.3'], serverPreference: false, dhBits: 2048 },
  },
  {
    name: 'old',
    description: 'Mozilla old: TLS 1.0 to 1.3, CBC and static-RSA suites too, server order.',
    cert: 'rsa',
    server: openssl(['-serverpref', '-cipher', `${MOZILLA_OLD}:${LEVEL0}`], 'ffdhe2048'),
    expect: { versions: ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'], serverPreference: true, dhBits: 2048 },
  },
  {
    name: 'null-anon',
    description: 'TLS 1.0 to 1.2 with only NULL-encryption and anonymous (ADH, AECDH) suites.',
    cert: 'rsa',
    server: openssl([...UP_TO_12, '-cipher', `eNULL:aNULL:!PSK:${LEVEL0}`]),
    expect: { versions: ['TLSv1', 'TLSv1.1', 'TLSv1.2'], serverPreference: false },
  },
  {
    name: 'static-rsa',
    description: 'TLS 1.0 to 1.2 with only static RSA key exchange (no forward secrecy): AES, Camellia, ARIA.',
    cert: 'rsa',
    server: openssl([...UP_TO_12, '-cipher', `kRSA:!eNULL:!PSK:${LEVEL0}`]),
    expect: { versions: ['TLSv1', 'TLSv1.1', 'TLSv1.2'], serverPreference: false },
  },
  {
    name: 'dhe-1024',
    description: 'TLS 1.2 with DHE suites only over the 1024-bit RFC 2409 group 2.',
    cert: 'rsa',
    server: openssl(
      ['-tls1_2', '-cipher', `DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-SHA256:DHE-RSA-AES128-SHA:${LEVEL0}`],
      'rfc2409-1024',
    ),
    expect: { versions: ['TLSv1.2'], serverPreference: false, dhBits: 1024 },
  },
  {
    name: 'dhe-2048',
    description: 'TLS 1.2 with DHE suites only over RFC 7919 ffdhe2048.',
    cert: 'rsa',
    server: openssl(['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305'], 'ffdhe2048'),
    expect: { versions: ['TLSv1.2'], serverPreference: false, dhBits: 2048 },
  },
  {
    name: 'server-order',
    description: 'TLS 1.2 with a static-RSA suite first in the server order, and the server enforcing its order.',
    cert: 'rsa',
    server: openssl(['-tls1_2', '-serverpref', '-cipher', ORDER_TEST]),
    expect: { versions: ['TLSv1.2'], serverPreference: true },
  },
  {
    name: 'client-order',
    description: 'The same suites as server-order, but the server follows the client order.',
    cert: 'rsa',
    server: openssl(['-tls1_2', '-cipher', ORDER_TEST]),
    expect: { versions: ['TLSv1.2'], serverPreference: false },
  },
  {
    name: 'ecdsa',
    description: 'ECDSA P-256 certificate, TLS 1.2 and 1.3, every ECDSA-authenticated suite OpenSSL has.',
    cert: 'ecdsa',
    server: openssl([...TLS12_13, '-cipher', `aECDSA:!eNULL:${LEVEL0}`]),
    expect: { versions: ['TLSv1.2', 'TLSv1.3'], serverPreference: false },
  },
  {
    name: 'secp384r1-only',
    description: 'TLS 1.2 and 1.3 with ECDHE over secp384r1 only.',
    cert: 'rsa',
    server: openssl([...TLS12_13, '-groups', 'secp384r1', '-cipher', 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256']),
    expect: { versions: ['TLSv1.2', 'TLSv1.3'], serverPreference: false, groups: ['secp384r1'] },
  },
  {
    name: 'no-renegotiation',
    description: 'Mozilla intermediate with all renegotiation refused (-no_renegotiation).',
    cert: 'rsa',
    server: openssl([...TLS12_13, '-no_renegotiation', '-cipher', MOZILLA_INTERMEDIATE], 'ffdhe2048'),
    expect: { versions: ['TLSv1.2', 'TLSv1.3'], serverPreference: false, dhBits: 2048 },
  },
  {
    // OpenSSL still sends renegotiation_info (RFC 5746) here: the option lets clients without it
    // renegotiate, it does not make the ServerHello insecure.
    name: 'legacy-renegotiation',
    description: 'TLS 1.2 with legacy (unsafe) renegotiation allowed for clients without RFC 5746.',
    cert: 'rsa',
    server: openssl(['-tls1_2', '-legacy_renegotiation', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384']),
    expect: { versions: ['TLSv1.2'], serverPreference: false },
  },
  {
    name: 'tls10-only',
    description: 'TLS 1.0 only, every suite OpenSSL 3.0 still has for it.',
    cert: 'rsa',
    server: openssl(['-tls1', '-cipher', `ALL:!PSK:!SRP:${LEVEL0}`]),
    expect: { versions: ['TLSv1'], serverPreference: false },
  },
  {
    name: 'camellia-aria',
    description: 'TLS 1.2 with only Camellia and ARIA suites (national ciphers a scanner must still name).',
    cert: 'rsa',
    server: openssl(['-tls1_2', '-cipher', `CAMELLIA:ARIA:!PSK:!aNULL:${LEVEL0}`], 'ffdhe2048'),
    expect: { versions: ['TLSv1.2'], serverPreference: false, dhBits: 2048 },
  },
  {
    name: 'node-intermediate',
    description: 'Node (its own OpenSSL) TLS 1.2 and 1.3, ECDHE AEAD suites, server order (honorCipherOrder).',
    cert: 'rsa',
    server: {
      kind: 'node',
      options: {
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.3',
        honorCipherOrder: true,
        ciphers:
          'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256',
      },
    },
    expect: { versions: ['TLSv1.2', 'TLSv1.3'], serverPreference: true },
  },
  {
    name: 'node-legacy-cbc',
    description: 'Node TLS 1.0 to 1.2 with ECDHE CBC-SHA1 suites only, client order.',
    cert: 'ecdsa',
    server: {
      kind: 'node',
      options: {
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.2',
        honorCipherOrder: false,
        ciphers: `ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:${LEVEL0}`,
      },
    },
    expect: { versions: ['TLSv1', 'TLSv1.1', 'TLSv1.2'], serverPreference: false },
  },
  {
    name: 'legacy',
    description:
      'A scripted server of the 1990s: SSL 3.0 and TLS 1.0, RC4, DES, 3DES, IDEA and export suites (server order), DEFLATE compression, no renegotiation_info.',
    cert: 'rsa',
    server: {
      kind: 'scripted',
      behaviour: {
        kind: 'legacy',
        versions: [0x0300, 0x0301],
        // RC4-MD5, RC4-SHA, DES-CBC3-SHA, IDEA-CBC-SHA, DES-CBC-SHA, EXP-RC4-MD5, EXP-RC2-CBC-MD5, EXP-DES-CBC-SHA, AES128-SHA
        suites: [0x0004, 0x0005, 0x000a, 0x0007, 0x0009, 0x0003, 0x0006, 0x0008, 0x002f],
        compression: true,
        renegotiationInfo: false,
      },
    },
    expect: { versions: ['SSLv3', 'TLSv1'], serverPreference: true, secureRenegotiation: false, compression: true },
  },
];

interface TlsLabEndpoint {
  config: TlsLabConfig;
  /** SNI host name the certificate names: <config>.tls-lab.test */
  host: string;
  address: '127.0.0.1' | '::1';
  port: number;
}

export interface TlsLab {
  endpoints: TlsLabEndpoint[];
  /** Root of the lab's certificates (scanners that validate need it as an anchor). */
  root: IssuedCert;
  rootPemFile: string;
  close(): Promise<void>;
}

const TLS_LAB_DOMAIN = 'tls-lab.test';

async function writeDhParams(dir: string): Promise<Record<LabDhParams, string>> {
  const files = { 'rfc2409-1024': join(dir, 'dh-rfc2409-1024.pem'), ffdhe2048: join(dir, 'dh-ffdhe2048.pem') };
  // RFC 2409 §6.2, the second Oakley group: the 1024-bit group servers configured long ago still use.
  // Node carries it as 'modp2'.
  await writeFile(files['rfc2409-1024'], dhParamsPem(getDiffieHellman('modp2').getPrime()));
  // OpenSSL knows the RFC 7919 groups by name; asking it avoids copying a 2048-bit prime by hand.
  await promisify(execFile)('openssl', [
    'genpkey',
    '-genparam',
    '-algorithm',
    'DH',
    '-pkeyopt',
    'group:ffdhe2048',
    '-out',
    files.ffdhe2048,
  ]);
  return files;
}

export interface StartTlsLabOptions {
  /** Configuration names to start; all when absent. */
  configs?: string[];
  address?: '127.0.0.1' | '::1';
  /** Where PEM files go; a fresh temp dir (removed on close) when absent. */
  tmpDir?: string;
}

export async function startTlsLab(opts: StartTlsLabOptions = {}): Promise<TlsLab> {
  const address = opts.address ?? '127.0.0.1';
  const configs = opts.configs ? opts.configs.map(configNamed) : TLS_LAB_CONFIGS;
  const life = await farmLifecycle('govscan-tls-lab-', opts.tmpDir);
  const processes: { close(): Promise<void> }[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(processes.splice(0).map((p) => p.close()));
    await life.close();
  };
  try {
    const root = await issueCertificate({ subject: 'CN=GovScan TLS Lab Root, O=GovScan Lab, C=VN', isCA: true });
    const wildcard = `*.${TLS_LAB_DOMAIN}`;
    const leafSpec = { subjectCN: wildcard, sans: { dns: [wildcard], ip: [address] }, issuer: root };
    const leaves = {
      rsa: await issueCertificate(leafSpec),
      ecdsa: await issueCertificate({ ...leafSpec, key: { type: 'ec', curve: 'P-256' } }),
    };
    const files = {
      rsa: { cert: join(life.dir, 'rsa-chain.pem'), key: join(life.dir, 'rsa-key.pem') },
      ecdsa: { cert: join(life.dir, 'ecdsa-chain.pem'), key: join(life.dir, 'ecdsa-key.pem') },
    };
    for (const kind of ['rsa', 'ecdsa'] as const) {
      await writeFile(files[kind].cert, chainPem([leaves[kind], root]));
      await writeFile(files[kind].key, leaves[kind].keyPem);
    }
    const rootPemFile = join(life.dir, 'tls-lab-root.pem');
    await writeFile(rootPemFile, root.certPem);
    const dh = await writeDhParams(life.dir);

    const endpoints = await Promise.all(
      configs.map(async (config): Promise<TlsLabEndpoint> => {
        const host = `${config.name}.${TLS_LAB_DOMAIN}`;
        if (config.server.kind === 'openssl') {
          const args = config.server.dh ? [...config.server.args, '-dhparam', dh[config.server.dh]] : config.server.args;
          const proc = await startOpensslServer({ address, certFile: files[config.cert].cert, keyFile: files[config.cert].key, args });
          processes.push(proc);
          return { config, host, address, port: proc.port };
        }
        const leaf = leaves[config.cert];
        if (config.server.kind === 'scripted') {
          const behaviour = { ...config.server.behaviour, certificates: [leaf.der, root.der] };
          const { server, port } = await startScriptedTls(behaviour, address, life.tracker);
          life.servers.push(server);
          return { config, host, address, port };
        }
        const server = tls.createServer({ cert: chainPem([leaf, root]), key: leaf.keyPem, ...config.server.options }, (socket) => {
          socket.on('error', () => {});
          socket.end();
        });
        // Scanners' refused probes are the point of this lab, not errors.
        server.on('tlsClientError', () => {});
        life.tracker.track(server);
        life.servers.push(server);
        return { config, host, address, port: await listen(server, address) };
      }),
    );
    return { endpoints, root, rootPemFile, close };
  } catch (err) {
    await close();
    throw err;
  }
}

function configNamed(name: string): TlsLabConfig {
  const config = TLS_LAB_CONFIGS.find((c) => c.name === name);
  if (!config) throw new Error(`no TLS lab configuration named ${name}`);
  return config;
}
