// Deterministic mutations of signatures for the fuzz tests (issue 10): a seeded PRNG, byte edits,
// truncations and length-field edits located with the DER reader, and the one kind of change to a
// CMS SignedData that is provably harmless.

import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { children, readTlv, type Tlv } from '../../src/pki/der.js';
import type { AnchorSet } from '../../src/core/types.js';
import type { CmsSignatureFacts } from '../../src/pki/cms.js';
import { mulberry32 } from '../helpers/prng.js';

/** A seeded generator with the two draws the mutations use. */
export function prng(seed: number): { int(n: number): number; pick<T>(list: readonly T[]): T } {
  const next = mulberry32(seed);
  const int = (n: number): number => Math.floor(next() * n);
  return { int, pick: (list) => list[int(list.length)] as (typeof list)[number] };
}

export type Rng = ReturnType<typeof prng>;

/** The example agency's signed documents: fixed bytes, so a seed always gives the same mutations. */
export const EXAMPLE = {
  dir: fileURLToPath(new URL('../../examples/agency/evidence/cong-dvc/docs/', import.meta.url)),
  anchors(): AnchorSet {
    const pem = readFileSync(fileURLToPath(new URL('../../examples/agency/ca/example-root.pem', import.meta.url)));
    return { name: 'example', certificates: [new X509Certificate(pem)] };
  },
  /** After every signing time, before every expiry. */
  now: new Date('2026-11-20T00:00:00Z'),
};

export function read(file: string): Buffer {
  return readFileSync(`${EXAMPLE.dir}${file}`);
}

/** Every TLV of a DER value, depth first; elements that do not parse as constructed are leaves. */
export function allTlvs(der: Buffer): Tlv[] {
  const out: Tlv[] = [];
  const walk = (t: Tlv): void => {
    out.push(t);
    if (!t.constructed) return;
    for (const c of children(der, t)) walk(c);
  };
  walk(readTlv(der, 0));
  return out;
}

/**
 * Offsets of a SignedData that no signature covers and verification does not use: the contents of
 * the SignedData and SignerInfo version INTEGERs and of the digestAlgorithms SET (RFC 5652 §5.1 lets
 * it hold any list). A change there that still parses is harmless by definition; anywhere else it
 * must never leave a signature valid.
 */
export function harmlessOffsets(der: Buffer): Set<number> {
  const at = (parent: Tlv, i: number): Tlv => {
    const c = children(der, parent)[i];
    if (!c) throw new Error('unexpected SignedData shape');
    return c;
  };
  const signedData = at(at(readTlv(der, 0), 1), 0);
  const fields = children(der, signedData);
  const ranges: [number, number][] = [];
  const version = fields[0] as Tlv;
  const digestAlgorithms = fields[1] as Tlv;
  ranges.push([version.body, version.end], [digestAlgorithms.body, digestAlgorithms.end]);
  for (const signer of children(der, fields.at(-1) as Tlv)) {
    const v = at(signer, 0);
    ranges.push([v.body, v.end]);
  }
  const out = new Set<number>();
  for (const [from, to] of ranges) for (let i = from; i < to; i++) out.add(i);
  return out;
}

/** The first certificate a SignedData carries (the example's only one: its signer's). */
export function signerCertificate(der: Buffer): Tlv {
  const signedData = children(der, children(der, readTlv(der, 0))[1] as Tlv)[0] as Tlv;
  const certificates = children(der, signedData).find((t) => t.cls === 2 && t.tag === 0);
  const first = certificates && children(der, certificates)[0];
  if (!first) throw new Error('no certificate in the signature');
  return first;
}

/** 1–3 bytes at offsets `pick` chooses, each set to a different value. Returns the offsets. */
export function editBytes(buf: Buffer, rng: Rng, pick: () => number): number[] {
  const n = 1 + rng.int(3);
  const offsets: number[] = [];
  for (let i = 0; i < n; i++) {
    const at = pick();
    buf[at] = ((buf[at] as number) + 1 + rng.int(255)) & 0xff;
    offsets.push(at);
  }
  return offsets;
}

/**
 * Change one length field of `tlvs` (in place, same number of length octets): by ±1, by a random
 * amount, or to a random value. Returns the offsets changed.
 */
export function editLength(buf: Buffer, rng: Rng, tlvs: readonly Tlv[]): number[] {
  for (;;) {
    const t = rng.pick(tlvs);
    const lengthAt = t.start + 1; // every tag in CMS and X.509 fits the identifier octet
    const first = buf[lengthAt] as number;
    // Short form: the octet itself; long form: one of the octets that follow 0x8n.
    const octets = first & 0x80 ? Array.from({ length: first & 0x7f }, (_, i) => lengthAt + 1 + i) : [lengthAt];
    const target = rng.pick(octets);
    const old = buf[target] as number;
    const choice = rng.int(3);
    const delta = choice === 0 ? (rng.int(2) ? 1 : -1) : choice === 1 ? 2 + rng.int(16) : 0;
    const value = choice === 2 ? rng.int(256) : (old + (rng.int(2) ? delta : -delta)) & 0xff;
    if (value === old) continue;
    buf[target] = value;
    return [target];
  }
}

export type Outcome = 'valid' | 'untrusted' | 'broken' | 'unchecked' | 'unsigned';

/** Which of the known outcomes `f` is; null when its fields contradict each other. */
export function outcomeOf(f: CmsSignatureFacts): Outcome | null {
  if (typeof f.signed !== 'boolean' || typeof f.intact !== 'boolean') return null;
  if (f.intact) {
    if (!f.signed || f.error !== null || f.reason !== null) return null;
    return f.chain?.trusted === true ? 'valid' : 'untrusted';
  }
  if (typeof f.reason !== 'string' || !f.reason) return null;
  if (!f.signed) return f.error === null ? 'unsigned' : null;
  return f.error === null ? 'broken' : 'unchecked';
}
