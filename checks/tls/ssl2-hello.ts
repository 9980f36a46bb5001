// SSL 2.0 detection: a v2 CLIENT-HELLO offering every SSL 2.0 cipher kind; a server that answers with a
// SERVER-HELLO speaks SSL 2.0 (what sslscan, testssl.sh and nmap's sslv2 script decide). The record and
// message layouts are those of the SSL 2.0 specification (Hickman, 1995) as RFC 6176 retires them.
// Pure byte work; the socket side is hello-exchange.ts.

import { randomFillSync } from 'node:crypto';

/** SSL 2.0 CIPHER-KINDs: RC4_128_WITH_MD5 … DES_192_EDE3_CBC_WITH_MD5, RC4_64_WITH_MD5. */
const CIPHER_KINDS = [0x010080, 0x020080, 0x030080, 0x040080, 0x050080, 0x060040, 0x0700c0, 0x080080];

const MSG_CLIENT_HELLO = 1;
const MSG_ERROR = 0;
const MSG_SERVER_HELLO = 4;

/** The v2 CLIENT-HELLO record: 2-byte header (top bit set), version 0x0002, cipher kinds, 16-byte challenge. */
export function buildSsl2ClientHello(): Buffer {
  const specs = Buffer.alloc(CIPHER_KINDS.length * 3);
  for (const [i, kind] of CIPHER_KINDS.entries()) specs.writeUIntBE(kind, i * 3, 3);
  const challenge = randomFillSync(Buffer.alloc(16));
  const head = Buffer.alloc(9);
  head[0] = MSG_CLIENT_HELLO;
  head.writeUInt16BE(0x0002, 1);
  head.writeUInt16BE(specs.length, 3);
  head.writeUInt16BE(0, 5); // session id length
  head.writeUInt16BE(challenge.length, 7);
  const body = Buffer.concat([head, specs, challenge]);
  const header = Buffer.from([0x80 | (body.length >> 8), body.length & 0xff]);
  return Buffer.concat([header, body]);
}

export type Ssl2Answer =
  /** A SERVER-HELLO for version 2: SSL 2.0 is spoken. `ciphers` is how many cipher kinds it lists. */
  | { kind: 'ssl2'; ciphers: number }
  /** A TLS record (an alert, a handshake) or an SSL 2.0 ERROR: the server does not speak SSL 2.0. */
  | { kind: 'refused'; detail: string }
  | { kind: 'not-tls'; detail: string };

/** Bytes of a SERVER-HELLO up to its cipher specs length: type, hit, cert type, version, 3 lengths. */
const SERVER_HELLO_HEAD = 11;

/** Reads the first answer to the v2 CLIENT-HELLO; never needs more than a record header and 11 bytes. */
export class Ssl2AnswerReader {
  private buf: Buffer = Buffer.alloc(0);
  private total = 0;

  get received(): number {
    return this.total;
  }

  push(chunk: Buffer): Ssl2Answer | null {
    this.total += chunk.length;
    this.buf = Buffer.concat([this.buf, chunk]).subarray(0, 16);
    const b = this.buf;
    if (b.length < 3) return null;
    // A TLS record header (content type 20–24, major version 3): a TLS server answering in TLS.
    if ((b[0] as number) >= 20 && (b[0] as number) <= 24 && b[1] === 3) {
      return { kind: 'refused', detail: b[0] === 21 ? 'a TLS alert' : 'a TLS record' };
    }
    // Two-byte header when the top bit is set, else three (with padding) (SSL 2.0 §"Record Header").
    const headerLen = ((b[0] as number) & 0x80) !== 0 ? 2 : 3;
    if (b.length < headerLen + 1) return null;
    const type = b[headerLen] as number;
    if (type === MSG_ERROR) return { kind: 'refused', detail: 'an SSL 2.0 ERROR message' };
    if (type !== MSG_SERVER_HELLO) return { kind: 'not-tls', detail: `bytes starting ${b.subarray(0, 4).toString('hex')}` };
    if (b.length < headerLen + SERVER_HELLO_HEAD) return null;
    const msg = b.subarray(headerLen);
    const version = msg.readUInt16BE(3);
    if (version !== 0x0002)
      return { kind: 'refused', detail: `an SSL 2.0 SERVER-HELLO for version 0x${version.toString(16).padStart(4, '0')}` };
    return { kind: 'ssl2', ciphers: Math.floor(msg.readUInt16BE(7) / 3) };
  }
}
