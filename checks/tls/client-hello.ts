// Hand-built ClientHello records and an incremental reader of the server's first answer. Whether a
// server accepts a protocol version is settled by its first handshake message (RFC 5246 §7.4.1.3,
// RFC 8446 §4.1.3), so the version probes send one ClientHello and stop at the ServerHello: no key
// exchange, no certificate parsing, no crypto on our side — what testssl.sh and sslyze's legacy
// probes do. Pure byte work; the socket side is in probe-hello.ts.

import { randomFillSync } from 'node:crypto';
import type { TlsVersion } from './facts.js';
import { EMPTY_RENEGOTIATION_INFO_SCSV, OFFERED } from './cipher-suites.js';

export const VERSION_CODES: Readonly<Record<TlsVersion, number>> = {
  TLSv1: 0x0301,
  'TLSv1.1': 0x0302,
  'TLSv1.2': 0x0303,
  'TLSv1.3': 0x0304,
};

/** "TLSv1.2" for 0x0303; SSL 3.0 and unknown codes by their own names. */
export function versionName(code: number): string {
  if (code === 0x0300) return 'SSLv3';
  for (const [name, c] of Object.entries(VERSION_CODES)) if (c === code) return name;
  return `0x${code.toString(16).padStart(4, '0')}`;
}

const CONTENT_CCS = 20;
const CONTENT_ALERT = 21;
const CONTENT_HANDSHAKE = 22;
const CONTENT_APPDATA = 23;
const CONTENT_HEARTBEAT = 24;

const HS_HELLO_REQUEST = 0;
const HS_CLIENT_HELLO = 1;
const HS_SERVER_HELLO = 2;

const EXT_SERVER_NAME = 0x0000;
const EXT_SUPPORTED_GROUPS = 0x000a;
const EXT_EC_POINT_FORMATS = 0x000b;
const EXT_SIGNATURE_ALGORITHMS = 0x000d;
const EXT_PADDING = 0x0015;
const EXT_EXTENDED_MASTER_SECRET = 0x0017;
const EXT_SUPPORTED_VERSIONS = 0x002b;
const EXT_PSK_KEY_EXCHANGE_MODES = 0x002d;
const EXT_KEY_SHARE = 0x0033;
const EXT_RENEGOTIATION_INFO = 0xff01;

const GROUP_X25519 = 0x001d;
// x25519, secp256r1, secp384r1, secp521r1, ffdhe2048.
const GROUPS = [GROUP_X25519, 0x0017, 0x0018, 0x0019, 0x0100];

// ECDSA, EdDSA and RSA-PSS first, as current clients send them; the PKCS#1 and SHA-1 schemes keep old
// TLS 1.2 servers (SHA-1-only HSMs, old IIS) answering.
const SIGALGS_13 = [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401, 0x0501, 0x0601];
const SIGALGS_12 = [...SIGALGS_13, 0x0203, 0x0201];

/** SHA-256("HelloRetryRequest"): the random that marks a ServerHello as a HelloRetryRequest (RFC 8446 §4.1.3). */
const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

/** The parts of each version's hello that do not change between probes, built once. */
interface HelloTemplate {
  legacyVersion: number;
  suites: Buffer;
  /** Extensions between server_name and key_share, then after key_share. */
  before: Buffer;
  after: Buffer;
}

function template(version: TlsVersion): HelloTemplate {
  const tls13 = version === 'TLSv1.3';
  const suites = [...OFFERED[version].map((s) => s.code), EMPTY_RENEGOTIATION_INFO_SCSV];
  const before = [ext(EXT_SUPPORTED_GROUPS, vec16(u16s(GROUPS))), ext(EXT_EC_POINT_FORMATS, cat(u8(1), u8(0)))];
  // RFC 5246 §7.4.1.4.1: the extension is TLS 1.2's; TLS 1.0/1.1 servers may choke on it.
  if (version === 'TLSv1.2') before.push(ext(EXT_SIGNATURE_ALGORITHMS, vec16(u16s(SIGALGS_12))));
  if (tls13) before.push(ext(EXT_SIGNATURE_ALGORITHMS, vec16(u16s(SIGALGS_13))));
  before.push(ext(EXT_EXTENDED_MASTER_SECRET, Buffer.alloc(0)));
  // Not last-but-empty: WebSphere 7/8 refuse a hello whose last extension is empty (OpenSSL's note).
  before.push(ext(EXT_RENEGOTIATION_INFO, u8(0)));
  if (tls13) before.push(ext(EXT_SUPPORTED_VERSIONS, cat(u8(2), u16(0x0304))));
  const after = tls13 ? [ext(EXT_PSK_KEY_EXCHANGE_MODES, cat(u8(1), u8(1)))] : [];
  return {
    legacyVersion: tls13 ? 0x0303 : VERSION_CODES[version],
    suites: vec16(u16s(suites)),
    before: cat(...before),
    after: cat(...after),
  };
}

