// SMTP replies (RFC 5321 §4.2) as the probes read them: the MX reachability check reads a greeting,
// the TLS check's STARTTLS (RFC 3207) reads a greeting, the EHLO answer and the go-ahead. Bounded in
// bytes and time, so a silent or babbling server costs the timeout and nothing more.

import type { Socket } from 'node:net';

export interface SmtpReply {
  code: number;
  /** Text of each line after the code and its separator, in order. */
  lines: string[];
}

export type SmtpRead =
  | { ok: true; reply: SmtpReply }
  /** `received`: the first bytes the server sent (at most 512), '' when it sent nothing. */
  | { ok: false; kind: 'timeout' | 'closed' | 'protocol'; reason: string; received: string };

/** A reply larger than this is not an SMTP server answering a probe. */
const MAX_REPLY_BYTES = 16 * 1024;
const LINE = /^(\d{3})([ -]?)(.*)$/;

/**
 * Reads one complete reply (its lines up to the one whose code is followed by a space or nothing).
 * Never throws; leaves the socket's listeners as they were, so the caller can hand the socket to TLS.
 */
export function readSmtpReply(socket: Socket, timeoutMs: number, signal?: AbortSignal): Promise<SmtpRead> {
  return new Promise((resolve) => {
    let buf = '';
    /** The first bytes received, kept for the caller's error message whatever was parsed since. */
    let head = '';
    const lines: string[] = [];
    let first = 0;
    let settled = false;
    const finish = (result: SmtpRead): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
      // Bytes after the reply stay unread: a well-behaved server sends none before the client speaks.
      socket.pause();
      resolve(result);
    };
    const fail = (kind: 'timeout' | 'closed' | 'protocol', reason: string): void => finish({ ok: false, kind, reason, received: head });
    const timer = setTimeout(() => fail('timeout', `no complete SMTP reply within ${timeoutMs} ms`), timeoutMs);
    const onAbort = (): void => fail('timeout', signal?.reason instanceof Error ? signal.reason.message : 'aborted');
    const onClose = (): void => fail('closed', 'the server closed the connection before a complete SMTP reply');
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('latin1');
      if (head.length < 512) head += text.slice(0, 512 - head.length);
      buf += text;
      if (buf.length > MAX_REPLY_BYTES) {
        fail('protocol', `SMTP reply longer than ${MAX_REPLY_BYTES} bytes`);
        return;
      }
      let eol: number;
      while ((eol = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, eol).replace(/\r$/, '');
        buf = buf.slice(eol + 1);
        const m = LINE.exec(line);
        if (!m) {
          fail('protocol', `not an SMTP reply: "${printable(line)}"`);
          return;
        }
        const code = Number(m[1]);
        if (lines.length === 0) first = code;
        else if (code !== first) {
          fail('protocol', `SMTP reply lines with different codes (${first}, then ${code})`);
          return;
        }
        lines.push(m[3] ?? '');
        if (m[2] !== '-') {
          finish({ ok: true, reply: { code, lines } });
          return;
        }
      }
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.resume();
  });
}

/** A reply line as it may appear in a message: control characters shown, length capped. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).slice(0, 120);
}
