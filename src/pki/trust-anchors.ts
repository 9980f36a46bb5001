// Trust anchors: the public store Node would use, and agency-supplied anchors (--ca-file) such as the
// Vietnam National Root CA, which are not in Mozilla's store and are judged separately (REGULATIONS §E).

import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { InputError } from '../core/errors.js';
import { readInputText } from '../core/input-limits.js';
import type { AnchorSet, TrustStores } from '../core/types.js';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every CERTIFICATE block of a PEM text; `file:line` errors point at the bad block's BEGIN line. */
export function parsePemCertificates(text: string, file: string): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    if (m[1] !== 'CERTIFICATE' && m[1] !== 'TRUSTED CERTIFICATE') continue;
    try {
      out.push(new X509Certificate(m[0].replace('TRUSTED CERTIFICATE', 'CERTIFICATE')));
    } catch (err) {
      const line = text.slice(0, m.index).split('\n').length;
      throw new InputError(file, line, 1, `not a valid certificate: ${(err as Error).message}`);
    }
  }
  return out;
}

function loadPublic(): AnchorSet {
  const certificates = rootCertificates.map((pem) => new X509Certificate(pem));
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (extra) {
    // Node itself only warns when this file is unreadable; we do the same and keep the bundled roots.
    try {
      certificates.push(...parsePemCertificates(readFileSync(extra, 'utf8'), extra));
    } catch (err) {
      process.emitWarning(`NODE_EXTRA_CA_CERTS ${extra} ignored: ${(err as Error).message}`);
    }
  }
  return { name: 'public', certificates };
}

let publicStore: AnchorSet | undefined;
/** Parsed once per process: ~150 roots, needed for every endpoint. */
export function publicAnchors(): AnchorSet {
  publicStore ??= loadPublic();
  return publicStore;
}

export function fingerprint256(cert: X509Certificate): string {
  return cert.fingerprint256.replace(/:/g, '').toLowerCase();
}

export interface CustomAnchorOptions {
  files: string[];
  /** SHA-256 fingerprints (hex, colons optional): when given, every anchor must be one of them. */
  pins?: string[];
}

export async function loadCustomAnchors(opts: CustomAnchorOptions): Promise<AnchorSet | null> {
  if (!opts.files.length) return null;
  const certificates: X509Certificate[] = [];
  const pins = new Set((opts.pins ?? []).map((p) => p.replace(/[:\s]/g, '').toLowerCase()));
  for (const file of opts.files) {
    let text: string;
    try {
      text = await readInputText(file, 'certificates');
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw InputError.inFile(file, `cannot read CA file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    const certs = parsePemCertificates(text, file);
    if (!certs.length) throw new InputError(file, 1, 1, 'no PEM certificate found (expected -----BEGIN CERTIFICATE-----)');
    for (const cert of certs) {
      const fp = fingerprint256(cert);
      if (pins.size && !pins.has(fp)) {
        throw InputError.inFile(file, `anchor "${cert.subject.replace(/\n/g, ', ')}" has SHA-256 ${fp}, which matches no --ca-pin`);
      }
      certificates.push(cert);
    }
  }
  return { name: 'custom', certificates };
}

export async function loadTrustStores(opts: CustomAnchorOptions): Promise<TrustStores> {
  return { public: publicAnchors(), custom: await loadCustomAnchors(opts) };
}