const TEMPLATES = Object.fromEntries((Object.keys(VERSION_CODES) as TlsVersion[]).map((v) => [v, template(v)])) as Record<
  TlsVersion,
  HelloTemplate
>;

/** One ClientHello record offering exactly `version`. `servername` null for IP literals (RFC 6066 §3). */
export function buildClientHello(version: TlsVersion, servername: string | null): Buffer {
  const tls13 = version === 'TLSv1.3';
  const t = TEMPLATES[version];
  const exts: Buffer[] = [];
  if (servername) {
    const name = Buffer.from(servername, 'ascii');
    exts.push(ext(EXT_SERVER_NAME, cat(u16(name.length + 3), u8(0), u16(name.length), name)));
  }
  exts.push(t.before);
  // An empty key_share (allowed by RFC 8446 §4.2.8) makes a TLS 1.3 server answer with a
  // HelloRetryRequest naming its group: that settles the version without the server computing a key
  // exchange or signing anything, so the probe costs an agency's server almost nothing.
  if (tls13) exts.push(ext(EXT_KEY_SHARE, vec16(Buffer.alloc(0))));
  exts.push(t.after);

  // legacy_session_id: TLS 1.3 clients send 32 bytes for middlebox compatibility (RFC 8446 §D.4).
  const sessionId = tls13 ? random(32) : Buffer.alloc(0);
  const head = cat(u16(t.legacyVersion), random(32), u8(sessionId.length), sessionId, t.suites, u8(1), u8(0));
  let extBytes = cat(...exts);
  // F5 BIG-IP and others hang on hellos of 256–511 bytes; pad past that range as OpenSSL and browsers
  // do (RFC 7685). 4 bytes of handshake header, 2 of extensions length, 4 of padding extension header.
  const helloLen = 4 + head.length + 2 + extBytes.length;
  if (helloLen > 0xff && helloLen < 0x200) {
    const pad = Math.max(0x200 - helloLen - 4, 1);
    extBytes = cat(extBytes, ext(EXT_PADDING, Buffer.alloc(pad)));
  }
  const body = cat(head, vec16(extBytes));
  const handshake = cat(u8(HS_CLIENT_HELLO), u24(body.length), body);
  // Record version 0x0301 for every probe: some servers refuse a first record above TLS 1.0 (RFC 8446 §5.1).
  return cat(u8(CONTENT_HANDSHAKE), u16(0x0301), u16(handshake.length), handshake);
}

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
    }
  | { kind: 'alert'; level: number; description: number }
  | { kind: 'not-tls'; detail: string }
  | { kind: 'malformed'; detail: string };

/** Largest TLSCiphertext fragment (RFC 8446 §5.2); anything longer is not a TLS record. */
const MAX_RECORD = 16_384 + 2_048;

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
  off += 3; // cipher suite, compression method
  let version = legacyVersion;
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
      if (type === EXT_SUPPORTED_VERSIONS) {
        if (len !== 2) return malformed('supported_versions is not one version');
        version = body.readUInt16BE(off);
      }
      off += len;
    }
  }
  return { kind: 'server-hello', version, legacyVersion, cipher, helloRetry };
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

function u8(n: number): Buffer {
  return Buffer.from([n & 0xff]);
}

function u16(n: number): Buffer {
  const b = Buffer.allocUnsafe(2);
  b.writeUInt16BE(n);
  return b;
}

function u24(n: number): Buffer {
  const b = Buffer.allocUnsafe(3);
  b.writeUIntBE(n, 0, 3);
  return b;
}

function u16s(list: readonly number[]): Buffer {
  const b = Buffer.allocUnsafe(list.length * 2);
  for (const [i, n] of list.entries()) b.writeUInt16BE(n, i * 2);
  return b;
}

function vec16(data: Buffer): Buffer {
  return cat(u16(data.length), data);
}

function ext(type: number, data: Buffer): Buffer {
  return cat(u16(type), u16(data.length), data);
}

function cat(...parts: Buffer[]): Buffer {
  return Buffer.concat(parts);
}

function random(n: number): Buffer {
  return randomFillSync(Buffer.allocUnsafe(n));
}
