// Detached CMS verification under deterministic fuzzing (issue 10): 10,000 mutations of the example
// agency's .p7s (1–3 byte edits, truncations, length-field edits) and 2,000 of the report it signs.
// No exception escapes, every outcome is one the facts describe, a mutated signature is valid only
// when the change is provably harmless, and every change of the signed document is caught.

import { describe, expect, it } from 'vitest';
import { verifyDetachedCms, type CmsSignatureFacts } from '../../src/pki/cms.js';
import {
  allTlvs,
  editBytes,
  editLength,
  EXAMPLE,
  harmlessOffsets,
  outcomeOf,
  prng,
  read,
  signerCertificate,
  type Outcome,
} from './mutate.js';

const SEED = 0x10_2026;
const SIGNATURES = 10_000;
const DOCUMENTS = 2_000;

describe('detached CMS under fuzzing', () => {
  const sig = read('assessment-2026.txt.p7s');
  const doc = read('assessment-2026.txt');
  const anchors = EXAMPLE.anchors();

  it('the unmutated example signature is valid and trusted', async () => {
    const f = await verifyDetachedCms(sig, doc, anchors, EXAMPLE.now);
    expect(outcomeOf(f)).toBe('valid');
  });

  it(`${SIGNATURES} mutated signatures: no exception, known outcomes, valid only when provably harmless`, async () => {
    const harmless = harmlessOffsets(sig);
    const tlvs = allTlvs(sig);
    const rng = prng(SEED);
    const tally: Record<Outcome, number> = { valid: 0, untrusted: 0, broken: 0, unchecked: 0, unsigned: 0 };
    const wrong: string[] = [];
    for (let i = 0; i < SIGNATURES; i++) {
      const kind = i % 3;
      let input = Buffer.from(sig);
      if (kind === 0) editBytes(input, rng, () => rng.int(input.length));
      else if (kind === 1) editLength(input, rng, tlvs);
      else input = input.subarray(0, rng.int(sig.length));
      let facts: CmsSignatureFacts;
      try {
        facts = await verifyDetachedCms(input, doc, anchors, EXAMPLE.now);
      } catch (err) {
        wrong.push(`#${i}: threw ${String(err)}`);
        continue;
      }
      const outcome = outcomeOf(facts);
      if (!outcome) {
        wrong.push(`#${i}: contradictory facts ${JSON.stringify(facts)}`);
        continue;
      }
      tally[outcome]++;
      if (outcome !== 'valid') continue;
      // Two edits of one byte can cancel out: only bytes that really differ count.
      const changed = input.length === sig.length ? [...input.keys()].filter((k) => input[k] !== sig[k]) : null;
      if (changed === null || changed.some((k) => !harmless.has(k))) {
        wrong.push(
          `#${i}: reported valid after ${changed ? `changing offsets ${changed.join(', ')}` : `truncation to ${input.length} bytes`}`,
        );
      }
    }
    expect(wrong).toEqual([]);
    // Every kind of verdict was reached, so the mutations exercised the whole verifier.
    expect(tally.broken).toBeGreaterThan(SIGNATURES / 2);
    expect(tally.untrusted).toBeGreaterThan(0);
    expect(tally.unchecked).toBeGreaterThan(0);
  });

  it('every single-bit flip: valid only at harmless offsets, and a signer certificate with any bit flipped never chains', async () => {
    const harmless = harmlessOffsets(sig);
    const cert = signerCertificate(sig);
    const wrong: string[] = [];
    for (let at = 0; at < sig.length; at++) {
      for (let bit = 0; bit < 8; bit++) {
        const input = Buffer.from(sig);
        input[at] = (input[at] as number) ^ (1 << bit);
        const facts = await verifyDetachedCms(input, doc, anchors, EXAMPLE.now);
        if (outcomeOf(facts) === 'valid' && !harmless.has(at)) wrong.push(`offset ${at} bit ${bit}: valid`);
        if (at >= cert.start && at < cert.end && facts.chain?.trusted)
          wrong.push(`offset ${at} bit ${bit}: altered signer certificate still chains`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it(`${DOCUMENTS} changes of the signed report are all caught as changed, never as unverifiable`, async () => {
    const rng = prng(SEED + 1);
    const wrong: string[] = [];
    for (let i = 0; i < DOCUMENTS; i++) {
      let changed = Buffer.from(doc);
      const kind = i % 3;
      if (kind === 0) editBytes(changed, rng, () => rng.int(changed.length));
      else if (kind === 1) changed = changed.subarray(0, rng.int(doc.length));
      else changed = Buffer.concat([changed, Buffer.from([rng.int(256)])]);
      const facts = await verifyDetachedCms(sig, changed, anchors, EXAMPLE.now);
      if (outcomeOf(facts) !== 'broken' || !/digest/.test(facts.reason ?? '')) wrong.push(`#${i}: ${JSON.stringify(facts)}`);
    }
    expect(wrong).toEqual([]);
  });
});
