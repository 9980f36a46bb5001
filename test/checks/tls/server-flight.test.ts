// The first-flight reader on recorded OpenSSL flights and on hand-made hostile ones.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bitLength } from '../../../checks/tls/dh-groups.js';
import { ServerFlightReader, type FlightAnswer } from '../../../checks/tls/server-flight.js';
import { record, serverHello } from './hello-bytes.js';

const TLS12 = 0x0303;

function recorded(name: string): Buffer {
  return Buffer.from(readFileSync(new URL(`../../fixtures/tls/${name}`, import.meta.url), 'utf8').replace(/\s/g, ''), 'hex');
}

/** The handshake messages of a recorded flight (each of OpenSSL's records holds whole messages). */
function messages(flight: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let off = 0; off < flight.length; off += 5 + flight.readUInt16BE(off + 3)) {
    const fragment = flight.subarray(off + 5, off + 5 + flight.readUInt16BE(off + 3));
    for (let m = 0; m < fragment.length; m += 4 + fragment.readUIntBE(m + 1, 3))
      out.push(fragment.subarray(m, m + 4 + fragment.readUIntBE(m + 1, 3)));
  }
  return out;
}

function readAll(reader: ServerFlightReader, bytes: Buffer, chunk = bytes.length): FlightAnswer | null {
  let answer: FlightAnswer | null = null;
  for (let off = 0; off < bytes.length && !answer; off += chunk) answer = reader.push(bytes.subarray(off, off + chunk));
  return answer;
}

function handshake(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
}

describe('ServerFlightReader on recorded OpenSSL flights', () => {
  it('reads the DH prime of a DHE ServerKeyExchange after the Certificate', () => {
    const answer = readAll(new ServerFlightReader(TLS12, 'dhe'), recorded('flight-dhe1024.hex'));
    expect(answer).toMatchObject({ kind: 'key-exchange', version: TLS12, cipher: 0x009e, keyExchange: { kind: 'dhe' } });
    if (answer?.kind !== 'key-exchange' || answer.keyExchange.kind !== 'dhe') throw new Error('no DHE key exchange');
    expect(bitLength(answer.keyExchange.p)).toBe(1024);
    expect(answer.keyExchange.g.toString('hex')).toBe('02');
  });

  it('reads the named curve of an ECDHE ServerKeyExchange', () => {
    expect(readAll(new ServerFlightReader(TLS12, 'ecdhe'), recorded('flight-ecdhe-x25519.hex'))).toEqual({
      kind: 'key-exchange',
      version: TLS12,
      cipher: 0xc02f,
      keyExchange: { kind: 'ecdhe', curveType: 3, group: 0x001d },
    });
  });

  it('gives the same answer when the flight arrives a byte at a time, or packed in one record', () => {
    const flight = recorded('flight-ecdhe-x25519.hex');
    const whole = readAll(new ServerFlightReader(TLS12, 'ecdhe'), flight);
    expect(readAll(new ServerFlightReader(TLS12, 'ecdhe'), flight, 1)).toEqual(whole);
    // Several messages in one record, and a message split across records, are both legal (RFC 5246 §6.2.1).
    const all = Buffer.concat(messages(flight));
    const packed = Buffer.concat([record(22, all.subarray(0, 1000)), record(22, all.subarray(1000))]);
    expect(readAll(new ServerFlightReader(TLS12, 'ecdhe'), packed, 7)).toEqual(whole);
  });

  it('stops at ServerHelloDone when there is no ServerKeyExchange', () => {
    const [hello, cert] = messages(recorded('flight-ecdhe-x25519.hex'));
    const flight = Buffer.concat([record(22, hello!), record(22, cert!), record(22, handshake(14, Buffer.alloc(0)))]);
    expect(readAll(new ServerFlightReader(TLS12, 'ecdhe'), flight)).toEqual({ kind: 'no-key-exchange', version: TLS12, cipher: 0xc02f });
  });
});

