// Regenerates the example agency's documents: a test "government" root, a document signer, signed
// and unsigned PDFs, a detached .p7s, and one deliberately tampered document. Run after `npm run
// build`:  node examples/agency/generate.mjs   (the keys are throw-away test keys, never real ones).

import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'dist', 'src');
const { issueCertificate } = await import(join(dist, 'lab', 'pki.js'));
const { signDetachedCms } = await import(join(dist, 'pki', 'cms-sign.js'));
const { buildSignedPdf } = await import(join(dist, 'pki', 'pdf-signature.js'));

const root = await issueCertificate({
  subject: 'CN=Example RootCA chuyen dung (TEST ONLY), O=govscan example',
  isCA: true,
  keyUsage: ['keyCertSign', 'cRLSign'],
  notBefore: new Date('2020-01-01'),
  notAfter: new Date('2040-01-01'),
});
const signer = await issueCertificate({
  subjectCN: 'Chu tich UBND tinh (TEST ONLY)',
  issuer: root,
  keyUsage: ['digitalSignature', 'nonRepudiation'],
  notBefore: new Date('2020-01-01'),
  notAfter: new Date('2035-01-01'),
});
const sign = (at) => (bytes) => signDetachedCms(bytes, { certDer: signer.der, privateKey: signer.privateKey }, new Date(at));
const write = async (name, body) => {
  const file = join(here, name);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, body);
  return createHash('sha256').update(body).digest('hex');
};

await write('ca/example-root.pem', root.certPem);
// cong-dvc: a complete level-3 dossier.
await write('evidence/cong-dvc/docs/appraisal.pdf', await buildSignedPdf('Van ban tham dinh 12/TD-STTTT', sign('2026-05-10'), 4096));
await write('evidence/cong-dvc/docs/regulation.pdf', await buildSignedPdf('Quy che bao dam ATTT 5/QD-UBND', sign('2026-05-12'), 4096));
const approval = await buildSignedPdf('Quyet dinh phe duyet cap do 34/QD-UBND', sign('2026-05-20'), 4096);
const approvalHash = await write('evidence/cong-dvc/docs/approval.pdf', approval);
const plan = await buildSignedPdf('Phuong an bao dam ATTT theo cap do v2.0', null);
const planHash = await write('evidence/cong-dvc/docs/plan.pdf', plan);
await write(
  'evidence/cong-dvc/docs/onsite.pdf',
  await buildSignedPdf('Quyet dinh phan cong luc luong tai cho 7/QD', sign('2026-01-05'), 4096),
);
await write('evidence/cong-dvc/docs/ncsc.pdf', await buildSignedPdf('Xac nhan ket noi NCSC 88/NCSC', sign('2026-02-01'), 4096));
const report = Buffer.from('Bao cao danh gia ATTT dinh ky 2026 / Periodic security assessment report 2026\n');
await write('evidence/cong-dvc/docs/assessment-2026.txt', report);
await write('evidence/cong-dvc/docs/assessment-2026.txt.p7s', await sign('2026-10-01')(report));
// cong-ttdt: the portal, with a tampered approval (one byte changed after signing) and gaps.
const tampered = Buffer.from(await buildSignedPdf('Quyet dinh phe duyet cap do 40/QD-UBND', sign('2025-03-01'), 4096));
tampered[tampered.indexOf('40/QD')] = '4'.charCodeAt(0) + 1;
await write('evidence/cong-ttdt/docs/approval.pdf', tampered);
await write('evidence/cong-ttdt/docs/plan.pdf', await buildSignedPdf('Phuong an ATTT (dang trien khai)', null));
process.stdout.write(`approval.pdf sha256 ${approvalHash}\nplan.pdf sha256 ${planHash}\n`);
