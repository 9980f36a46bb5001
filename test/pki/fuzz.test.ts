// The certificate reader and validator never throw past their callers: 100,000+ mutated DER
// certificates and chains, from a fixed seed, through the DER reader, certificate facts and
// verifyCertificate. The reader may only refuse input with DerError; verifyCertificate may not throw
// at all. Seeds are real chains of the x509-limbo fixture (fixed bytes, unlike lab certificates).

import { beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { loadLimbo } from '../../bench/pki/limbo.js';
import { certificateFacts } from '../../src/pki/certificate.js';
import { DerError } from '../../src/pki/der.js';
import { parseCertificateFields } from '../../src/pki/fields.js';
import { verifyCertificateSync } from '../../src/pki/verify.js';
import { mulberry32 } from '../helpers/prng.js';

const SEED = 0x9e3779b9;
const ITERATIONS = 100_000;

interface SeedChain {
  id: string;
  leaf: Buffer;
  intermediates: Buffer[];
  anchors: Buffer[];
  name: string | null;
  at: Date;
}

const der = (pem: string): Buffer => new X509Certificate(pem).raw;

// Chains of every shape the suite has: name constraints (DNS, IP, DN), path length, EKU, policy,
// long and looping chains, real web PKI chains, and odd encodings.
const SEED_IDS = [
  'bettertls::nameconstraints::tc0',
  'bettertls::nameconstraints::tc1500',
  'bettertls::nameconstraints::tc4000',
  'bettertls::pathbuilding::tc10',
  'rfc5280::nc::excluded-dn-match',
  'rfc5280::nc::permitted-ipv6-match',
  'rfc5280::nc::nc-permits-email-literal-mid-asterisk',
  'rfc5280::nc::nc-forbids-othername',
  'pathlen::self-issued-certs-pathlen',
  'pathological::intermediate-cycle-distinct-cas',
  'rfc5280::pc::ica-noncritical-pc',
  'webpki::san::leftmost-wildcard-san',
  'online::google.com',
  'online::microsoft.com',
  'rfc5280::serial::too-long',
  'webpki::forbidden-rsa-not-divisible-by-8-in-root',
];

let seeds: SeedChain[];
beforeAll(() => {
  const cases = new Map(loadLimbo().map((c) => [c.id, c]));
  seeds = SEED_IDS.map((id) => {
    const c = cases.get(id);
    if (!c) throw new Error(`fuzz seed ${id} is not in the suite`);
    return {
      id,
      leaf: der(c.peer_certificate),
      intermediates: c.untrusted_intermediates.map(der),
      anchors: c.trusted_certs.map(der),
      name: c.expected_peer_name?.value ?? null,
      at: c.validation_time ? new Date(c.validation_time) : new Date('2024-06-01T00:00:00Z'),
    };
  });
}, 120_000);

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xff, 0x30, 0x31, 0x04, 0x05, 0x06, 0xa0, 0xa3];

/** One to four mutations of `input`: bit flips, interesting bytes, length-octet damage, cuts, splices. */
function mutate(input: Buffer, rnd: () => number, donor: Buffer): Buffer {
  let b = Buffer.from(input);
  const rounds = 1 + Math.floor(rnd() * 4);
  for (let r = 0; r < rounds && b.length > 0; r++) {
    const at = Math.floor(rnd() * b.length);
    switch (Math.floor(rnd() * 8)) {
      case 0:
        b[at] = (b[at] as number) ^ (1 << Math.floor(rnd() * 8));
        break;
      case 1:
        b[at] = INTERESTING[Math.floor(rnd() * INTERESTING.length)] as number;
        break;
      case 2: {
        // A DER length octet right after a tag: make it long-form, huge, or off by a little.
        const choices = [0x80, 0x84, 0xff, ((b[at] as number) + 1) & 0xff, ((b[at] as number) - 1) & 0xff];
        b[at] = choices[Math.floor(rnd() * choices.length)] as number;
        break;
      }
      case 3:
        b = b.subarray(0, at);
        break;
      case 4: {
        const len = 1 + Math.floor(rnd() * 16);
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + len))]);
        break;
      }
      case 5: {
        const len = 1 + Math.floor(rnd() * 32);
        const from = Math.floor(rnd() * Math.max(1, b.length - len));
        b = Buffer.concat([b.subarray(0, at), b.subarray(from, from + len), b.subarray(at)]);
        break;
      }
      case 6: {
        // Splice a piece of another certificate in: well-formed TLVs in the wrong place.
        const len = 1 + Math.floor(rnd() * 64);
        const from = Math.floor(rnd() * Math.max(1, donor.length - len));
        b = Buffer.concat([b.subarray(0, at), donor.subarray(from, from + len), b.subarray(at + Math.floor(rnd() * len))]);
        break;
      }
      default:
        b[at] = Math.floor(rnd() * 256);
    }
  }
  return b;
}

describe('fuzzing the certificate reader and validator', () => {
  it(`survives ${ITERATIONS.toLocaleString('en')} mutated certificates and chains without an uncaught error`, () => {
    const rnd = mulberry32(SEED);
    const unexpected: string[] = [];
    const tally = { parsed: 0, refused: 0, valid: 0 };
    for (let i = 0; i < ITERATIONS; i++) {
      const seed = seeds[Math.floor(rnd() * seeds.length)] as SeedChain;
      const donor = (seeds[Math.floor(rnd() * seeds.length)] as SeedChain).leaf;
      const which = rnd();
      let leaf = seed.leaf;
      let intermediates = seed.intermediates;
      let anchors = seed.anchors;
      let mutated: Buffer;
      if (which < 0.6 || (!intermediates.length && which < 0.85)) {
        mutated = leaf = mutate(seed.leaf, rnd, donor);
      } else if (which < 0.85) {
        const k = Math.floor(rnd() * intermediates.length);
        mutated = mutate(intermediates[k] as Buffer, rnd, donor);
        intermediates = intermediates.map((c, j) => (j === k ? mutated : c));
      } else {
        const k = Math.floor(rnd() * anchors.length);
        mutated = mutate(anchors[k] as Buffer, rnd, donor);
        anchors = anchors.map((c, j) => (j === k ? mutated : c));
      }
      // Chains are also sent out of order, with repeats and with certificates missing.
      if (rnd() < 0.2)
        intermediates = [...intermediates, ...intermediates]
          .sort(() => rnd() - 0.5)
          .slice(0, Math.floor(rnd() * (intermediates.length * 2 + 1)));

      try {
        parseCertificateFields(mutated);
        certificateFacts(mutated, seed.at);
        tally.parsed++;
      } catch (err) {
        if (!(err instanceof DerError)) unexpected.push(`#${i} ${seed.id} reader: ${String(err)}`);
        else tally.refused++;
      }
      try {
        const r = verifyCertificateSync({ chain: [leaf, ...intermediates], anchors, name: seed.name, at: seed.at });
        if (r.valid) tally.valid++;
      } catch (err) {
        unexpected.push(`#${i} ${seed.id} verifyCertificate: ${String(err)}`);
      }
      if (unexpected.length >= 10) break;
    }
    console.log(
      `fuzz: ${ITERATIONS} mutations, ${tally.parsed} still readable, ${tally.refused} refused by the reader, ${tally.valid} chains still valid`,
    );
    expect(unexpected).toEqual([]);
    // The mutations reach past the outer structure: many still parse, and some still validate.
    expect(tally.parsed).toBeGreaterThan(ITERATIONS / 10);
    expect(tally.refused).toBeGreaterThan(ITERATIONS / 10);
  }, 600_000);
});
