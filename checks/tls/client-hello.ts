// Hand-built ClientHello records; server-hello.ts reads the server's first answer. Whether a
// server accepts a protocol version is settled by its first handshake message (RFC 5246 §7.4.1.3,
// RFC 8446 §4.1.3), so the version probes send one ClientHello and stop at the ServerHello: no key
// exchange, no certificate parsing, no crypto on our side — what testssl.sh and sslyze's legacy
// probes do. Pure byte work; the socket side is in probe-hello.ts.

import { randomFillSync } from 'node:crypto';
import type { TlsVersion } from './facts.js';
import { EMPTY_RENEGOTIATION_INFO_SCSV, OFFERED } from './cipher-suites.js';
import { CONTENT_HANDSHAKE } from './server-hello.js';

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

const HS_CLIENT_HELLO = 1;

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

/** Extension types a hello carries. */
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
