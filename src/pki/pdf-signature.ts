// Embedded PDF signatures (ISO 32000 §12.8: adbe.pkcs7.detached, ETSI.CAdES.detached). The signed
// bytes are the file minus the /Contents hex string, named by /ByteRange; a signature is only worth
// something when that range covers the whole file but the signature itself, since anything appended
// after signing (an incremental update) is not covered by it.

import { createHash } from 'node:crypto';
import type { AnchorSet } from '../core/types.js';
import { verifyDetachedCms, type CmsSignatureFacts } from './cms.js';

export interface PdfSignatureFacts extends CmsSignatureFacts {
  subFilter: string | null;
  byteRange: number[] | null;
  /** ByteRange starts at 0, ends at the end of the file, and its gap is exactly the /Contents string. */
  coversWholeFile: boolean;
  /** Signature dictionaries found in the file. */
  count: number;
}

/**
 * Entries only a signature dictionary carries (ISO 32000-1 §12.8.1), so that a damaged /ByteRange
 * still reads as a broken signature rather than none. Not /FT /Sig or /SigFlags: an empty signature
 * field waiting to be signed is common in unsigned forms (whose seed values list SubFilters in an
 * array, which this does not match).
 */
const SIGNATURE_MARKERS = /\/ByteRange\b|\/Type\s*\/Sig\b|\/SubFilter\s*\/(?:adbe\.pkcs7|ETSI\.|adbe\.x509)/;
const BYTE_RANGE = /\/ByteRange\b/g;
const FOUR_NUMBERS = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/y;
/** A PDF hexadecimal string; white space (ISO 32000-1 §7.2.2) between the digits is ignored. */
const HEX_STRING = /^<([0-9A-Fa-f\0\t\n\f\r ]*)>$/;

/**
 * Signature dictionaries of a PDF, judged by the last one (the one meant to cover the final file);
 * null when the file shows no sign of a signature. Never throws: what cannot be read is a signature
 * that does not verify, and an unexpected error is reported as `error` (not tested).
 */
export async function verifyPdfSignature(pdf: Buffer, anchors: AnchorSet | null, now: Date): Promise<PdfSignatureFacts | null> {
  try {
    return await verifyLast(pdf, anchors, now);
  } catch (err) {
    const error = `verification stopped on an unexpected error: ${err instanceof Error ? err.message : String(err)}`;
    return { ...unverified(error, null, null, 0), error };
  }
}

function unverified(reason: string, subFilter: string | null, byteRange: number[] | null, count: number): PdfSignatureFacts {
  return {
    signed: true,
    intact: false,
    signer: null,
    signerCN: null,
    signingTime: null,
    chain: null,
    reason,
    error: null,
    subFilter,
    byteRange,
    coversWholeFile: false,
    count,
  };
}

async function verifyLast(pdf: Buffer, anchors: AnchorSet | null, now: Date): Promise<PdfSignatureFacts | null> {
  // latin1 keeps one char per byte, so string offsets are byte offsets.
  const text = pdf.toString('latin1');
  const found = [...text.matchAll(BYTE_RANGE)];
  const last = found.at(-1);
  if (!last) {
    // A signature dictionary whose /ByteRange is gone is a broken signature, not none.
    return SIGNATURE_MARKERS.test(text) ? unverified('a signature dictionary without a /ByteRange', null, null, 0) : null;
  }
  const subFilter = subFilterNear(text, last.index);
  FOUR_NUMBERS.lastIndex = last.index;
  const numbers = FOUR_NUMBERS.exec(text);
  const range = numbers ? [1, 2, 3, 4].map((i) => Number(numbers[i])) : null;
  if (!range?.every(Number.isSafeInteger)) return unverified('/ByteRange is not four numbers', subFilter, null, found.length);
  const [a = 0, b = 0, c = 0, d = 0] = range;
  if (a + b > c || c + d > pdf.length) return unverified('/ByteRange points outside the file', subFilter, range, found.length);
  const hex = HEX_STRING.exec(text.slice(a + b, c));
  if (!hex) return unverified('the gap in /ByteRange is not the /Contents hex string', subFilter, range, found.length);
  const base = { subFilter, byteRange: range, count: found.length, coversWholeFile: a === 0 && c + d === pdf.length };
  if (subFilter === 'ETSI.RFC3161') {
    const error = 'the last signature is a document time-stamp (ETSI.RFC3161), which is not verified';
    return { ...unverified(error, subFilter, range, found.length), ...base, error };
  }
  const signedBytes = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
  // adbe.pkcs7.sha1 signs the SHA-1 of the range, encapsulated; every other kind signs the range.
  const content = subFilter === 'adbe.pkcs7.sha1' ? createHash('sha1').update(signedBytes).digest() : signedBytes;
  const cms = await verifyDetachedCms(hexBytes(hex[1] ?? ''), content, anchors, now, { trailingZeros: true });
  return { ...base, ...cms };
}

