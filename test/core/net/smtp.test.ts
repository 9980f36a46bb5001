// The SMTP reply reader shared by the MX reachability check and STARTTLS, on real loopback sockets:
// complete replies however they are split, and a clear failure for whatever is not one.

import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { readSmtpReply } from '../../../src/core/net/smtp.js';

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
});

/** A loopback server that writes `chunks` (with a short pause between) and a connected client. */
async function serverSays(chunks: string[], end = false): Promise<net.Socket> {
  const server = net.createServer((s) => {
    s.on('error', () => undefined);
    let i = 0;
    const next = (): void => {
      const c = chunks[i++];
      if (c === undefined) return void (end && s.end());
      s.write(c);
      setTimeout(next, 10);
    };
    next();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  const client = net.connect(port, '127.0.0.1');
  client.on('error', () => undefined);
  await new Promise((r) => client.once('connect', r));
  open.push({
    close: () => {
      client.destroy();
      server.close();
    },
  });
  return client;
}

describe('readSmtpReply', () => {
  it('reads a multi-line reply split across packets, and stops at its last line', async () => {
    const socket = await serverSays(['250-mail.lab.test hello\r\n250-PIPE', 'LINING\r\n250 STARTTLS\r\n']);
    expect(await readSmtpReply(socket, 2000)).toEqual({
      ok: true,
      reply: { code: 250, lines: ['mail.lab.test hello', 'PIPELINING', 'STARTTLS'] },
    });
  });

  it('takes bare LF line ends and a code with no text', async () => {
    const socket = await serverSays(['220\n']);
    expect(await readSmtpReply(socket, 2000)).toEqual({ ok: true, reply: { code: 220, lines: [''] } });
  });

  it('says what is wrong, with the first bytes received', async () => {
    const mixed = await serverSays(['250-one\r\n251 two\r\n']);
    expect(await readSmtpReply(mixed, 2000)).toEqual({
      ok: false,
      kind: 'protocol',
      reason: 'SMTP reply lines with different codes (250, then 251)',
      received: '250-one\r\n251 two\r\n',
    });
    const ssh = await serverSays(['SSH-2.0-OpenSSH_9.6\r\n']);
    expect(await readSmtpReply(ssh, 2000)).toMatchObject({
      ok: false,
      kind: 'protocol',
      reason: 'not an SMTP reply: "SSH-2.0-OpenSSH_9.6"',
      received: 'SSH-2.0-OpenSSH_9.6\r\n',
    });
    const cut = await serverSays(['220-still going\r\n'], true);
    expect(await readSmtpReply(cut, 2000)).toMatchObject({ ok: false, kind: 'closed', received: '220-still going\r\n' });
  });

  it('a silent server costs the timeout; an abort ends the wait with its reason', async () => {
    const silent = await serverSays([]);
    expect(await readSmtpReply(silent, 200)).toEqual({
      ok: false,
      kind: 'timeout',
      reason: 'no complete SMTP reply within 200 ms',
      received: '',
    });
    const quiet = await serverSays([]);
    const stop = new AbortController();
    setTimeout(() => stop.abort(new Error('target deadline passed')), 20);
    expect(await readSmtpReply(quiet, 30_000, stop.signal)).toMatchObject({ ok: false, kind: 'timeout', reason: 'target deadline passed' });
  });
});
