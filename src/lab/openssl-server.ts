// One `openssl s_server` process on a loopback port: the reference TLS server the enumeration lab
// compares govscan and its peers against. Started on port 0 (s_server prints the port it got on its
// ACCEPT line), killed on close, with its output drained and never kept beyond the first line.

import { spawn } from 'node:child_process';

export interface OpensslServer {
  port: number;
  close(): Promise<void>;
}

export interface OpensslServerOptions {
  address: '127.0.0.1' | '::1';
  certFile: string;
  keyFile: string;
  /** Everything after -accept/-cert/-key: -cipher, -ciphersuites, -groups, -dhparam, -serverpref… */
  args: string[];
  /** How long s_server may take to print its ACCEPT line. */
  readyTimeoutMs?: number;
}

// s_server writes its port on the first line; anything beyond this before ACCEPT is an error message.
const MAX_STARTUP_BYTES = 16_384;

export function startOpensslServer(opts: OpensslServerOptions): Promise<OpensslServer> {
  // -www answers an HTTP request with a status page and needs no stdin, so the process serves every
  // connection in turn without a terminal; -naccept is left out so it serves until killed.
  const accept = opts.address === '::1' ? '[::1]:0' : '127.0.0.1:0';
  const child = spawn('openssl', ['s_server', '-accept', accept, '-cert', opts.certFile, '-key', opts.keyFile, '-www', ...opts.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return new Promise<OpensslServer>((resolve, reject) => {
    let startup = '';
    const fail = (why: string): void => {
      clearTimeout(timer);
      void close().then(() => reject(new Error(`openssl s_server ${opts.args.join(' ')}: ${why}`)));
    };
    const timer = setTimeout(() => fail(`no ACCEPT line within ${opts.readyTimeoutMs ?? 10_000} ms`), opts.readyTimeoutMs ?? 10_000);
    const onOutput = (chunk: Buffer): void => {
      startup += chunk.toString('latin1');
      const port = /^ACCEPT \S*:(\d+)\s*$/m.exec(startup)?.[1];
      if (port) {
        clearTimeout(timer);
        child.stdout.off('data', onOutput);
        child.stderr.off('data', onOutput);
        // From here on the output (per-connection errors of scanners' probes) is read and dropped.
        child.stdout.resume();
        child.stderr.resume();
        resolve({ port: Number(port), close });
      } else if (startup.length > MAX_STARTUP_BYTES) fail('too much output before ACCEPT');
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.once('error', (err) => fail(err.message));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before listening: ${startup.slice(0, 500).trim()}`));
  });
}
