// STARTTLS on smtp:// endpoints against a real loopback mail server: the dialogue a mail client runs
// (greeting, EHLO, STARTTLS, 220) and then a real TLS handshake on the same socket; servers that do
// not offer it, refuse it, say nothing or talk garbage end in a ProbeError that says where it stopped.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { ProbeError } from '../../../src/core/types.js';
import { issueCertificate, type IssuedCert } from '../../../src/lab/pki.js';
import { startSmtpServer, type SmtpServer } from '../../../src/lab/smtp-server.js';
import { connectForTls } from '../../../checks/tls/starttls.js';
import { serveRaw, testContext } from './farm.js';

const HOST = 'mail.lab.test';
let root: IssuedCert;
let leaf: IssuedCert;
const servers: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  root = await issueCertificate({ subject: 'C=VN, O=govscan lab, CN=SMTP Test Root', isCA: true });
  leaf = await issueCertificate({ subjectCN: HOST, sans: { dns: [HOST] }, issuer: root });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function mail(opts: Partial<Parameters<typeof startSmtpServer>[0]> = {}): Promise<SmtpServer> {
  const s = await startSmtpServer({ chain: [leaf], ...opts });
  servers.push(s);
  return s;
}

async function failure(p: Promise<unknown>): Promise<ProbeError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProbeError);
  return err as ProbeError;
}

describe('STARTTLS for smtp:// endpoints', () => {
  it('runs greeting, EHLO and STARTTLS, then TLS starts on the same socket with the server certificate', async () => {
    const s = await mail();
    const ctx = testContext({ anchors: [root] });
    const socket = await connectForTls(ctx, { address: s.address, port: s.port, starttls: 'smtp' }, ctx.signal);
    const secure = tls.connect({ socket, servername: HOST, ca: root.certPem });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    expect(secure.authorized).toBe(true);
    expect(new X509Certificate(secure.getPeerX509Certificate()!.raw).subject).toContain(`CN=${HOST}`);
    secure.destroy();
    expect(s.sessions.at(-1)).toEqual(['EHLO govscan.invalid', 'STARTTLS']);
  });

  it('plain tls targets connect without saying anything first', async () => {
    const s = await mail();
    const ctx = testContext({ anchors: [root] });
    const socket = await connectForTls(ctx, { address: s.address, port: s.port }, ctx.signal);
    socket.destroy();
    expect(ctx.dials).toBe(1);
  });

  it('a server whose EHLO lists no STARTTLS: says so, names what it lists, and says QUIT', async () => {
    const s = await mail({ offerStartTls: false });
    const ctx = testContext({ anchors: [root] });
    const err = await failure(connectForTls(ctx, { address: s.address, port: s.port, starttls: 'smtp' }, ctx.signal));
    expect(err.kind).toBe('protocol');
    expect(err.message).toBe('the SMTP server does not offer STARTTLS (EHLO lists: PIPELINING, 8BITMIME)');
    await expect.poll(() => s.sessions.at(-1)).toEqual(['EHLO govscan.invalid', 'QUIT']);
  });

  it('a refused STARTTLS and a refusing greeting are protocol errors with the server text', async () => {
    const refuses = await mail({ startTlsReply: '454 4.7.0 TLS not available due to local problem' });
    const ctx = testContext({ anchors: [root] });
    expect(
      (await failure(connectForTls(ctx, { address: refuses.address, port: refuses.port, starttls: 'smtp' }, ctx.signal))).message,
    ).toBe('SMTP STARTTLS: expected 220, got 454 4.7.0 TLS not available due to local problem');
    const busy = await mail({ greeting: '554 5.3.2 mail.lab.test service busy' });
    expect((await failure(connectForTls(ctx, { address: busy.address, port: busy.port, starttls: 'smtp' }, ctx.signal))).message).toBe(
      'SMTP the greeting: expected 220, got 554 5.3.2 mail.lab.test service busy',
    );
  });

  it('accepts a multi-line greeting', async () => {
    const s = await mail({ greeting: '220-mail.lab.test ESMTP\r\n220-no UCE\r\n220 ready' });
    const ctx = testContext({ anchors: [root] });
    const socket = await connectForTls(ctx, { address: s.address, port: s.port, starttls: 'smtp' }, ctx.signal);
    socket.destroy();
    expect(s.sessions.at(-1)).toEqual(['EHLO govscan.invalid', 'STARTTLS']);
  });

  it('a silent server costs the timeout; an HTTP answer and an endless line are not SMTP', async () => {
    const silent = await serveRaw({});
    servers.push(silent);
    const ctx = testContext({ anchors: [root], timeoutMs: 300 });
    const timedOut = await failure(connectForTls(ctx, { address: '127.0.0.1', port: silent.port, starttls: 'smtp' }, ctx.signal));
    expect(timedOut.kind).toBe('timeout');
    expect(timedOut.message).toBe('SMTP the greeting: no complete SMTP reply within 300 ms');

    const garbage = await serveRaw({ reply: Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n') });
    servers.push(garbage);
    const notSmtp = await failure(connectForTls(ctx, { address: '127.0.0.1', port: garbage.port, starttls: 'smtp' }, ctx.signal));
    expect(notSmtp.kind).toBe('protocol');
    expect(notSmtp.message).toBe('SMTP the greeting: not an SMTP reply: "HTTP/1.1 400 Bad Request"');

    const huge = await serveRaw({ reply: Buffer.from(`220-${'x'.repeat(20_000)}`) });
    servers.push(huge);
    expect((await failure(connectForTls(ctx, { address: '127.0.0.1', port: huge.port, starttls: 'smtp' }, ctx.signal))).message).toBe(
      'SMTP the greeting: SMTP reply longer than 16384 bytes',
    );
  });

  it('the dialer decides where it connects: nothing but loopback is dialled', async () => {
    const ctx = testContext({ anchors: [root] });
    await expect(connectForTls(ctx, { address: '2001:db8::25', port: 25, starttls: 'smtp' }, ctx.signal)).rejects.toThrow(
      'test dialer refuses non-loopback',
    );
    expect(ctx.dials).toBe(0);
  });
});
