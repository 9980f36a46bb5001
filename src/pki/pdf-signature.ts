// Embedded PDF signatures (ISO 32000 §12.8: adbe.pkcs7.detached, ETSI.CAdES.detached). The signed
// bytes are the file minus the /Contents hex string, named by /ByteRange; a signature is only worth
// something when that range covers the whole file but the signature itself, since anything appended
// after signing (an incremental update) is not covered by it.

import type { AnchorSet } from '../engine/types.js';
import { verifyDetachedCms, type CmsSignatureFacts } from './cms.js';

export interface PdfSignatureFacts extends CmsSignatureFacts {
  subFilter: string | null;
  byteRange: number[] | null;
  /** ByteRange starts at 0, ends at the end of the file, and its gap is exactly the /Contents string. */
  coversWholeFile: boolean;
  /** Signature dictionaries found in the file. */
  count: number;
}

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

/** Signature dictionaries of a PDF, judged by the last one (the one meant to cover the final file). */
export async function verifyPdfSignature(pdf: Buffer, anchors: AnchorSet | null, now: Date): Promise<PdfSignatureFacts | null> {
  // latin1 keeps one char per byte, so string offsets are byte offsets.
  const text = pdf.toString('latin1');
  const ranges = [...text.matchAll(BYTE_RANGE)];
  const last = ranges.at(-1);
  if (!last) return null;
  const range = [1, 2, 3, 4].map((i) => Number(last[i]));
  const [a = 0, b = 0, c = 0, d = 0] = range;
  const base = { subFilter: subFilterNear(text, last.index), byteRange: range, count: ranges.length };
  const inFile = a + b <= c && c + d <= pdf.length;
  if (!inFile) {
    return { ...base, signed: true, intact: false, signer: null, signerCN: null, signingTime: null, chain: null, coversWholeFile: false, reason: '/ByteRange points outside the file' };
  }
  const gap = text.slice(a + b, c);
  const hex = /^<([0-9A-Fa-f\s]*)>$/.exec(gap);
  const coversWholeFile = a === 0 && c + d === pdf.length && hex !== null;
  if (!hex) {
    return { ...base, signed: true, intact: false, signer: null, signerCN: null, signingTime: null, chain: null, coversWholeFile: false, reason: 'the gap in /ByteRange is not the /Contents hex string' };
  }
  const der = Buffer.from(hex[1]?.replace(/\s+/g, '') ?? '', 'hex');
  const signedBytes = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
  const cms = await verifyDetachedCms(der, signedBytes, anchors, now);
  return { ...base, ...cms, coversWholeFile };
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
export async function buildSignedPdf(body: string, sign: ((signed: Buffer) => Promise<Buffer>) | null, contentsBytes = 8192): Promise<Buffer> {
  const objects: string[] = [];
  const stream = `BT /F1 12 Tf 72 720 Td (${body.replace(/[()\\]/g, (ch) => `\\${ch}`)}) Tj ET`;
  objects.push('<< /Type /Catalog /Pages 2 0 R' + (sign ? ' /AcroForm << /Fields [5 0 R] /SigFlags 3 >>' : '') + ' >>');
  objects.push('<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  objects.push('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 6 0 R >> >>' + (sign ? ' /Annots [5 0 R]' : '') + ' >>');
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
