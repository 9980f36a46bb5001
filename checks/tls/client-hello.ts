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
  if (code === SSL3_CODE) return 'SSLv3';
  for (const [name, c] of Object.entries(VERSION_CODES)) if (c === code) return name;
  return `0x${code.toString(16).padStart(4, '0')}`;
}

// TLS record content types (RFC 8446 §5.1); the first-flight reader (server-flight.ts) reads them too.
export const CONTENT_CCS = 20;
export const CONTENT_ALERT = 21;
export const CONTENT_HANDSHAKE = 22;
const CONTENT_APPDATA = 23;
export const CONTENT_HEARTBEAT = 24;

const HS_HELLO_REQUEST = 0;
const HS_CLIENT_HELLO = 1;
const HS_SERVER_HELLO = 2;

/** A version a hand-built hello can offer: the TLS versions, and SSL 3.0 for detection. */
export type HelloVersion = TlsVersion | 'SSLv3';

/** legacy_version of an SSL 3.0 hello (RFC 6101 §5.6.1.2). */
const SSL3_CODE = 0x0300;

/** One key_share entry (RFC 8446 §4.2.8): a group and the client's public key for it. */
interface KeyShareEntry {
  group: number;
  key: Buffer;
}

/**
 * What a probe may change in the hello. Every field is optional; left out, the hello is the version
 * probe's (its default suites, groups and extensions). The enumeration offers chosen suites, the
 * group probes chosen groups, the compression probe [1, 0].
 */
export interface HelloOptions {
  /** Suite codes offered, in this order. The renegotiation SCSV is appended unless `scsv` is false. */
  suites?: readonly number[];
  /** Append TLS_EMPTY_RENEGOTIATION_INFO_SCSV (default true). */
  scsv?: boolean;
  /** supported_groups, in this order; an empty list leaves the extension out. */
  groups?: readonly number[];
  /** TLS 1.3 key_share entries; default none, so a 1.3 server answers with a HelloRetryRequest naming its group. */
  keyShares?: readonly KeyShareEntry[];
  /** Compression methods offered (default [0], null only). [1, 0] asks whether the server takes DEFLATE. */
  compression?: readonly number[];
  /** signature_algorithms for TLS 1.2 and 1.3 (default: the version probe's list). */
  signatureAlgorithms?: readonly number[];
}

/** Extension types the ServerHello parser reports and callers look for. */
const EXT = {
  serverName: 0x0000,
  supportedGroups: 0x000a,
  ecPointFormats: 0x000b,
  signatureAlgorithms: 0x000d,
  padding: 0x0015,
  extendedMasterSecret: 0x0017,
  sessionTicket: 0x0023,
  supportedVersions: 0x002b,
  pskKeyExchangeModes: 0x002d,
  keyShare: 0x0033,
  renegotiationInfo: 0xff01,
} as const;

const GROUP_X25519 = 0x001d;
/** x25519, secp256r1, secp384r1, secp521r1, ffdhe2048: the version probes' supported_groups. */
const DEFAULT_GROUPS: readonly number[] = [GROUP_X25519, 0x0017, 0x0018, 0x0019, 0x0100];

// ECDSA, EdDSA and RSA-PSS first, as current clients send them; the PKCS#1 and SHA-1 schemes keep old
// TLS 1.2 servers (SHA-1-only HSMs, old IIS) answering.
const SIGALGS_13 = [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401, 0x0501, 0x0601];
const SIGALGS_12 = [...SIGALGS_13, 0x0203, 0x0201];
/**
 * TLS 1.2 schemes for the enumeration: the above plus DSA (a DHE-DSS or DH-DSS server must be able to
 * sign its ServerKeyExchange for the hello, or it would refuse suites it does accept).
 */
export const SIGALGS_12_WIDE: readonly number[] = [...SIGALGS_12, 0x0402, 0x0502, 0x0602, 0x0202];

/** SHA-256("HelloRetryRequest"): the random that marks a ServerHello as a HelloRetryRequest (RFC 8446 §4.1.3). */
const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

/** The parts of a hello that do not change between probes; the default ones are built once per version. */
interface HelloTemplate {
  legacyVersion: number;
  recordVersion: number;
  suites: Buffer;
  compression: Buffer;
  /** Extensions between server_name and key_share, then after key_share. */
  before: Buffer;
  after: Buffer;
  /** SSL 3.0 has no extensions (RFC 6101): its hello ends after the compression methods. */
  extensions: boolean;
}