/** ISO 32000-1 §7.3.4.3: white space is ignored and a missing final digit is 0. */
function hexBytes(digits: string): Buffer {
  const packed = digits.replace(/[\0\t\n\f\r ]+/g, '');
  return Buffer.from(packed.length % 2 ? `${packed}0` : packed, 'hex');
}

function subFilterNear(text: string, at: number): string | null {
  // The /SubFilter sits in the same signature dictionary, within a few hundred bytes of /ByteRange.
  const window = text.slice(Math.max(0, at - 2000), at + 2000);
  const m = /\/SubFilter\s*\/([A-Za-z0-9.#_-]+)/.exec(window);
  return m?.[1] ?? null;
}

const PLACEHOLDER_RANGE = '/ByteRange [0 0000000000 0000000000 0000000000]';

/**
 * A one-page PDF carrying `body` as text and an adbe.pkcs7.detached signature by `sign` over the
 * whole file but the signature: for tests and the example agency, not a general PDF writer.
 */
export async function buildSignedPdf(
  body: string,
  sign: ((signed: Buffer) => Promise<Buffer>) | null,
  contentsBytes = 8192,
): Promise<Buffer> {
  const objects: string[] = [];
  const stream = `BT /F1 12 Tf 72 720 Td (${body.replace(/[()\\]/g, (ch) => `\\${ch}`)}) Tj ET`;
  objects.push('<< /Type /Catalog /Pages 2 0 R' + (sign ? ' /AcroForm << /Fields [5 0 R] /SigFlags 3 >>' : '') + ' >>');
  objects.push('<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  objects.push(
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 6 0 R >> >>' +
      (sign ? ' /Annots [5 0 R]' : '') +
      ' >>',
  );
  objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  if (sign) {
    objects.push(
      `<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /P 3 0 R /T (Signature1) /V << /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached ${PLACEHOLDER_RANGE} /Contents <${'0'.repeat(contentsBytes * 2)}> /M (D:20260101000000Z) >> >>`,
    );
  } else {
    objects.push('<< /Type /Annot /Subtype /Text /Rect [0 0 0 0] /P 3 0 R >>');
  }
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` + offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  let pdf = Buffer.from(out, 'latin1');
  if (!sign) return pdf;
  const text = pdf.toString('latin1');
  const start = text.indexOf('/Contents <0');
  const gapStart = start + '/Contents '.length;
  const gapEnd = text.indexOf('>', gapStart) + 1;
  const range = `/ByteRange [0 ${pad(gapStart)} ${pad(gapEnd)} ${pad(pdf.length - gapEnd)}]`;
  pdf = Buffer.from(text.replace(PLACEHOLDER_RANGE, range), 'latin1');
  const signed = Buffer.concat([pdf.subarray(0, gapStart), pdf.subarray(gapEnd)]);
  const der = await sign(signed);
  if (der.length > contentsBytes) throw new Error(`signature of ${der.length} bytes does not fit /Contents of ${contentsBytes}`);
  const hex = der.toString('hex').padEnd(contentsBytes * 2, '0');
  pdf.write(hex, gapStart + 1, 'latin1');
  return pdf;
}

function pad(n: number): string {
  return String(n).padStart(10, '0');
}
