// An incremental reader of the server's first answer to a hand-built ClientHello (client-hello.ts):
// records may split a ServerHello or hold several handshake messages; the answer — a ServerHello
// (or HelloRetryRequest), an alert, something that is not TLS — is known as soon as its bytes are in.
// Pure byte work.

// TLS record content types (RFC 8446 §5.1); the first-flight reader (server-flight.ts) reads them too.
export const CONTENT_CCS = 20;
export const CONTENT_ALERT = 21;
export const CONTENT_HANDSHAKE = 22;
const CONTENT_APPDATA = 23;
export const CONTENT_HEARTBEAT = 24;

const HS_HELLO_REQUEST = 0;
const HS_SERVER_HELLO = 2;

const EXT_SUPPORTED_VERSIONS = 0x002b;
const EXT_KEY_SHARE = 0x0033;

/** SHA-256("HelloRetryRequest"): the random that marks a ServerHello as a HelloRetryRequest (RFC 8446 §4.1.3). */
const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

/** What the server's first records said, as far as the version question goes. */
export type ServerAnswer =
  | {
      kind: 'server-hello';
      /** The version the server selected: supported_versions when present, else server_version. */
      version: number;
      /** server_version as sent (0x0303 in every TLS 1.3 ServerHello). */
      legacyVersion: number;
      cipher: number;
      helloRetry: boolean;
      /** The compression method the server chose (0 null, 1 DEFLATE). */
      compression: number;
      /** Extension types present, in the server's order (renegotiation_info, extended_master_secret…). */
      extensions: number[];
      /**
       * key_share's group: the selected_group of a HelloRetryRequest (the group the server wants), or the
       * group of the server's share in a real TLS 1.3 ServerHello; null when there is no key_share.
       */
      keyShareGroup: number | null;
    }
  | { kind: 'alert'; level: number; description: number }
  | { kind: 'not-tls'; detail: string }
  | { kind: 'malformed'; detail: string };

/** Largest TLSCiphertext fragment (RFC 8446 §5.2); anything longer is not a TLS record. */
export const MAX_RECORD = 16_384 + 2_048;

/**
 * Reads the server's bytes until its answer is known. push() returns the answer once it is, and null
 * while more bytes are needed. Records may split a ServerHello or hold several handshake messages;
 * warning alerts before the ServerHello (an unrecognized_name warning, say) are skipped.
 */
export class ServerHelloReader {
  private buf: Buffer = Buffer.alloc(0);
  private handshake: Buffer = Buffer.alloc(0);
  private total = 0;
  private answer: ServerAnswer | null = null;

  constructor(private readonly maxBytes: number = 65_536) {}

  /** Bytes received so far. */
  get received(): number {
    return this.total;
  }

  /**
   * What arrived after the ServerHello, unread: the handshake bytes that followed it in its records
   * (Certificate, ServerKeyExchange…, the last maybe partial) and the record bytes not yet opened. A
   * reader of those later messages continues from here rather than re-reading the socket.
   */
  remainder(): { handshake: Buffer; records: Buffer } {
    return { handshake: this.handshake, records: this.buf };
  }

  push(chunk: Buffer): ServerAnswer | null {
    if (this.answer) return this.answer;
    this.total += chunk.length;
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    this.answer = this.drain();
    if (!this.answer && this.total >= this.maxBytes) {
      this.answer = { kind: 'malformed', detail: `no ServerHello in the first ${this.maxBytes} bytes` };
    }
    return this.answer;
  }

  private drain(): ServerAnswer | null {
    for (;;) {
      const buf = this.buf;
      if (buf.length === 0) return null;
      // Judge the header byte by byte, so an HTTP or SSLv2 reply is recognised even when it is short.
      const type = buf[0] as number;
      if (type < CONTENT_CCS || type > CONTENT_HEARTBEAT) return { kind: 'not-tls', detail: notTlsDetail(buf) };
      if (buf.length < 2) return null;
      if (buf[1] !== 0x03) return { kind: 'not-tls', detail: notTlsDetail(buf) };
      if (buf.length < 5) return null;
      const length = buf.readUInt16BE(3);
      if (length > MAX_RECORD) return { kind: 'not-tls', detail: `record length ${length} exceeds the TLS maximum` };
      if (buf.length < 5 + length) return null;
      const fragment = buf.subarray(5, 5 + length);
      this.buf = buf.subarray(5 + length);

      if (type === CONTENT_ALERT) {
        if (length < 2) return { kind: 'malformed', detail: 'truncated alert' };
        const level = fragment[0] as number;
        const description = fragment[1] as number;
        // A warning (other than close_notify) does not end the handshake; the ServerHello may follow.
        if (level === 1 && description !== 0) continue;
        return { kind: 'alert', level, description };
      }
      if (type !== CONTENT_HANDSHAKE) {
        return { kind: 'malformed', detail: `${contentName(type)} record before the ServerHello` };
      }
      if (length === 0) return { kind: 'malformed', detail: 'empty handshake record' };
      this.handshake = this.handshake.length ? Buffer.concat([this.handshake, fragment]) : fragment;
      const answer = this.readHandshake();
      if (answer) return answer;
    }
  }

