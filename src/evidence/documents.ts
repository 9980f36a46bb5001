// Facts about one document an evidence manifest names: is it there, readable, what it really is,
// does it match its sha256, and what its signature (embedded PDF or detached .p7s) says. Reads only
// inside the manifest's folder: a symlink that leads out is reported, never followed.

import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { relative, isAbsolute, sep } from 'node:path';
import type { TrustStores } from '../core/types.js';
import { verifyDetachedCms, type CmsSignatureFacts } from '../pki/cms.js';
import { verifyPdfSignature } from '../pki/pdf-signature.js';
import type { DocumentRef, DocumentType } from './manifest.js';

/** Evidence documents are decisions, plans and reports; anything larger is not read. */
const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

type DetectedType = 'pdf' | 'cms' | 'text' | 'other';

interface SignatureFacts {
  kind: 'pdf' | 'detached';
  /** The .p7s file (relative to the manifest) for a detached signature. */
  file: string | null;
  signed: boolean;
  /** Digest and signature verify over the document's bytes. */
  intact: boolean;
  /** PDF: the signed range is the whole file but the signature; always true for a detached signature. */
  coversWholeFile: boolean;
  signer: string | null;
  signerCN: string | null;
  signingTime: string | null;
  /** The signer's chain was checked (custom anchors were given). */
  chainChecked: boolean;
  /** The signer chains to a --ca-file anchor, valid at signing time. */
  trusted: boolean;
  trustProblems: string[];
  anchor: string | null;
  reason: string | null;
  /** Verification could not be carried out (unsupported algorithm or key, unexpected error): `intact` and `trusted` are not tested. */
  error: string | null;
}

export interface DocumentFacts {
  /** Manifest field naming it, e.g. `approval.document`. */
  role: string;
  /** As written in the manifest, relative to it. */
  path: string;
  /** Line of the manifest naming it. */
  line: number;
  claimedType: DocumentType | null;
  /** Approval, appraisal, regulation and other decisions: documents §1.k wants signed. */
  decision: boolean;
  present: boolean;
  readable: boolean;
  reason: string | null;
  bytes: number | null;
  detectedType: DetectedType | null;
  /** The detected type fits the claimed one (true when nothing is claimed). */
  typeMatches: boolean;
  sha256: string | null;
  expectedSha256: string | null;
  /** null when the manifest gives no sha256. */
  hashMatches: boolean | null;
  signature: SignatureFacts | null;
  /** Inspection stopped on an unexpected error: fields it had not reached keep their defaults and are not tested. */
  error: string | null;
}

const DECISION_ROLES = /^(appraisal|approval|regulation|layers\.onsite\.decision|layers\.ncsc\.confirmation)\.document$/;

/**
 * Never rejects: an unexpected error ends this document's inspection with `error` set, so it is not
 * tested on its own and every other document of the manifest is still judged.
 */
export async function inspectDocument(ref: DocumentRef, dir: string, trust: TrustStores, now: Date): Promise<DocumentFacts> {
  const facts: DocumentFacts = {
    role: ref.role,
    path: ref.doc.path,
    line: ref.line,
    claimedType: ref.doc.type ?? null,
    decision: DECISION_ROLES.test(ref.role),
    present: false,
    readable: false,
    reason: null,
    bytes: null,
    detectedType: null,
    typeMatches: false,
    sha256: null,
    expectedSha256: ref.doc.sha256?.toLowerCase() ?? null,
    hashMatches: null,
    signature: null,
    error: null,
  };
  try {
    await inspectInto(facts, ref, dir, trust, now);
  } catch (err) {
    facts.error = `inspection stopped on an unexpected error: ${err instanceof Error ? err.message : String(err)}`;
  }
  return facts;
}

