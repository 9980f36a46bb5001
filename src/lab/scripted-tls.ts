// TLS servers written by hand, byte by byte, for what no TLS library on this machine will serve:
// - "legacy": answers ClientHellos like a very old server — SSL 3.0, RC4, DES, 3DES and export suites,
//   DEFLATE compression, no RFC 5746 renegotiation_info — with ServerHello, Certificate and
//   ServerHelloDone. Enough for a scanner that judges from the ServerHello (nmap ssl-enum-ciphers,
//   govscan's enumeration); no key exchange ever completes.
// - "legacy-front": a load balancer in front of an old stack, as real ones are deployed: hellos that
//   offer SSL 3.0 or DEFLATE are answered like "legacy", every other connection is piped to a real TLS
//   server, so a client that never offers them (node:tls) completes its handshakes behind it.
// - hostile peers for the enumeration: garbage after the ServerHello, an endless handshake message,
//   silence. (A server that resets after some connections is a real TLS server: see tls-hostile.ts.)
// Every connection is bounded: at most MAX_HELLO_BYTES read, at most MAX_ENDLESS_BYTES written, and an
// idle timer closes what the client leaves open.

import net from 'node:net';
import {
  alertRecord,
  certificateMessage,
  handshake,
  parseClientHello,
  record,
  serverHello,
  type ParsedClientHello,
} from './tls-records.js';
import { garbageBytes, listen, type SocketTracker } from './servers.js';

type LegacyBehaviour = Extract<ScriptedBehaviour, { kind: 'legacy' }>;

export type ScriptedBehaviour =
  | {
      kind: 'legacy';
      /** Record-layer versions the server accepts: 0x0300 SSL 3.0 … 0x0303 TLS 1.2. */
      versions: number[];
      /** Suites the server accepts, in its order of preference (it enforces that order). */
      suites: number[];
      /** Chooses DEFLATE when the client offers it. */
      compression: boolean;
      /** Sends the RFC 5746 renegotiation_info extension. */
      renegotiationInfo: boolean;
      /** Certificate chain, leaf first, DER. */
      certificates: Buffer[];
    }
  | {
      kind: 'legacy-front';
      legacy: Omit<LegacyBehaviour, 'kind'>;
      /** Loopback port of the real TLS server every other connection goes to. */
      backendPort: number;
    }
  | { kind: 'garbage-after-hello' }
  | { kind: 'endless-records' }
  | { kind: 'silent' };

const MAX_HELLO_BYTES = 65_536;
const MAX_ENDLESS_BYTES = 64 * 1024 * 1024;
const IDLE_MS = 15_000;

const ALERT_HANDSHAKE_FAILURE = 40;
const ALERT_PROTOCOL_VERSION = 70;
const EXT_SUPPORTED_VERSIONS = 0x002b;
const GREASE = (code: number): boolean => (code & 0x0f0f) === 0x0a0a;
const SCSVS = new Set([0x00ff, 0x5600]);

/** The client's highest version below TLS 1.3 (these servers speak nothing newer). */
function clientMaxVersion(hello: ParsedClientHello): number {
  const sv = hello.extensions.get(EXT_SUPPORTED_VERSIONS);
  if (!sv) return hello.legacyVersion;
  const listed: number[] = [];
  for (let i = 1; i + 1 < sv.length; i += 2) listed.push(sv.readUInt16BE(i));
  return Math.max(0, ...listed.filter((v) => v <= 0x0303));
}

/**
 * Collects the first handshake message (the ClientHello may span records) and hands it on as one
 * record, with every byte read so far; null when the peer sends something that is not a TLS
 * handshake (an SSLv2 hello, HTTP).
 */
function readClientHello(socket: net.Socket, onHello: (hello: ParsedClientHello | null, read: Buffer) => void): void {
  let buf = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    buf = Buffer.concat([buf, chunk]);
    const done = (hello: ParsedClientHello | null): void => {
      socket.off('data', onData);
      onHello(hello, buf);
    };
    if (buf[0] !== 22 || buf.length > MAX_HELLO_BYTES) {
      done(null);
      return;
    }
    const fragments: Buffer[] = [];
    let off = 0;
    while (off + 5 <= buf.length && buf[off] === 22) {
      const len = buf.readUInt16BE(off + 3);
      if (off + 5 + len > buf.length) break;
      fragments.push(buf.subarray(off + 5, off + 5 + len));
      off += 5 + len;
    }
    const hs = Buffer.concat(fragments);
    if (hs.length < 4 || hs.length < 4 + hs.readUIntBE(1, 3)) return;
    let hello: ParsedClientHello | null = null;
    try {
      hello = parseClientHello(record(22, hs.subarray(0, 4 + hs.readUIntBE(1, 3)), buf.readUInt16BE(1)));
    } catch {
      // Not a ClientHello this server can read: hello stays null and the connection is dropped.
    }
    done(hello);
  };
  socket.on('data', onData);
}