  private readHandshake(): ServerAnswer | null {
    for (;;) {
      const hs = this.handshake;
      if (hs.length < 4) return null;
      const msgType = hs[0] as number;
      const msgLen = hs.readUIntBE(1, 3);
      if (msgType !== HS_SERVER_HELLO && msgType !== HS_HELLO_REQUEST) {
        return { kind: 'malformed', detail: `handshake message type ${msgType} before the ServerHello` };
      }
      if (msgLen > this.maxBytes) return { kind: 'malformed', detail: `handshake message of ${msgLen} bytes` };
      if (hs.length < 4 + msgLen) return null;
      const body = hs.subarray(4, 4 + msgLen);
      this.handshake = hs.subarray(4 + msgLen);
      // A HelloRequest is empty and may precede anything (RFC 5246 §7.4.1.1); it asks for nothing here.
      if (msgType === HS_HELLO_REQUEST) continue;
      return parseServerHello(body);
    }
  }
}

/** Parses a ServerHello body (after the 4-byte handshake header). */
function parseServerHello(body: Buffer): ServerAnswer {
  const malformed = (what: string): ServerAnswer => ({ kind: 'malformed', detail: `malformed ServerHello: ${what}` });
  if (body.length < 38) return malformed('too short');
  const legacyVersion = body.readUInt16BE(0);
  const helloRetry = body.subarray(2, 34).equals(HRR_RANDOM);
  const sidLen = body[34] as number;
  if (sidLen > 32) return malformed('session id longer than 32 bytes');
  let off = 35 + sidLen;
  if (body.length < off + 3) return malformed('truncated after the session id');
  const cipher = body.readUInt16BE(off);
  const compression = body[off + 2] as number;
  off += 3;
  let version = legacyVersion;
  const extensions: number[] = [];
  let keyShareGroup: number | null = null;
  if (off < body.length) {
    if (body.length < off + 2) return malformed('truncated extensions length');
    const extEnd = off + 2 + body.readUInt16BE(off);
    if (extEnd > body.length) return malformed('extensions overrun the message');
    off += 2;
    while (off < extEnd) {
      if (off + 4 > extEnd) return malformed('truncated extension header');
      const type = body.readUInt16BE(off);
      const len = body.readUInt16BE(off + 2);
      off += 4;
      if (off + len > extEnd) return malformed('extension overruns the extensions block');
      extensions.push(type);
      if (type === EXT_SUPPORTED_VERSIONS) {
        if (len !== 2) return malformed('supported_versions is not one version');
        version = body.readUInt16BE(off);
      }
      if (type === EXT_KEY_SHARE) {
        // HelloRetryRequest: selected_group alone; ServerHello: a KeyShareEntry (group, key) (RFC 8446 §4.2.8).
        if (len < 2 || (helloRetry && len !== 2)) return malformed('key_share of the wrong length');
        keyShareGroup = body.readUInt16BE(off);
      }
      off += len;
    }
  }
  return { kind: 'server-hello', version, legacyVersion, cipher, helloRetry, compression, extensions, keyShareGroup };
}

const ALERTS: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  22: 'record_overflow',
  40: 'handshake_failure',
  42: 'bad_certificate',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  50: 'decode_error',
  51: 'decrypt_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  109: 'missing_extension',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  120: 'no_application_protocol',
};

export function alertName(description: number): string {
  return ALERTS[description] ?? `alert ${description}`;
}

function contentName(type: number): string {
  return (
    (
      { [CONTENT_CCS]: 'ChangeCipherSpec', [CONTENT_APPDATA]: 'application data', [CONTENT_HEARTBEAT]: 'heartbeat' } as Record<
        number,
        string
      >
    )[type] ?? `type ${type}`
  );
}

function notTlsDetail(buf: Buffer): string {
  const head = buf.subarray(0, 8).toString('latin1');
  if (head.startsWith('HTTP/')) return 'an HTTP reply';
  // SSLv2 record: 2-byte header with the top bit set, then message type 4 (SERVER-HELLO).
  if (buf.length >= 3 && ((buf[0] as number) & 0x80) !== 0 && buf[2] === 4) return 'an SSLv2 reply';
  if (/^[\x20-\x7e]{4}/.test(head)) return `text starting ${JSON.stringify(head.replace(/[^\x20-\x7e].*$/s, ''))}`;
  return `bytes starting ${buf.subarray(0, 4).toString('hex')}`;
}
