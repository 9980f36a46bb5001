// `govscan cert verify FILE…` through the built CLI, on certificates generated for the test: the
// verdict and exit code (0 valid, 1 not valid, 2 bad input), the table in both languages, JSON for
// CI, and bad files named with what is wrong and no stack trace.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueCertificate, type IssuedCert } from '../../src/lab/pki.js';
import type { VerifyResult } from '../../src/pki/verify.js';
import { runCli } from '../helpers/cli.js';

const DAY = 86_400_000;
const HOST = 'cong.example.gov.vn';
let dir: string;
let root: IssuedCert;
const file = (name: string): string => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-cert-verify-'));
  const now = Date.now();
  const caDates = { notBefore: new Date(now - 365 * DAY), notAfter: new Date(now + 5 * 365 * DAY) };
  root = await issueCertificate({ subject: 'CN=Test Agency Root CA, O=Test Agency, C=VN', key: { type: 'ec' }, isCA: true, ...caDates });
  const int = await issueCertificate({
    subject: 'CN=Test Agency Issuing CA, O=Test Agency, C=VN',
    key: { type: 'ec' },
    isCA: true,
    pathLength: 0,
    issuer: root,
    ...caDates,
  });
  const leaf = await issueCertificate({
    subjectCN: HOST,
    sans: { dns: [HOST] },
    key: { type: 'rsa', bits: 2048 },
    issuer: int,
    notBefore: new Date(now - 10 * DAY),
    notAfter: new Date(now + 80 * DAY),
  });
  await Promise.all([
    writeFile(file('root.pem'), root.certPem),
    writeFile(file('fullchain.pem'), leaf.certPem + int.certPem),
    writeFile(file('leaf.der'), leaf.der),
    writeFile(file('int.pem'), int.certPem),
    writeFile(file('empty.pem'), ''),
    writeFile(file('notes.txt'), 'this is not a certificate\n'),
    writeFile(file('huge.pem'), Buffer.alloc(1024 * 1024 + 1, 0x41)),
    writeFile(file('broken.pem'), `${leaf.certPem}-----BEGIN CERTIFICATE-----\nMIIBroken\n-----END CERTIFICATE-----\n`),
  ]);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const verify = (args: string[]) => runCli(['cert', 'verify', ...args]);

