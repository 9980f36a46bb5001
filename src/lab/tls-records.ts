// TLS bytes for the lab's scripted servers and the ClientHello tests: a strict ClientHello reader and
// a writer of ServerHellos and records. Written from RFC 5246 / RFC 8446 and independent of
// checks/tls, so tests of govscan's hello builder and parser do not check the code with itself.

export interface ParsedClientHello {
  recordVersion: number;
  legacyVersion: number;
  random: Buffer;
  sessionId: Buffer;
  suites: number[];
  compression: number[];
  extensions: Map<number, Buffer>;
  serverName: string | null;
}

/** Parses one ClientHello record strictly; throws on any length that does not add up. */
export function parseClientHello(bytes: Buffer): ParsedClientHello {
  const fail = (what: string): never => {
    throw new Error(`bad ClientHello: ${what}`);
  };
  if (bytes[0] !== 22) fail('not a handshake record');
  const recordVersion = bytes.readUInt16BE(1);
  if (bytes.readUInt16BE(3) !== bytes.length - 5) fail('record length');
  const hs = bytes.subarray(5);
  if (hs[0] !== 1) fail('not a ClientHello');
  if (hs.readUIntBE(1, 3) !== hs.length - 4) fail('handshake length');
  const body = hs.subarray(4);
  let off = 0;
  const legacyVersion = body.readUInt16BE(off);
  off += 2;
  const random = body.subarray(off, off + 32);
  off += 32;
  const sidLen = body[off++]!;
  const sessionId = body.subarray(off, off + sidLen);
  off += sidLen;
  const suitesLen = body.readUInt16BE(off);
  off += 2;
  const suites: number[] = [];
  for (let i = 0; i < suitesLen; i += 2) suites.push(body.readUInt16BE(off + i));
  off += suitesLen;
  const compLen = body[off++]!;
  const compression = [...body.subarray(off, off + compLen)];
  off += compLen;
  const extensions = new Map<number, Buffer>();
  // An SSL 3.0-style hello may end after the compression methods: no extensions at all.
  const extLen = off === body.length ? 0 : body.readUInt16BE(off);
  if (off < body.length) off += 2;
  if (off + extLen !== body.length) fail('extensions length');
  while (off < body.length) {
    const type = body.readUInt16BE(off);
    const len = body.readUInt16BE(off + 2);
    if (extensions.has(type)) fail(`duplicate extension ${type}`);
    extensions.set(type, body.subarray(off + 4, off + 4 + len));
    off += 4 + len;
  }
  if (off !== body.length) fail('extension overrun');
  let serverName: string | null = null;
  const sni = extensions.get(0);
  if (sni) {
    if (sni.readUInt16BE(0) !== sni.length - 2 || sni[2] !== 0) fail('server_name');
    serverName = sni.subarray(5, 5 + sni.readUInt16BE(3)).toString('ascii');
  }
  return { recordVersion, legacyVersion, random, sessionId, suites, compression, extensions, serverName };
}

const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

export interface ServerHelloOptions {
  version: number;
  cipher: number;
  supportedVersion?: number;
  helloRetry?: boolean;
  /** Compression method chosen: 0 null (default), 1 DEFLATE (what CRIME needs). */
  compression?: number;
  /** The empty renegotiation_info of RFC 5746 (default true); false is a server without secure renegotiation. */
  renegotiationInfo?: boolean;
  extendedMasterSecret?: boolean;
  /** key_share: the selected group alone in a HelloRetryRequest, a group with a 32-byte key otherwise. */
  keyShareGroup?: number;
  /** No extensions block at all, as SSL 3.0 and some TLS 1.0 servers send it. */
  noExtensions?: boolean;
}

/** A ServerHello handshake message (with its 4-byte header). */
export function serverHello(opts: ServerHelloOptions): Buffer {
  const exts: Buffer[] = [];
  if (opts.renegotiationInfo !== false) exts.push(Buffer.from([0xff, 0x01, 0x00, 0x01, 0x00]));
  if (opts.extendedMasterSecret) exts.push(Buffer.from([0x00, 0x17, 0x00, 0x00]));
  if (opts.supportedVersion !== undefined)
    exts.push(Buffer.from([0x00, 0x2b, 0x00, 0x02, opts.supportedVersion >> 8, opts.supportedVersion & 0xff]));
  if (opts.keyShareGroup !== undefined) {
    const data = opts.helloRetry ? u16(opts.keyShareGroup) : Buffer.concat([u16(opts.keyShareGroup), u16(32), Buffer.alloc(32, 5)]);
    exts.push(Buffer.concat([u16(0x0033), u16(data.length), data]));
  }
  const ext = Buffer.concat(exts);
  const body = Buffer.concat([
    u16(opts.version),
    opts.helloRetry ? HRR_RANDOM : Buffer.alloc(32, 7),
    Buffer.from([32]),
    Buffer.alloc(32, 9),
    u16(opts.cipher),
    Buffer.from([opts.compression ?? 0]),
    ...(opts.noExtensions ? [] : [u16(ext.length), ext]),
  ]);
  return handshake(2, body);
}

/** A handshake message: type, 24-bit length, body. */
export function handshake(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
}

/** A Certificate handshake message (RFC 5246 §7.4.2) carrying DER certificates, leaf first. */
export function certificateMessage(ders: Buffer[]): Buffer {
  const entries = Buffer.concat(ders.map((d) => Buffer.concat([u24(d.length), d])));
  return handshake(11, Buffer.concat([u24(entries.length), entries]));
}

/** A fatal alert record. */
export function alertRecord(description: number, version = 0x0303): Buffer {
  return record(21, Buffer.from([2, description]), version);
}

function u24(n: number): Buffer {
  return Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);
}

/** One TLS record of the given content type carrying `fragment`. */
export function record(type: number, fragment: Buffer, version = 0x0303): Buffer {
  return Buffer.concat([Buffer.from([type]), u16(version), u16(fragment.length), fragment]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