function template(version: HelloVersion, opts: HelloOptions): HelloTemplate {
  const tls13 = version === 'TLSv1.3';
  const ssl3 = version === 'SSLv3';
  const offered = opts.suites ?? OFFERED[ssl3 ? 'TLSv1' : version].map((s) => s.code);
  const suites = opts.scsv === false ? [...offered] : [...offered, EMPTY_RENEGOTIATION_INFO_SCSV];
  const groups = opts.groups ?? DEFAULT_GROUPS;
  const before: Buffer[] = [];
  if (groups.length > 0) before.push(ext(EXT.supportedGroups, vec16(u16s(groups))));
  before.push(ext(EXT.ecPointFormats, cat(u8(1), u8(0))));
  // RFC 5246 §7.4.1.4.1: the extension is TLS 1.2's; TLS 1.0/1.1 servers may choke on it.
  if (version === 'TLSv1.2') before.push(ext(EXT.signatureAlgorithms, vec16(u16s(opts.signatureAlgorithms ?? SIGALGS_12))));
  if (tls13) before.push(ext(EXT.signatureAlgorithms, vec16(u16s(opts.signatureAlgorithms ?? SIGALGS_13))));
  before.push(ext(EXT.extendedMasterSecret, Buffer.alloc(0)));
  // Not last-but-empty: WebSphere 7/8 refuse a hello whose last extension is empty (OpenSSL's note).
  before.push(ext(EXT.renegotiationInfo, u8(0)));
  if (tls13) before.push(ext(EXT.supportedVersions, cat(u8(2), u16(0x0304))));
  const after = tls13 ? [ext(EXT.pskKeyExchangeModes, cat(u8(1), u8(1)))] : [];
  const compression = opts.compression ?? [0];
  return {
    legacyVersion: ssl3 ? SSL3_CODE : tls13 ? 0x0303 : VERSION_CODES[version],
    // Record version 0x0301 for every TLS probe: some servers refuse a first record above TLS 1.0
    // (RFC 8446 §5.1). An SSL 3.0-only server may refuse one above its own version, so SSL 3.0 says 0x0300.
    recordVersion: ssl3 ? SSL3_CODE : 0x0301,
    suites: vec16(u16s(suites)),
    compression: cat(u8(compression.length), Buffer.from(compression)),
    before: cat(...before),
    after: cat(...after),
    extensions: !ssl3,
  };
}

const TEMPLATES = Object.fromEntries((Object.keys(VERSION_CODES) as TlsVersion[]).map((v) => [v, template(v, {})])) as Record<
  TlsVersion,
  HelloTemplate
>;

/**
 * One ClientHello record offering exactly `version`. `servername` null for IP literals (RFC 6066 §3).
 * Without `opts` it is the version probe's hello; `opts` changes suites, groups, key shares or compression.
 */
export function buildClientHello(version: HelloVersion, servername: string | null, opts?: HelloOptions): Buffer {
  const tls13 = version === 'TLSv1.3';
  const t = opts === undefined && version !== 'SSLv3' ? TEMPLATES[version] : template(version, opts ?? {});
  // legacy_session_id: TLS 1.3 clients send 32 bytes for middlebox compatibility (RFC 8446 §D.4).
  const sessionId = tls13 ? random(32) : Buffer.alloc(0);
  const head = cat(u16(t.legacyVersion), random(32), u8(sessionId.length), sessionId, t.suites, t.compression);
  if (!t.extensions) return wrap(t.recordVersion, head);

  const exts: Buffer[] = [];
  if (servername) {
    const name = Buffer.from(servername, 'ascii');
    exts.push(ext(EXT.serverName, cat(u16(name.length + 3), u8(0), u16(name.length), name)));
  }
  exts.push(t.before);
  // An empty key_share (allowed by RFC 8446 §4.2.8) makes a TLS 1.3 server answer with a
  // HelloRetryRequest naming its group: that settles the version without the server computing a key
  // exchange or signing anything, so the probe costs an agency's server almost nothing.
  if (tls13) {
    const shares = (opts?.keyShares ?? []).map((s) => cat(u16(s.group), vec16(s.key)));
    exts.push(ext(EXT.keyShare, vec16(cat(...shares))));
  }
  exts.push(t.after);

  let extBytes = cat(...exts);
  // F5 BIG-IP and others hang on hellos of 256–511 bytes; pad past that range as OpenSSL and browsers
  // do (RFC 7685). 4 bytes of handshake header, 2 of extensions length, 4 of padding extension header.
  const helloLen = 4 + head.length + 2 + extBytes.length;
  if (helloLen > 0xff && helloLen < 0x200) {
    const pad = Math.max(0x200 - helloLen - 4, 1);
    extBytes = cat(extBytes, ext(EXT.padding, Buffer.alloc(pad)));
  }
  return wrap(t.recordVersion, cat(head, vec16(extBytes)));
}

/** A ClientHello body in its handshake header and one record. */
function wrap(recordVersion: number, body: Buffer): Buffer {
  const handshake = cat(u8(HS_CLIENT_HELLO), u24(body.length), body);
  return cat(u8(CONTENT_HANDSHAKE), u16(recordVersion), u16(handshake.length), handshake);
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
      if (type === EXT.supportedVersions) {
        if (len !== 2) return malformed('supported_versions is not one version');
        version = body.readUInt16BE(off);
      }
      if (type === EXT.keyShare) {
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
