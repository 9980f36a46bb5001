// A node:tls server in a child process of a chosen Node binary, for tests that need another OpenSSL
// than the running Node's: a Node with OpenSSL 3.5+ negotiates X25519MLKEM768.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type tls from 'node:tls';

/**
 * A Node whose OpenSSL has ML-KEM (3.5+): GOVSCAN_TEST_NODE24 (.ci/run sets it in both passes), else
 * this Node when it is one (the Node 24 pass).
 */
export function pqNode(): string {
  const configured = process.env.GOVSCAN_TEST_NODE24;
  if (configured) return configured;
  const [major = 0, minor = 0] = process.versions.openssl.split('.').map(Number);
  if (major > 3 || (major === 3 && minor >= 5)) return process.execPath;
  throw new Error(`set GOVSCAN_TEST_NODE24 to a Node 24 binary (OpenSSL 3.5); this Node has OpenSSL ${process.versions.openssl}`);
}

export interface NodeServerProcess {
  port: number;
  /** The child's OpenSSL version. */
  openssl: string;
  close(): Promise<void>;
}

/**
 * node:tls in a child process of `node` serving `certPem` (leaf first, chain after) and `keyPem`;
 * resolves once it listens on 127.0.0.1. The caller closes it (even when this rejects, `onStart`
 * has already received the handle).
 */
export async function nodeServerProcess(
  node: string,
  pem: { certPem: string; keyPem: string },
  options: tls.TlsOptions,
  onStart: (handle: Pick<NodeServerProcess, 'close'>) => void,
): Promise<NodeServerProcess> {
  const child = spawn(node, [fileURLToPath(new URL('../../fixtures/tls/node-tls-server.mjs', import.meta.url))], {
    env: {
      PATH: process.env.PATH,
      GOVSCAN_TLS_CERT: pem.certPem,
      GOVSCAN_TLS_KEY: pem.keyPem,
      GOVSCAN_TLS_OPTIONS: JSON.stringify(options),
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const close = async (): Promise<void> => {
    child.stdin.end();
    await exited;
  };
  onStart({ close });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${node}: no port line within 20 s`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^port (\d+) openssl (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), openssl: m[2]!, close });
      }
    });
    child.once('close', (code) => reject(new Error(`${node} exited (${code}) before listening`)));
  });
}