function answerLegacy(behaviour: Omit<LegacyBehaviour, 'kind'>, hello: ParsedClientHello, socket: net.Socket): void {
  const max = clientMaxVersion(hello);
  const version = Math.max(-1, ...behaviour.versions.filter((v) => v <= max));
  if (version < 0) return void socket.end(alertRecord(ALERT_PROTOCOL_VERSION, Math.min(max, 0x0303) || 0x0301));
  const suite = behaviour.suites.find((s) => hello.suites.includes(s));
  if (suite === undefined) return void socket.end(alertRecord(ALERT_HANDSHAKE_FAILURE, version));
  const flight = Buffer.concat([
    serverHello({
      version,
      cipher: suite,
      compression: behaviour.compression && hello.compression.includes(1) ? 1 : 0,
      renegotiationInfo: behaviour.renegotiationInfo,
      // An SSL 3.0 server of the time knew no extensions at all.
      noExtensions: version === 0x0300,
    }),
    certificateMessage(behaviour.certificates),
    handshake(14, Buffer.alloc(0)),
  ]);
  socket.write(record(22, flight, version));
  // The client cannot finish the key exchange with us; whatever it sends next ends the connection.
  socket.once('data', () => socket.destroy());
}

/** Answers hellos offering SSL 3.0 or DEFLATE like "legacy"; replays anything else to the backend and pipes both ways. */
function front(
  behaviour: Extract<ScriptedBehaviour, { kind: 'legacy-front' }>,
  hello: ParsedClientHello | null,
  read: Buffer,
  socket: net.Socket,
): void {
  if (hello && (clientMaxVersion(hello) === 0x0300 || hello.compression.includes(1)))
    return void answerLegacy(behaviour.legacy, hello, socket);
  const backend = net.connect({ host: socket.localAddress, port: behaviour.backendPort });
  backend.on('error', () => socket.destroy());
  socket.on('close', () => backend.destroy());
  backend.on('close', () => socket.destroy());
  backend.write(read);
  socket.pipe(backend);
  backend.pipe(socket);
}

/** The first offered suite that is a real one, so the ServerHello looks plausible. */
function firstRealSuite(hello: ParsedClientHello): number {
  return hello.suites.find((s) => !GREASE(s) && !SCSVS.has(s)) ?? 0x002f;
}

/** 16 KB handshake fragments of a ServerHello that claims 16 MB, written until the client leaves or the cap. */
function writeEndless(socket: net.Socket): void {
  const fragment = Buffer.alloc(16_384, 0x42);
  let written = 0;
  const pump = (): void => {
    while (!socket.destroyed && written < MAX_ENDLESS_BYTES) {
      written += fragment.length;
      if (!socket.write(record(22, fragment))) return void socket.once('drain', pump);
    }
    socket.destroy();
  };
  socket.write(record(22, Buffer.from([2, 0xff, 0xff, 0xff])));
  pump();
}

export async function startScriptedTls(
  behaviour: ScriptedBehaviour,
  address: string,
  tracker: SocketTracker,
): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer((socket) => {
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    if (behaviour.kind === 'silent') return;
    readClientHello(socket, (hello, read) => {
      if (behaviour.kind === 'legacy-front') return front(behaviour, hello, read, socket);
      if (!hello) return void socket.destroy();
      if (behaviour.kind === 'legacy') answerLegacy(behaviour, hello, socket);
      else if (behaviour.kind === 'endless-records') writeEndless(socket);
      else {
        const version = Math.min(Math.max(clientMaxVersion(hello), 0x0301), 0x0303);
        socket.write(Buffer.concat([record(22, serverHello({ version, cipher: firstRealSuite(hello) }), version), garbageBytes(4096)]));
      }
    });
  });
  tracker.track(server);
  return { server, port: await listen(server, address) };
}
