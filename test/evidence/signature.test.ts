// Document signatures (Directive 02/CT-TTg §1.k): detached CMS and embedded PDF signatures verified
// with pkijs against explicit anchors, at signing time.

import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnchorSet } from '../../src/core/types.js';
import { signDetachedCms } from '../../src/pki/cms-sign.js';
import { verifyDetachedCms } from '../../src/pki/cms.js';
import { buildSignedPdf, verifyPdfSignature } from '../../src/pki/pdf-signature.js';
import { signedPdf, signerOf, signingPki, type SigningPki } from './fixture.js';

let pki: SigningPki;
let anchors: AnchorSet;
beforeAll(async () => {
  pki = await signingPki();
  anchors = { name: 'test', certificates: [new X509Certificate(pki.root.der)] };
});

describe('detached CMS', () => {
  it('verifies a correct signature and reports signer, signing time and a trusted chain', async () => {
    const doc = Buffer.from('Quyết định phê duyệt cấp độ');
    const at = new Date(Date.now() - 3_600_000);
    const sig = await signDetachedCms(doc, signerOf(pki.signer), at);
    const facts = await verifyDetachedCms(sig, doc, anchors, new Date());
    expect(facts).toMatchObject({ signed: true, intact: true, signerCN: 'Nguyen Van A', reason: null });
    expect(facts.signingTime?.slice(0, 19)).toBe(at.toISOString().slice(0, 19));
    expect(facts.chain?.trusted).toBe(true);
  });

  it('catches a modified document', async () => {
    const sig = await signDetachedCms(Buffer.from('original'), signerOf(pki.signer), new Date());
    const facts = await verifyDetachedCms(sig, Buffer.from('originaL'), anchors, new Date());
    expect(facts.signed).toBe(true);
    expect(facts.intact).toBe(false);
  });

  it('reports a signer from another root as untrusted', async () => {
    const doc = Buffer.from('x');
    const facts = await verifyDetachedCms(await signDetachedCms(doc, signerOf(pki.otherSigner), new Date()), doc, anchors, new Date());
    expect(facts.intact).toBe(true);
    expect(facts.chain?.trusted).toBe(false);
  });

  it('judges the chain at signing time: a certificate expired since still verifies', async () => {
    const { issueCertificate } = await import('../../src/lab/pki.js');
    const old = await issueCertificate({
      subjectCN: 'Old signer',
      issuer: pki.root,
      notBefore: new Date('2020-01-01'),
      notAfter: new Date('2021-01-01'),
      keyId: 'ev-old',
    });
    const doc = Buffer.from('2020 decision');
    const facts = await verifyDetachedCms(await signDetachedCms(doc, signerOf(old), new Date('2020-06-01')), doc, anchors, new Date());
    expect(facts.chain?.trusted).toBe(true);
  });

  it('never throws on garbage: a .p7s that is no SignedData is a signature that does not verify', async () => {
    const facts = await verifyDetachedCms(Buffer.from('not der'), Buffer.from('x'), anchors, new Date());
    expect(facts).toMatchObject({ signed: true, intact: false, error: null });
    expect(facts.reason).toMatch(/not a readable CMS SignedData/);
  });
});

describe('PDF signatures', () => {
  it('verifies an adbe.pkcs7.detached signature whose byte range covers the whole file', async () => {
    const pdf = await signedPdf('hello', pki.signer);
    const facts = await verifyPdfSignature(pdf, anchors, new Date());
    expect(facts).toMatchObject({ signed: true, intact: true, coversWholeFile: true, subFilter: 'adbe.pkcs7.detached', count: 1 });
    expect(facts?.chain?.trusted).toBe(true);
  });

  it('catches a changed byte inside the signed range', async () => {
    const pdf = await signedPdf('hello', pki.signer);
    const at = pdf.indexOf('hello');
    pdf[at] = 'j'.charCodeAt(0);
    expect((await verifyPdfSignature(pdf, anchors, new Date()))?.intact).toBe(false);
  });

  it('catches bytes appended after signing (incremental update)', async () => {
    const pdf = Buffer.concat([await signedPdf('hello', pki.signer), Buffer.from('1 0 obj\n<< >>\nendobj\n%%EOF\n')]);
    const facts = await verifyPdfSignature(pdf, anchors, new Date());
    expect(facts?.coversWholeFile).toBe(false);
  });

  it('finds no signature in an unsigned PDF', async () => {
    expect(await verifyPdfSignature(await buildSignedPdf('plain', null), anchors, new Date())).toBeNull();
  });
});
