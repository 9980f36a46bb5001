// The TLS lab's own contract: a configuration OpenSSL rejects fails the start with OpenSSL's words
// (the process is reaped before the promise rejects); an unknown configuration name is refused before
// anything starts.
// (What every configuration serves is checked against sslscan and nmap in test/checks/tls/peer-agreement.)

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpensslServer } from '../../src/lab/openssl-server.js';
import { issueCertificate } from '../../src/lab/pki.js';
import { startTlsLab } from '../../src/lab/tls-lab.js';

let dir: string;
let certFile: string;
let keyFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-tls-lab-test-'));
  const cert = await issueCertificate({ subjectCN: 'lab.test', sans: { dns: ['lab.test'] } });
  certFile = join(dir, 'cert.pem');
  keyFile = join(dir, 'key.pem');
  await writeFile(certFile, cert.certPem);
  await writeFile(keyFile, cert.keyPem);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openssl s_server lab process', () => {
  it('a cipher list OpenSSL rejects fails the start with its message', async () => {
    const start = startOpensslServer({ address: '127.0.0.1', certFile, keyFile, args: ['-cipher', 'NO-SUCH-CIPHER'] });
    await expect(start).rejects.toThrow(/NO-SUCH-CIPHER.*(exited|no cipher match)/s);
  });

  it('serves on the port it reports until closed', async () => {
    const server = await startOpensslServer({ address: '127.0.0.1', certFile, keyFile, args: ['-tls1_3'] });
    expect(server.port).toBeGreaterThan(0);
    await server.close();
    await server.close();
  });
});

describe('startTlsLab', () => {
  it('refuses an unknown configuration name', async () => {
    await expect(startTlsLab({ configs: ['no-such-config'] })).rejects.toThrow('no TLS lab configuration named no-such-config');
  });
});
