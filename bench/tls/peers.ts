// govscan's verdicts on every lab farm endpoint beside its peers' on the same server: the protocol
// versions sslscan finds accepted, and OpenSSL's chain-and-name verdict (`openssl s_client
// -verify_return_error -verify_hostname`, the machine's OpenSSL with its default security level).
// Prints one line per endpoint and the agreement; disagreements govscan makes on purpose are listed in
// INTENDED with the reason, and any other one makes the script exit 1.
//   npm run bench:peers

import { spawn } from 'node:child_process';
import { startFarm } from '../../src/lab/farm.js';
import { parseSslscanXml } from './peer-tools.js';
import type { Report } from '../../src/core/types.js';

/** Where govscan disagrees with OpenSSL on purpose. */
const INTENDED: Record<string, string> = {
  'no-san':
    'a certificate with no subjectAltName: OpenSSL matches the host name against the subject CN; browsers and RFC 9525 never do, so govscan fails TLS-CERT-HOSTNAME (and TLS-CERT-NO-SAN)',
};

interface Run {
  stdout: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 120_000): Promise<Run> {
  // Asynchronous: the farm's servers share this process's event loop.
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ stdout });
    });
  });
}

interface EndpointFacts {
  protocols: Record<string, { accepted?: boolean }>;
  trust: { public: { trusted: boolean } };
  hostname: { matches: boolean };
}

const farm = await startFarm({});
let versionsAgree = 0;
let verdictsAgree = 0;
let compared = 0;
const unexplained: string[] = [];
try {
  for (const e of farm.endpoints) {
    if (e.scenario.hostile) continue;
    const target = `https://${e.host}:${e.port}`;
    const scan = await run(
      process.execPath,
      [
        'bin/run.js',
        'scan',
        target,
        '--resolve',
        `${e.host}:${e.port}:${e.address}`,
        '--format',
        'json',
        '--quiet',
        '--timeout',
        '5000',
        '--fail-on',
        'none',
      ],
      {
        ...process.env,
        NODE_EXTRA_CA_CERTS: farm.publicRootPemFile,
      },
    );
    const report = JSON.parse(scan.stdout) as Report;
    const facts = report.attempts.find((a) => a.check === 'tls.endpoint')?.facts as EndpointFacts | undefined;
    if (!facts) throw new Error(`${e.scenario.name}: govscan gathered no TLS facts`);
    const expired = report.findings.some(
      (f) => (f.ruleId === 'TLS-CERT-EXPIRED' || f.ruleId === 'TLS-CERT-NOT-YET-VALID') && f.outcome === 'fail',
    );
    const govValid = facts.trust.public.trusted && facts.hostname.matches && !expired;
    const govVersions = Object.entries(facts.protocols)
      .filter(([, p]) => p.accepted)
      .map(([v]) => (v === 'TLSv1' ? 'TLSv1.0' : v))
      .sort();

    const ss = await run('sslscan', [
      '--no-colour',
      '--xml=-',
      '--no-ciphersuites',
      '--no-heartbleed',
      '--no-renegotiation',
      '--no-compression',
      '--no-groups',
      '--no-check-certificate',
      `--sni-name=${e.host}`,
      `${e.address}:${e.port}`,
    ]);
    const sslscanVersions = parseSslscanXml(ss.stdout)
      .versions.map((v) => (v === 'TLSv1' ? 'TLSv1.0' : v))
      .sort();
    const os = await run(
      'openssl',
      [
        's_client',
        '-connect',
        `${e.address}:${e.port}`,
        '-servername',
        e.host,
        '-CAfile',
        farm.publicRootPemFile,
        '-verify_hostname',
        e.host,
        '-verify_return_error',
      ],
      process.env,
      20_000,
    );
    const code = /Verify return code: (\d+)/.exec(os.stdout)?.[1] ?? 'none';
    const opensslValid = code === '0';

    compared++;
    const vOk = govVersions.join() === sslscanVersions.join();
    const tOk = govValid === opensslValid;
    if (vOk) versionsAgree++;
    if (tOk) verdictsAgree++;
    const note = tOk ? '' : INTENDED[e.scenario.name] ? `  (intended: ${INTENDED[e.scenario.name]})` : '  UNEXPLAINED';
    if (!vOk || (!tOk && !INTENDED[e.scenario.name])) unexplained.push(e.scenario.name);
    console.log(
      `${e.scenario.name.padEnd(22)} versions govscan=[${govVersions}] sslscan=[${sslscanVersions}] ${vOk ? 'agree' : 'DIFFER'} | valid govscan=${govValid} openssl=${opensslValid} (verify code ${code})${note}`,
    );
  }
} finally {
  await farm.close();
}
console.log(`protocol versions: ${versionsAgree}/${compared} endpoints agree with sslscan`);
console.log(
  `chain + host name verdict: ${verdictsAgree}/${compared} agree with openssl s_client (${compared - verdictsAgree} disagreements, ${unexplained.length} not in the intended list)`,
);
if (unexplained.length) process.exitCode = 1;