async function inspectInto(facts: DocumentFacts, ref: DocumentRef, dir: string, trust: TrustStores, now: Date): Promise<void> {
  const opened = await openInside(ref.file, dir);
  if (!opened.ok) {
    facts.present = opened.present;
    facts.reason = opened.reason;
    return;
  }
  facts.present = true;
  facts.bytes = opened.bytes.length;
  facts.readable = true;
  const bytes = opened.bytes;
  facts.sha256 = createHash('sha256').update(bytes).digest('hex');
  if (facts.expectedSha256) facts.hashMatches = facts.sha256 === facts.expectedSha256;
  facts.detectedType = detectType(bytes);

  if (facts.detectedType === 'pdf') {
    const pdf = await verifyPdfSignature(bytes, trust.custom, now);
    if (pdf) facts.signature = signatureFacts('pdf', null, pdf, pdf.coversWholeFile);
  }
  const p7s = ref.signatureFile ?? `${ref.file}.p7s`;
  const detached = await openInside(p7s, dir);
  if (detached.ok) {
    const cms = await verifyDetachedCms(detached.bytes, bytes, trust.custom, now);
    // A detached signature is judged over the whole file, so it covers it by construction.
    if (!facts.signature?.intact) facts.signature = signatureFacts('detached', relativeTo(dir, p7s), cms, true);
  } else if (ref.signatureFile) {
    facts.signature = { ...emptySignature('detached', relativeTo(dir, p7s)), reason: `signature file: ${detached.reason ?? 'missing'}` };
  }
  facts.typeMatches = typeMatches(facts.claimedType, facts.detectedType, facts.signature);
}

function typeMatches(claimed: DocumentType | null, detected: DetectedType | null, sig: SignatureFacts | null): boolean {
  switch (claimed) {
    case null:
    case 'any':
      return true;
    case 'pdf':
      return detected === 'pdf';
    case 'signed-pdf':
      return detected === 'pdf' && sig?.kind === 'pdf' && sig.signed;
    case 'p7s':
      return sig?.kind === 'detached' && sig.signed;
    case 'text':
      return detected === 'text';
  }
}

function detectType(bytes: Buffer): DetectedType {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (bytes[0] === 0x30 && bytes.includes(Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]))) return 'cms';
  const head = bytes.subarray(0, 4096);
  // Text: valid UTF-8 without NULs (log-forwarder configs, plain-text records).
  if (!head.includes(0) && Buffer.from(head.toString('utf8'), 'utf8').equals(head)) return 'text';
  return 'other';
}

function signatureFacts(kind: 'pdf' | 'detached', file: string | null, cms: CmsSignatureFacts, covers: boolean): SignatureFacts {
  return {
    kind,
    file,
    signed: cms.signed,
    intact: cms.intact && covers,
    coversWholeFile: covers,
    signer: cms.signer,
    signerCN: cms.signerCN,
    signingTime: cms.signingTime,
    chainChecked: cms.chain !== null,
    trusted: cms.chain?.trusted ?? false,
    trustProblems: cms.chain ? [...cms.chain.problems] : ['no-anchors'],
    anchor: cms.chain?.anchor ?? null,
    reason: cms.reason ?? (covers ? null : 'the signature does not cover the whole file (bytes were added or changed after signing)'),
    error: cms.error,
  };
}

function emptySignature(kind: 'pdf' | 'detached', file: string | null): SignatureFacts {
  return {
    kind,
    file,
    signed: false,
    intact: false,
    coversWholeFile: false,
    signer: null,
    signerCN: null,
    signingTime: null,
    chainChecked: false,
    trusted: false,
    trustProblems: [],
    anchor: null,
    reason: null,
    error: null,
  };
}

type Opened = { ok: true; bytes: Buffer } | { ok: false; present: boolean; reason: string };

/** Read `file` only if it really (after symlinks) lies inside `dir` and is a file of sane size. */
export async function openInside(file: string, dir: string): Promise<Opened> {
  let real: string;
  let realDir: string;
  try {
    [real, realDir] = await Promise.all([realpath(file), realpath(dir)]);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, present: false, reason: code === 'ENOENT' ? 'no such file' : `cannot open: ${code ?? String(err)}` };
  }
  const rel = relative(realDir, real);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    return { ok: false, present: true, reason: 'resolves (through a symbolic link) outside the evidence folder; not read' };
  }
  try {
    const info = await stat(real);
    if (!info.isFile()) return { ok: false, present: true, reason: 'not a regular file' };
    if (info.size > MAX_DOCUMENT_BYTES)
      return { ok: false, present: true, reason: `${info.size} bytes: larger than the ${MAX_DOCUMENT_BYTES}-byte limit, not read` };
    return { ok: true, bytes: await readFile(real) };
  } catch (err) {
    return { ok: false, present: true, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
}

function relativeTo(dir: string, file: string): string {
  return relative(dir, file).split(sep).join('/');
}