describe('govscan cert verify', () => {
  it('accepts a valid chain for its name: exit 0, the path with subject, issuer, validity and key', async () => {
    const r = await verify([file('fullchain.pem'), '--ca-file', file('root.pem'), '--name', HOST]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Certificate path (server certificate first):');
    expect(r.stdout).toMatch(
      new RegExp(`1\\. CN=${HOST.replace(/\./g, '\\.')}\\n\\s+issuer: C=VN,O=Test Agency,CN=Test Agency Issuing CA`),
    );
    expect(r.stdout).toContain('key: RSA 2048 bits');
    expect(r.stdout).toContain('key: ECDSA P-256');
    expect(r.stdout).toMatch(/3\. C=VN,O=Test Agency,CN=Test Agency Root CA \(trust anchor\)/);
    expect(r.stdout).toMatch(/valid: \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/);
    expect(r.stdout).toContain('Verdict: VALID');
    expect(r.stdout).toContain(`valid for the name ${HOST}`);
    expect(r.stdout).toContain('No problems found.');
  });

  it('reads DER and PEM files together, the server certificate first, and answers in JSON', async () => {
    const r = await verify([file('leaf.der'), file('int.pem'), '--ca-file', file('root.pem'), '--name', HOST, '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as VerifyResult & { name: string };
    expect(out).toMatchObject({ valid: true, trusted: true, hostnameMatches: true, problems: [], name: HOST });
    expect(out.path.map((p) => p.subject)).toEqual([
      `CN=${HOST}`,
      'C=VN,O=Test Agency,CN=Test Agency Issuing CA',
      'C=VN,O=Test Agency,CN=Test Agency Root CA',
    ]);
    expect(out.path[0]?.key).toEqual({ type: 'rsa', bits: 2048, curve: null });
  });

  it('refuses another name: exit 1, hostname-mismatch with its sentence, in Vietnamese with official dates', async () => {
    const r = await verify([file('fullchain.pem'), '--ca-file', file('root.pem'), '--name', 'other.example.gov.vn', '--lang', 'vi']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Đường dẫn chứng thư (chứng thư máy chủ trước):');
    expect(r.stdout).toContain('Kết luận: KHÔNG HỢP LỆ');
    expect(r.stdout).toContain('không hợp lệ cho tên other.example.gov.vn');
    expect(r.stdout).toContain('hostname-mismatch: chứng thư không hợp lệ cho tên được kiểm tra');
    expect(r.stdout).toMatch(/hiệu lực: từ \d{2}\/\d{2}\/\d{4} đến \d{2}\/\d{2}\/\d{4}/);
    expect(r.stdout).toContain('khóa: RSA 2048 bit');
    // No English words of the table, raw booleans or ISO timestamps in the Vietnamese output.
    expect(r.stdout).not.toMatch(/\b(true|false|Verdict|issuer|valid|key|Problems)\b|\d{4}-\d{2}-\d{2}/);
  });

  it('judges at --at: after the server certificate expires the chain is not valid (exit 1, expired)', async () => {
    const later = new Date(Date.now() + 200 * DAY).toISOString().slice(0, 10);
    const r = await verify([file('fullchain.pem'), '--ca-file', file('root.pem'), '--at', later, '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as VerifyResult & { at: string };
    expect(out.valid).toBe(false);
    expect(out.problems).toContain('expired');
    expect(out.at).toBe(`${later}T00:00:00.000Z`);
  });

  it('without --ca-file judges against the public store, which does not know a private CA (exit 1)', async () => {
    const r = await verify([file('fullchain.pem')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Verdict: NOT VALID');
    expect(r.stdout).toContain('not trusted');
    expect(r.stdout).toMatch(/incomplete-chain: the issuer of a certificate was neither sent nor is a trust anchor/);
    expect(r.stdout).toContain('no name checked (--name)');
  });

  it.each([
    ['empty.pem', 'empty file (expected PEM or DER certificates)'],
    ['notes.txt', 'not a certificate: neither PEM nor a DER certificate or PKCS#7 bundle'],
    ['huge.pem', 'larger than 1 MB (the limit for a certificate file'],
    ['missing.pem', 'cannot read the file: ENOENT'],
  ])('refuses %s as bad input: exit 2, the file and what is wrong, no stack trace', async (name, message) => {
    const r = await verify([file(name), '--ca-file', file('root.pem')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file(name)}: ${message}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the line of a PEM block that is not a certificate, in Vietnamese too for its own messages', async () => {
    const broken = await verify([file('broken.pem')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(new RegExp(`${file('broken.pem').replace(/[.]/g, '\\.')}:\\d+:1: not a valid certificate`));
    const empty = await verify([file('empty.pem'), '--lang', 'vi']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain(`${file('empty.pem')}: tệp rỗng (cần chứng thư số dạng PEM hoặc DER)`);
  });

  it.each([
    [['--name', 'not a host!'], '--name "not a host!": not a DNS name or an IP address'],
    [['--at', 'yesterday'], '--at "yesterday": not an ISO-8601 date or time'],
    [['--at', '2026-02-30'], '--at "2026-02-30": not an ISO-8601 date or time'],
  ])('refuses %j: exit 2 with the reason', async (args, message) => {
    const r = await verify([file('fullchain.pem'), ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('accepts an IP literal as --name, matched only against IP address SANs', async () => {
    const r = await verify([file('fullchain.pem'), '--ca-file', file('root.pem'), '--name', '192.0.2.10', '--format', 'json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as VerifyResult).hostnameMatches).toBe(false);
  });
});
