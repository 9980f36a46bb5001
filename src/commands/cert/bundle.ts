// The certificates of `cert verify FILE…`: PEM (any number of CERTIFICATE blocks), a DER certificate
// or a DER/PEM PKCS#7 bundle (.p7b). Anything else is bad input (exit 2) naming the file, and the
// line of a broken PEM block; a certificate OpenSSL reads but browsers refuse is not bad input but
// an invalid certificate (malformed-certificate), judged like any other.

import { X509Certificate } from 'node:crypto';
import { InputError } from '../../core/errors.js';
import { certificatesIn } from '../../../checks/tls/issuer-fetch.js';
import { readInputBytes } from '../../core/input-limits.js';
import { parsePemCertificates } from '../../pki/trust-anchors.js';
import { fillBoth } from '../../core/messages.js';
import { C } from './messages.js';

export async function readCertificates(file: string): Promise<Buffer[]> {
  let bytes: Buffer;
  try {
    bytes = await readInputBytes(file, 'certificate');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw InputError.inFile(file, fillBoth(C.cannotRead, { reason: (err as NodeJS.ErrnoException).code ?? String(err) }));
  }
  if (bytes.length === 0 || !bytes.some((b) => !isSpace(b))) throw InputError.inFile(file, C.empty);
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN ')) {
    const pem = parsePemCertificates(bytes.toString('utf8'), file).map((c) => c.raw);
    const found = pem.length ? pem : certificatesIn(bytes);
    if (!found.length) throw InputError.inFile(file, C.noPem);
    return found.map((der) => checked(file, der));
  }
  const found = certificatesIn(bytes);
  if (!found.length) throw InputError.inFile(file, C.notCertificate);
  return found.map((der) => checked(file, der));
}

/** OpenSSL must at least read it as a certificate: otherwise the file is not what it claims. */
function checked(file: string, der: Buffer): Buffer {
  try {
    new X509Certificate(der);
  } catch (err) {
    throw InputError.inFile(file, fillBoth(C.badBlock, { reason: (err as Error).message }));
  }
  return der;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}
