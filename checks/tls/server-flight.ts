// A bounded reader of a TLS <= 1.2 server's first flight, up to its ServerKeyExchange: the message
// that names the ECDHE curve (RFC 8422 §5.4) or carries the finite-field DH prime (RFC 5246 §7.4.3)
// the server would use. The ServerHello is read by client-hello.ts's reader; this one continues with
// what followed it. The Certificate in between can be long (a chain with several RSA-4096
// certificates), so the reader takes up to 128 KiB, and stops at the ServerKeyExchange or the
// ServerHelloDone, whichever comes first. Pure byte work; the socket side is in enum-groups.ts.

import {
  CONTENT_ALERT,
  CONTENT_CCS,
  CONTENT_HANDSHAKE,
  CONTENT_HEARTBEAT,
  MAX_RECORD,
  ServerHelloReader,
  type ServerAnswer,
} from './server-hello.js';

const HS_SERVER_KEY_EXCHANGE = 12;
const HS_SERVER_HELLO_DONE = 14;

/** OpenSSL reads a Certificate message up to 100 KiB; the rest of the flight fits in the margin. */
const MAX_FLIGHT_BYTES = 131_072;

const EC_NAMED_CURVE = 3;

/** The key exchange the offered suites allow: the reader parses the ServerKeyExchange as this. */
export type FlightKex = 'ecdhe' | 'dhe';

type ServerKeyExchange =
  /** `group` is the named curve; null when the server sent explicit curve parameters (curve_type 1 or 2). */
  { kind: 'ecdhe'; curveType: number; group: number | null } | { kind: 'dhe'; p: Buffer; g: Buffer };

export type FlightAnswer =
  | { kind: 'key-exchange'; version: number; cipher: number; keyExchange: ServerKeyExchange }
  /** ServerHelloDone without a ServerKeyExchange: the chosen suite does not exchange keys that way. */
  | { kind: 'no-key-exchange'; version: number; cipher: number }
  /** The ServerHello named another version than the one offered; the rest is not read. */
  | { kind: 'other-version'; version: number }
  /** Refusals and garbage, as the ServerHello reader reports them. */
  | Exclude<ServerAnswer, { kind: 'server-hello' }>;

/**
 * Reads the server's bytes until the key exchange is known. push() returns the answer once it is and
 * null while more bytes are needed; the answer never changes after that.
 */
export class ServerFlightReader {
  private readonly helloReader: ServerHelloReader;
  private hello: { version: number; cipher: number } | null = null;
  private buf: Buffer = Buffer.alloc(0);
  private handshake: Buffer = Buffer.alloc(0);
  private total = 0;
  private answer: FlightAnswer | null = null;

  constructor(
    /** The version the ClientHello offered (0x0303 for TLS 1.2). */
    private readonly offeredVersion: number,
    private readonly kex: FlightKex,
    private readonly maxBytes: number = MAX_FLIGHT_BYTES,
  ) {
    this.helloReader = new ServerHelloReader(maxBytes);
  }

  get received(): number {
    return this.total;
  }

  push(chunk: Buffer): FlightAnswer | null {
    if (this.answer) return this.answer;
    this.total += chunk.length;
    this.answer = this.hello ? this.more(chunk) : this.first(chunk);
    if (!this.answer && this.total >= this.maxBytes) {
      this.answer = { kind: 'malformed', detail: `no ServerKeyExchange or ServerHelloDone in the first ${this.maxBytes} bytes` };
    }
    return this.answer;
  }

  /** Bytes before and with the ServerHello: the hello reader's; then what followed it is ours. */
  private first(chunk: Buffer): FlightAnswer | null {
    const answer = this.helloReader.push(chunk);
    if (!answer) return null;
    if (answer.kind !== 'server-hello') return answer;
    if (answer.version !== this.offeredVersion) return { kind: 'other-version', version: answer.version };
    this.hello = { version: answer.version, cipher: answer.cipher };
    const rest = this.helloReader.remainder();
    this.handshake = rest.handshake;
    this.buf = rest.records;
    return this.readMessages() ?? this.drain();
  }

  private more(chunk: Buffer): FlightAnswer | null {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    return this.drain();
  }

