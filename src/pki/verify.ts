// verifyCertificate: one call that says whether a certificate chain is valid for a name at a time —
// the same code the TLS check runs for the public store and for --ca-file anchors.

import { X509Certificate } from 'node:crypto';
import type { AnchorSet } from '../engine/types.js';
import { publicAnchors } from '../engine/trust-anchors.js';
import { certificateFacts } from './certificate.js';
import { matchHostname } from './hostname.js';
import { validatePath } from './path.js';
import type { TrustFacts } from './types.js';

export type CertificateInput = string | Uint8Array;

export interface VerifyInput {
  /** The peer's certificate first, then what the server sent; PEM text (one or more blocks) or DER. */
  chain: CertificateInput | readonly CertificateInput[];
  /** Trust anchors; omitted: the public store govscan uses (Node's roots plus NODE_EXTRA_CA_CERTS). */
  anchors?: AnchorSet | readonly (CertificateInput | X509Certificate)[];
  /** A DNS name or an IP literal the leaf must be valid for; omitted: no name is checked. */
  name?: string | null;
  /** Validation time; default now. */
  at?: Date;
  /** Most intermediates a path may hold (the leaf and the anchor not counted); default 8. */
  maxDepth?: number;
  /** The extended key usage the leaf must allow; default serverAuth. */
  usage?: 'serverAuth' | 'clientAuth';
}

export interface VerifyResult {
  /** trusted, the name matches (or none was given), and every certificate of the path is valid at `at`. */
  valid: boolean;
  trusted: boolean;
  /** null when no name was given. */
  hostnameMatches: boolean | null;
  problems: string[];
  /** SHA-256 of each certificate on the path, leaf first. */
  path: string[];
}

const PEM_CERT = /-----BEGIN (?:TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:TRUSTED )?CERTIFICATE-----/g;

/** DER of every certificate in the inputs: PEM text may hold several blocks. */
function derOf(inputs: readonly CertificateInput[]): Buffer[] {
  const out: Buffer[] = [];
  for (const input of inputs) {
    if (typeof input !== 'string') {
      out.push(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
      continue;
    }
    for (const m of input.matchAll(PEM_CERT)) out.push(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64'));
  }
  return out;
}

function anchorSet(anchors: VerifyInput['anchors']): AnchorSet {
  if (anchors === undefined) return publicAnchors();
  if (!Array.isArray(anchors)) return anchors as AnchorSet;
  const certificates: X509Certificate[] = [];
  for (const a of anchors as readonly (CertificateInput | X509Certificate)[]) {
    if (a instanceof X509Certificate) {
      certificates.push(a);
      continue;
    }
    for (const der of derOf([a])) {
      try {
        certificates.push(new X509Certificate(der));
      } catch {
        // An unreadable anchor anchors nothing.
      }
    }
  }
  return { name: 'given', certificates };
}

export function verifyCertificateSync(input: VerifyInput): VerifyResult {
  const chain = derOf(typeof input.chain === 'string' || input.chain instanceof Uint8Array ? [input.chain] : (input.chain as readonly CertificateInput[]));
  const at = input.at ?? new Date();
  let trust: TrustFacts;
  let hostnameMatches: boolean | null = null;
  try {
    trust = validatePath(chain, anchorSet(input.anchors), at);
    if (input.name != null && chain[0]) hostnameMatches = matchHostname(input.name, certificateFacts(chain[0], at)).matches;
  } catch {
    return { valid: false, trusted: false, hostnameMatches: input.name == null ? null : false, problems: ['malformed-certificate'], path: [] };
  }
  const problems: string[] = [...trust.problems];
  if (hostnameMatches === false) problems.push('hostname-mismatch');
  return { valid: trust.trusted && hostnameMatches !== false, trusted: trust.trusted, hostnameMatches, problems, path: trust.path };
}

export async function verifyCertificate(input: VerifyInput): Promise<VerifyResult> {
  return verifyCertificateSync(input);
}
