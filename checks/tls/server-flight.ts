// A bounded reader of a TLS <= 1.2 server's first flight, up to its ServerKeyExchange: the message
// that names the ECDHE curve (RFC 8422 §5.4) or carries the finite-field DH prime (RFC 5246 §7.4.3)
// the server would use. The Certificate before it can be long (a chain with several RSA-4096
// certificates), so the reader takes up to 128 KiB, and stops at the ServerKeyExchange or the
// ServerHelloDone, whichever comes first. Pure byte work, like the ServerHello reader in
// client-hello.ts; the socket side is in enum-groups.ts.

const CONTENT_CCS = 20;
const CONTENT_ALERT = 21;
const CONTENT_HANDSHAKE = 22;
const CONTENT_HEARTBEAT = 24;

const HS_HELLO_REQUEST = 0;
const HS_SERVER_HELLO = 2;
const HS_SERVER_KEY_EXCHANGE = 12;
const HS_SERVER_HELLO_DONE = 14;

/** Largest TLSCiphertext fragment (RFC 8446 §5.2); anything longer is not a TLS record. */
const MAX_RECORD = 16_384 + 2_048;

/** OpenSSL reads a Certificate message up to 100 KiB; the rest of the flight fits in the margin. */
export const MAX_FLIGHT_BYTES = 131_072;

const EC_NAMED_CURVE = 3;

/** The key exchange the offered suites allow: the reader parses the ServerKeyExchange as this. */
export type FlightKex = 'ecdhe' | 'dhe';

export type ServerKeyExchange =
  /** `group` is the named curve; null when the server sent explicit curve parameters (curve_type 1 or 2). */
  { kind: 'ecdhe'; curveType: number; group: number | null } | { kind: 'dhe'; p: Buffer; g: Buffer };

export type FlightAnswer =
  | { kind: 'key-exchange'; version: number; cipher: number; keyExchange: ServerKeyExchange }
  /** ServerHelloDone without a ServerKeyExchange: the chosen suite does not exchange keys that way. */
  | { kind: 'no-key-exchange'; version: number; cipher: number }
  /** The ServerHello named another version than the one offered; the rest is not read. */
  | { kind: 'other-version'; version: number }
  | { kind: 'alert'; level: number; description: number }
  | { kind: 'not-tls'; detail: string }
  | { kind: 'malformed'; detail: string };

/**
 * Reads the server's bytes until the key exchange is known. push() returns the answer once it is and
 * null while more bytes are needed; the answer never changes after that.
 */
export class ServerFlightReader {
  private buf: Buffer = Buffer.alloc(0);
  private handshake: Buffer = Buffer.alloc(0);
  private total = 0;
  private hello: { version: number; cipher: number } | null = null;
  private answer: FlightAnswer | null = null;

  constructor(
    /** The version the ClientHello offered (0x0303 for TLS 1.2). */
    private readonly offeredVersion: number,
    private readonly kex: FlightKex,
    private readonly maxBytes: number = MAX_FLIGHT_BYTES,
  ) {}

  get received(): number {
    return this.total;
  }

  push(chunk: Buffer): FlightAnswer | null {
    if (this.answer) return this.answer;
    this.total += chunk.length;
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    this.answer = this.drain();
    if (!this.answer && this.total >= this.maxBytes) {
      this.answer = { kind: 'malformed', detail: `no ServerKeyExchange or ServerHelloDone in the first ${this.maxBytes} bytes` };
    }
    return this.answer;
  }

  private drain(): FlightAnswer | null {
    for (;;) {
      const buf = this.buf;
      if (buf.length === 0) return null;
      const type = buf[0] as number;
      if (type < CONTENT_CCS || type > CONTENT_HEARTBEAT)
        return { kind: 'not-tls', detail: `bytes starting ${buf.subarray(0, 4).toString('hex')}` };
      if (buf.length < 2) return null;
      if (buf[1] !== 0x03) return { kind: 'not-tls', detail: `bytes starting ${buf.subarray(0, 4).toString('hex')}` };
      if (buf.length < 5) return null;
      const length = buf.readUInt16BE(3);
      if (length > MAX_RECORD) return { kind: 'not-tls', detail: `record length ${length} exceeds the TLS maximum` };
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

  private readMessages(): FlightAnswer | null {
    for (;;) {
      const hs = this.handshake;
      if (hs.length < 4) return null;
      const msgType = hs[0] as number;
      const msgLen = hs.readUIntBE(1, 3);
      if (msgLen > this.maxBytes) return { kind: 'malformed', detail: `handshake message of ${msgLen} bytes` };
      if (hs.length < 4 + msgLen) return null;
      const body = hs.subarray(4, 4 + msgLen);
      this.handshake = hs.subarray(4 + msgLen);
      if (msgType === HS_HELLO_REQUEST) continue;
      if (!this.hello) {
        if (msgType !== HS_SERVER_HELLO) return { kind: 'malformed', detail: `handshake message type ${msgType} before the ServerHello` };
        const hello = serverHelloVersionAndCipher(body);
        if ('detail' in hello) return { kind: 'malformed', detail: hello.detail };
        if (hello.version !== this.offeredVersion) return { kind: 'other-version', version: hello.version };
        this.hello = hello;
        continue;
      }
      if (msgType === HS_SERVER_KEY_EXCHANGE) {
        const keyExchange = this.kex === 'ecdhe' ? parseEcdheParams(body) : parseDheParams(body);
        if ('detail' in keyExchange) return { kind: 'malformed', detail: keyExchange.detail };
        return { kind: 'key-exchange', ...this.hello, keyExchange };
      }
      if (msgType === HS_SERVER_HELLO_DONE) return { kind: 'no-key-exchange', ...this.hello };
      // Certificate (11), CertificateStatus (22), CertificateRequest (13), session tickets: not needed.
    }
  }
}

type Malformed = { detail: string };

/** server_version and cipher_suite of a ServerHello body; supported_versions overrides the version. */
function serverHelloVersionAndCipher(body: Buffer): { version: number; cipher: number } | Malformed {
  const bad = (what: string): Malformed => ({ detail: `malformed ServerHello: ${what}` });
  if (body.length < 38) return bad('too short');
  const sidLen = body[34] as number;
  if (sidLen > 32) return bad('session id longer than 32 bytes');
  let off = 35 + sidLen;
  if (body.length < off + 3) return bad('truncated after the session id');
  const cipher = body.readUInt16BE(off);
  let version = body.readUInt16BE(0);
  off += 3;
  if (off + 2 <= body.length) {
    const end = off + 2 + body.readUInt16BE(off);
    if (end > body.length) return bad('extensions overrun the message');
    for (off += 2; off + 4 <= end; ) {
      const type = body.readUInt16BE(off);
      const len = body.readUInt16BE(off + 2);
      off += 4;
      if (off + len > end) return bad('extension overruns the extensions block');
      if (type === 0x002b && len === 2) version = body.readUInt16BE(off);
      off += len;
    }
  }
  return { version, cipher };
}

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
