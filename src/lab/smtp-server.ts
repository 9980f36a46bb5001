// A loopback mail server for STARTTLS tests and the demo: greets, answers EHLO (with or without the
// STARTTLS extension), and on STARTTLS turns the same socket into a TLS server with lab certificates,
// like Postfix with smtpd_tls_security_level=may. It records the commands each session sent in clear.

import net from 'node:net';
import tls from 'node:tls';
import { chainPem, type IssuedCert } from './pki.js';
import { closeAll, GOOD_TLS, listen, SocketTracker } from './servers.js';

export interface SmtpServerOptions {
  /** Certificates sent after STARTTLS, leaf first. */
  chain: IssuedCert[];
  /** false: EHLO lists no STARTTLS (mail would travel in clear). */
  offerStartTls?: boolean;
  /** Reply to STARTTLS (220 goes ahead; e.g. 454 refuses). */
  startTlsReply?: string;
  greeting?: string;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  ciphers?: string;
  address?: string;
}

export interface SmtpServer {
  address: string;
  port: number;
  /** Commands received in clear, one array per connection. */
  sessions: string[][];
  close(): Promise<void>;
}

export async function startSmtpServer(opts: SmtpServerOptions): Promise<SmtpServer> {
  const leaf = opts.chain[0];
  if (!leaf) throw new Error('SMTP lab server needs a certificate chain');
  const secureContext = tls.createSecureContext({
    cert: chainPem(opts.chain),
    key: leaf.keyPem,
    // A good mail server unless the test says otherwise (a legacy one passes its versions and suites).
    ...GOOD_TLS,
    ...(opts.minVersion ? { minVersion: opts.minVersion } : {}),
    ...(opts.maxVersion ? { maxVersion: opts.maxVersion } : {}),
    ...(opts.ciphers ? { ciphers: opts.ciphers } : {}),
  });
  const offer = opts.offerStartTls ?? true;
  const sessions: string[][] = [];
  const tracker = new SocketTracker();
  const server = net.createServer((socket) => {
    const seen: string[] = [];
    sessions.push(seen);
    let buf = '';
    const onData = (chunk: Buffer): void => {
      buf += chunk.toString('latin1');
      if (buf.length > 4096) return void socket.destroy();
      let eol: number;
      while ((eol = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, eol).replace(/\r$/, '');
        buf = buf.slice(eol + 1);
        seen.push(line);
        const verb = line.split(' ')[0]?.toUpperCase() ?? '';
        if (verb === 'EHLO') {
          socket.write(`250-mail.lab.test greets ${line.slice(5)}\r\n250-PIPELINING\r\n${offer ? '250-STARTTLS\r\n' : ''}250 8BITMIME\r\n`);
        } else if (verb === 'STARTTLS' && offer) {
          const reply = opts.startTlsReply ?? '220 2.0.0 Ready to start TLS';
          socket.write(`${reply}\r\n`);
          if (!reply.startsWith('220')) continue;
          socket.off('data', onData);
          const secure = new tls.TLSSocket(socket, { isServer: true, secureContext });
          // Scanners offering versions and suites the server refuses are routine here.
          secure.on('error', () => socket.destroy());
          secure.on('data', (d: Buffer) => {
            if (/^QUIT/i.test(d.toString('latin1'))) secure.end('221 2.0.0 Bye\r\n');
            else secure.write('250 2.0.0 OK\r\n');
          });
          return;
        } else if (verb === 'QUIT') {
          socket.end('221 2.0.0 Bye\r\n');
          return;
        } else {
          socket.write('502 5.5.2 Command not recognised\r\n');
        }
      }
    };
    socket.on('data', onData);
    socket.write(`${opts.greeting ?? '220 mail.lab.test ESMTP govscan-lab'}\r\n`);
  });
  tracker.track(server);
  const address = opts.address ?? '127.0.0.1';
  const port = await listen(server, address);
  return { address, port, sessions, close: () => closeAll([server], tracker) };
}
