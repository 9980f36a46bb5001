// Certificate files on disk (configured paths): the first certificate of each file, described with
// the same certificate facts as a TLS peer's, so expiry is judged alike on endpoints and on disk.

import { certificateFacts } from '../../src/pki/certificate.js';
import type { CertificateFileFacts } from './facts.js';
import { readHead } from './read-head.js';

/** Certificate files (even bundles) are small; anything larger is not one. */
const MAX_BYTES = 1024 * 1024;
const PEM_CERT = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;

export async function probeCertificateFile(path: string, now: Date): Promise<CertificateFileFacts> {
  const empty = {
    path,
    subject: null,
    issuer: null,
    notAfter: null,
    notBefore: null,
    daysToExpiry: null,
    expired: null,
    sha256: null,
    count: 0,
  };
  let bytes: Buffer;
  try {
    bytes = await readHead(path, MAX_BYTES);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { ...empty, status: code === 'ENOENT' ? 'missing' : 'unreadable', reason: code };
  }
  const ders = certificatesIn(bytes);
  const first = ders[0];
  if (!first) return { ...empty, status: 'not-a-certificate', reason: 'no certificate found (expected PEM or DER)' };
  try {
    const c = certificateFacts(first, now);
    return {
      path,
      status: 'ok',
      reason: '',
      subject: c.subject,
      issuer: c.issuer,
      notBefore: c.notBefore,
      notAfter: c.notAfter,
      daysToExpiry: c.daysToExpiry,
      expired: c.expired,
      sha256: c.sha256,
      count: ders.length,
    };
  } catch (err) {
    return { ...empty, status: 'not-a-certificate', reason: err instanceof Error ? err.message : String(err), count: ders.length };
  }
}

/** DER certificates of a PEM text, or the bytes themselves when they look like DER (a SEQUENCE). */
function certificatesIn(bytes: Buffer): Buffer[] {
  const text = bytes.toString('latin1');
  const pems = [...text.matchAll(PEM_CERT)].map((m) => Buffer.from((m[1] ?? '').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
  if (pems.length) return pems.filter((d) => d.length > 0);
  return bytes[0] === 0x30 ? [bytes] : [];
}
