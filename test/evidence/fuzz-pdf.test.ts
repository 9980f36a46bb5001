// Embedded PDF signatures under deterministic fuzzing (issue 10): 10,000 mutations of the example
// agency's signed approval — edits of the signed bytes, of the signature's hex digits and DER length
// fields, of the /ByteRange numbers, truncations and appended updates. No exception escapes, every
// outcome is a known one, every change of a signed byte is caught as a change (never as "no
// signature" or "could not verify"), and a signature is valid only when the change is provably
// harmless: the /Contents string still decodes (ISO 32000-1 §7.3.4.3) to the same SignedData up to
// its harmless offsets, followed by zero padding.

import { describe, expect, it } from 'vitest';
import { verifyPdfSignature, type PdfSignatureFacts } from '../../src/pki/pdf-signature.js';
import { readTlv } from '../../src/pki/der.js';
import { allTlvs, editBytes, EXAMPLE, harmlessOffsets, outcomeOf, prng, read, type Outcome } from './mutate.js';

const SEED = 0x10_2027;
const MUTATIONS = 10_000;

/** The /Contents string as PDF readers decode it: white space ignored, a missing last digit is 0. */
function decodeHex(digits: string): Buffer {
  const packed = digits.replace(/[\0\t\n\f\r ]/g, '');
  return Buffer.from(packed.length % 2 ? `${packed}0` : packed, 'hex');
}

describe('PDF signatures under fuzzing', () => {
  const pdf = read('approval.pdf');
  const text = pdf.toString('latin1');
  const anchors = EXAMPLE.anchors();
  const m = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/.exec(text);
  const [a, b, c, d] = [1, 2, 3, 4].map((i) => Number(m?.[i]));
  const gapStart = (a ?? 0) + (b ?? 0);
  const gapEnd = c ?? 0;
  const hexOriginal = text.slice(gapStart + 1, gapEnd - 1);
  const der = decodeHex(hexOriginal);
  const derLength = readTlv(der, 0).end;
  const signature = der.subarray(0, derLength);
  const harmless = harmlessOffsets(signature);
  const signedOffsets = (n: number): boolean => n < gapStart || n >= gapEnd;
  const byteRangeDigits = [...text.slice(m?.index ?? 0, (m?.index ?? 0) + (m?.[0].length ?? 0))]
    .map((ch, i) => (/\d/.test(ch) ? (m?.index ?? 0) + i : -1))
    .filter((i) => i >= 0);
  // Hex digits of each DER length octet: a length-field edit inside the signature.
  const lengthDigits = allTlvs(signature).map((t) => gapStart + 1 + 2 * (t.start + 1));

  it('the unmutated example PDF is validly signed over the whole file', async () => {
    const f = await verifyPdfSignature(pdf, anchors, EXAMPLE.now);
    expect(f && outcomeOf(f)).toBe('valid');
    expect(f?.coversWholeFile).toBe(true);
    expect(d).toBe(pdf.length - gapEnd);
  });

  /** Whether a change confined to the gap leaves the same signature, up to harmless offsets. */
  function harmlessGapChange(mutated: Buffer): boolean {
    const bytes = decodeHex(mutated.toString('latin1', gapStart + 1, gapEnd - 1));
    if (bytes.length < derLength || bytes.subarray(derLength).some((x) => x !== 0)) return false;
    for (let i = 0; i < derLength; i++) if (bytes[i] !== signature[i] && !harmless.has(i)) return false;
    return true;
  }

  it(`${MUTATIONS} mutated PDFs: no exception, changes of signed bytes always caught, valid only when harmless`, async () => {
    const rng = prng(SEED);
    const tally: Record<Outcome | 'none', number> = { valid: 0, untrusted: 0, broken: 0, unchecked: 0, unsigned: 0, none: 0 };
    const wrong: string[] = [];
    const hexDigit = (): number => gapStart + 1 + rng.int(2 * derLength);
    const signedByte = (): number => {
      const n = rng.int(gapStart + (pdf.length - gapEnd));
      return n < gapStart ? n : gapEnd + n - gapStart;
    };
    for (let i = 0; i < MUTATIONS; i++) {
      let input = Buffer.from(pdf);
      const kind = i % 6;
      let what: string;
      if (kind === 0) {
        what = 'signed bytes';
        editBytes(input, rng, signedByte);
      } else if (kind === 1) {
        what = 'signature hex digits';
        editBytes(input, rng, hexDigit);
      } else if (kind === 2) {
        what = 'any bytes';
        editBytes(input, rng, () => rng.int(input.length));
      } else if (kind === 3) {
        what = 'a length field';
        const at = rng.int(2) ? rng.pick(byteRangeDigits) : rng.pick(lengthDigits) + rng.int(2);
        const digits = rng.int(2) ? '0123456789' : '0123456789abcdef';
        let ch = input[at];
        while (ch === input[at]) ch = digits.charCodeAt(rng.int(digits.length));
        input[at] = ch as number;
      } else if (kind === 4) {
        what = 'truncation';
        input = input.subarray(0, rng.int(pdf.length));
      } else {
        what = 'an appended update';
        input = Buffer.concat([input, Buffer.from(`\n${rng.int(1000)} 0 obj\n<< >>\nendobj\n%%EOF\n`)]);
      }
      let facts: PdfSignatureFacts | null;
      try {
        facts = await verifyPdfSignature(input, anchors, EXAMPLE.now);
      } catch (err) {
        wrong.push(`#${i} (${what}): threw ${String(err)}`);
        continue;
      }
      const outcome = facts ? outcomeOf(facts) : 'none';
      if (!outcome) {
        wrong.push(`#${i} (${what}): contradictory facts ${JSON.stringify(facts)}`);
        continue;
      }
      tally[outcome]++;
      const valid = outcome === 'valid' && facts?.coversWholeFile === true;
      if (input.length !== pdf.length) {
        // Truncated or extended: the signed range no longer ends the file.
        if (valid) wrong.push(`#${i} (${what}): reported valid at ${input.length} bytes`);
        continue;
      }
      const changed = [...input.keys()].filter((k) => input[k] !== pdf[k]);
      if (changed.some(signedOffsets)) {
        const caught = facts?.signed && facts.error === null && !(facts.intact && facts.coversWholeFile);
        if (!caught) wrong.push(`#${i} (${what}): signed bytes ${changed.join(', ')} changed, yet ${JSON.stringify(facts)}`);
      } else if (valid && !harmlessGapChange(input)) {
        wrong.push(`#${i} (${what}): signature bytes ${changed.join(', ')} changed, yet reported valid`);
      }
    }
    expect(wrong).toEqual([]);
    expect(tally.broken).toBeGreaterThan(MUTATIONS / 2);
    expect(tally.valid).toBeGreaterThan(0); // zero padding and harmless fields do change
  });
});