describe('ServerFlightReader on what a server should not send', () => {
  it('reports a refusal alert, and skips warnings', () => {
    const warning = record(21, Buffer.from([1, 112]));
    expect(readAll(new ServerFlightReader(TLS12, 'ecdhe'), Buffer.concat([warning, record(21, Buffer.from([2, 40]))]))).toEqual({
      kind: 'alert',
      level: 2,
      description: 40,
    });
  });

  it('stops at a ServerHello of another version', () => {
    const hello = record(22, serverHello({ version: 0x0301, cipher: 0xc013 }));
    expect(readAll(new ServerFlightReader(TLS12, 'ecdhe'), hello)).toEqual({ kind: 'other-version', version: 0x0301 });
  });

  it('reports explicit curve parameters without a group', () => {
    const flight = Buffer.concat([
      record(22, serverHello({ version: TLS12, cipher: 0xc02f })),
      record(22, handshake(12, Buffer.from([1, 0, 0]))),
    ]);
    expect(readAll(new ServerFlightReader(TLS12, 'ecdhe'), flight)).toMatchObject({
      keyExchange: { kind: 'ecdhe', curveType: 1, group: null },
    });
  });

  it('calls a truncated or overlong ServerKeyExchange malformed', () => {
    const hello = record(22, serverHello({ version: TLS12, cipher: 0x009e }));
    const shortP = handshake(12, Buffer.from([0x01, 0x00, 0xff]));
    expect(readAll(new ServerFlightReader(TLS12, 'dhe'), Buffer.concat([hello, record(22, shortP)]))).toEqual({
      kind: 'malformed',
      detail: 'ServerKeyExchange truncated in dh_p',
    });
    const noG = handshake(12, Buffer.from([0x00, 0x01, 0xff]));
    expect(readAll(new ServerFlightReader(TLS12, 'dhe'), Buffer.concat([hello, record(22, noG)]))).toMatchObject({ kind: 'malformed' });
  });

  it('gives up after its byte bound while a Certificate never ends', () => {
    const hello = record(22, serverHello({ version: TLS12, cipher: 0xc02f }));
    // A Certificate message claiming 16 MiB, sent in full-size records: the reader must not wait for it.
    const huge = handshake(11, Buffer.alloc(0)).fill(0xff, 1, 4);
    const reader = new ServerFlightReader(TLS12, 'ecdhe', 65_536);
    expect(reader.push(Buffer.concat([hello, record(22, huge)]))).toEqual({
      kind: 'malformed',
      detail: 'handshake message of 16777215 bytes',
    });
    const endless = new ServerFlightReader(TLS12, 'ecdhe', 65_536);
    endless.push(hello);
    const certHead = handshake(11, Buffer.alloc(0));
    certHead.writeUIntBE(60_000, 1, 3);
    let answer: FlightAnswer | null = endless.push(record(22, certHead));
    for (let i = 0; i < 10 && !answer; i++) answer = endless.push(record(22, Buffer.alloc(16_000)));
    expect(answer).toEqual({ kind: 'malformed', detail: 'no ServerKeyExchange or ServerHelloDone in the first 65536 bytes' });
  });

  it('calls an HTTP answer not TLS, and application data or garbage in the flight malformed', () => {
    expect(readAll(new ServerFlightReader(TLS12, 'dhe'), Buffer.from('HTTP/1.1 400 Bad Request\r\n'))).toMatchObject({ kind: 'not-tls' });
    const hello = record(22, serverHello({ version: TLS12, cipher: 0x009e }));
    expect(readAll(new ServerFlightReader(TLS12, 'dhe'), Buffer.concat([hello, record(23, Buffer.alloc(10))]))).toEqual({
      kind: 'malformed',
      detail: "content type 23 in the server's first flight",
    });
    expect(readAll(new ServerFlightReader(TLS12, 'dhe'), Buffer.concat([hello, Buffer.from('garbage!')]), 3)).toEqual({
      kind: 'malformed',
      detail: 'bytes starting 67617262 after the ServerHello',
    });
  });
});