  private drain(): FlightAnswer | null {
    for (;;) {
      const buf = this.buf;
      if (buf.length < 5) return null;
      const type = buf[0] as number;
      if (buf[1] !== 0x03 || type < CONTENT_CCS || type > CONTENT_HEARTBEAT) {
        return { kind: 'malformed', detail: `bytes starting ${buf.subarray(0, 4).toString('hex')} after the ServerHello` };
      }
      const length = buf.readUInt16BE(3);
      if (length > MAX_RECORD) return { kind: 'malformed', detail: `record length ${length} exceeds the TLS maximum` };
      if (buf.length < 5 + length) return null;
      const fragment = buf.subarray(5, 5 + length);
      this.buf = buf.subarray(5 + length);
      if (type === CONTENT_ALERT) {
        if (length < 2) return { kind: 'malformed', detail: 'truncated alert' };
        // A warning (other than close_notify) does not end the handshake.
        if (fragment[0] === 1 && fragment[1] !== 0) continue;
        return { kind: 'alert', level: fragment[0] as number, description: fragment[1] as number };
      }
      if (type !== CONTENT_HANDSHAKE) return { kind: 'malformed', detail: `content type ${type} in the server's first flight` };
      if (length === 0) return { kind: 'malformed', detail: 'empty handshake record' };
      this.handshake = this.handshake.length ? Buffer.concat([this.handshake, fragment]) : fragment;
      const answer = this.readMessages();
      if (answer) return answer;
    }
  }

  /** The handshake messages after the ServerHello, as far as they are complete. */
  private readMessages(): FlightAnswer | null {
    const hello = this.hello!;
    for (;;) {
      const hs = this.handshake;
      if (hs.length < 4) return null;
      const msgType = hs[0] as number;
      const msgLen = hs.readUIntBE(1, 3);
      if (msgLen > this.maxBytes) return { kind: 'malformed', detail: `handshake message of ${msgLen} bytes` };
      if (hs.length < 4 + msgLen) return null;
      const body = hs.subarray(4, 4 + msgLen);
      this.handshake = hs.subarray(4 + msgLen);
      if (msgType === HS_SERVER_KEY_EXCHANGE) {
        const keyExchange = this.kex === 'ecdhe' ? parseEcdheParams(body) : parseDheParams(body);
        if ('detail' in keyExchange) return { kind: 'malformed', detail: keyExchange.detail };
        return { kind: 'key-exchange', ...hello, keyExchange };
      }
      if (msgType === HS_SERVER_HELLO_DONE) return { kind: 'no-key-exchange', ...hello };
      // Certificate (11), CertificateStatus (22), CertificateRequest (13): not needed here.
    }
  }
}

type Malformed = { detail: string };

/** ServerECDHParams (RFC 8422 §5.4): curve_type, then for named_curve the group code. */
function parseEcdheParams(body: Buffer): ServerKeyExchange | Malformed {
  if (body.length < 1) return { detail: 'empty ServerKeyExchange' };
  const curveType = body[0] as number;
  if (curveType !== EC_NAMED_CURVE) return { kind: 'ecdhe', curveType, group: null };
  if (body.length < 3) return { detail: 'ServerKeyExchange truncated in the named curve' };
  return { kind: 'ecdhe', curveType, group: body.readUInt16BE(1) };
}

/** ServerDHParams (RFC 5246 §7.4.3): dh_p<1..2^16-1>, dh_g<1..2^16-1>, then dh_Ys and the signature. */
function parseDheParams(body: Buffer): ServerKeyExchange | Malformed {
  const p = opaque16(body, 0);
  if (!p || p.value.length === 0) return { detail: 'ServerKeyExchange truncated in dh_p' };
  const g = opaque16(body, p.next);
  if (!g || g.value.length === 0) return { detail: 'ServerKeyExchange truncated in dh_g' };
  return { kind: 'dhe', p: p.value, g: g.value };
}

function opaque16(body: Buffer, off: number): { value: Buffer; next: number } | null {
  if (off + 2 > body.length) return null;
  const len = body.readUInt16BE(off);
  if (off + 2 + len > body.length) return null;
  return { value: body.subarray(off + 2, off + 2 + len), next: off + 2 + len };
}
