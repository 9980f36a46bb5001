import { describe, expect, it } from 'vitest';
import { matchHostname, type CertificateNames } from '../../src/pki/hostname.js';
import { certificateFacts } from '../../src/pki/certificate.js';
import { issueCertificate } from '../../src/lab/pki.js';

const names = (dns: string[], ip: string[] = [], cn: string | null = null): CertificateNames => ({ sans: { dns, ip }, subjectCN: cn });
const SAN = { matches: true, matchedBy: 'san' };
const NO = { matches: false, matchedBy: null };

describe('matchHostname', () => {
  it('matches SAN dNSNames exactly, case-insensitively, ignoring a trailing dot', () => {
    const c = names(['portal.example.gov.vn', 'WWW.Example.gov.vn']);
    expect(matchHostname('portal.example.gov.vn', c)).toEqual(SAN);
    expect(matchHostname('PORTAL.example.gov.vn.', c)).toEqual(SAN);
    expect(matchHostname('www.example.gov.vn', c)).toEqual(SAN);
    expect(matchHostname('example.gov.vn', c)).toEqual(NO);
  });

  it('lets a wildcard stand for exactly one leftmost label', () => {
    const c = names(['*.example.gov.vn']);
    expect(matchHostname('a.example.gov.vn', c)).toEqual(SAN);
    expect(matchHostname('a.b.example.gov.vn', c)).toEqual(NO);
    expect(matchHostname('example.gov.vn', c)).toEqual(NO);
  });

  it('refuses partial, non-leftmost and bare wildcards', () => {
    expect(matchHostname('foo.example.com', names(['f*.example.com']))).toEqual(NO);
    expect(matchHostname('a.b.example.com', names(['a.*.example.com']))).toEqual(NO);
    expect(matchHostname('com', names(['*']))).toEqual(NO);
  });

  it('never lets a wildcard cover a public suffix', () => {
    expect(matchHostname('example.com', names(['*.com']))).toEqual(NO);
    expect(matchHostname('example.co.uk', names(['*.co.uk']))).toEqual(NO);
    expect(matchHostname('tayninh.gov.vn', names(['*.gov.vn']))).toEqual(NO);
    expect(matchHostname('example.s3.amazonaws.com', names(['*.s3.amazonaws.com']))).toEqual(NO);
    // One level down is an ordinary domain.
    expect(matchHostname('dvc.tayninh.gov.vn', names(['*.tayninh.gov.vn']))).toEqual(SAN);
  });

  it('never uses the subject CN, with or without SANs', () => {
    expect(matchHostname('legacy.gov.vn', names([], [], 'legacy.gov.vn'))).toEqual(NO);
    expect(matchHostname('legacy.gov.vn', names([], ['10.0.0.1'], 'legacy.gov.vn'))).toEqual(NO);
    expect(matchHostname('legacy.gov.vn', names(['other.gov.vn'], [], 'legacy.gov.vn'))).toEqual(NO);
    expect(matchHostname('a.legacy.gov.vn', names([], [], '*.legacy.gov.vn'))).toEqual(NO);
  });

  it('matches nothing with a malformed dNSName or reference name', () => {
    expect(matchHostname('foo_bar.example.com', names(['foo_bar.example.com']))).toEqual(NO);
    expect(matchHostname('a.example.com', names(['a.example.com.']))).toEqual(NO);
    expect(matchHostname('-a.example.com', names(['-a.example.com']))).toEqual(NO);
  });

  it('matches IP literals against IP SANs only, in any spelling', () => {
    const c = names(['127.0.0.1'], ['127.0.0.1', '2001:db8::1'], '127.0.0.1');
    expect(matchHostname('127.0.0.1', c)).toEqual(SAN);
    expect(matchHostname('2001:DB8:0:0::1', c)).toEqual(SAN);
    expect(matchHostname('[2001:db8::1]', c)).toEqual(SAN);
    expect(matchHostname('10.0.0.1', names([], [], '10.0.0.1'))).toEqual(NO);
    // An IP literal is never compared with a dNSName, nor a DNS name with an iPAddress.
    expect(matchHostname('127.0.0.1', names(['127.0.0.1']))).toEqual(NO);
    // Spellings some resolvers read differently are not IP literals at all.
    expect(matchHostname('0x7f.0.0.1', c)).toEqual(NO);
    expect(matchHostname('127.000.000.001', c)).toEqual(NO);
  });

  it('compares internationalised names in A-label form', () => {
    expect(matchHostname('cổng.gov.vn', names(['xn--cng-qmz.gov.vn']))).toEqual(SAN);
  });

  it('works on facts read from a real certificate', async () => {
    const cert = await issueCertificate({ subjectCN: 'cn-only.gov.vn' });
    const facts = certificateFacts(cert.der, new Date());
    expect(matchHostname('cn-only.gov.vn', facts)).toEqual(NO);
    const ip = await issueCertificate({ subjectCN: 'x', sans: { ip: ['::1'] } });
    expect(matchHostname('0:0::1', certificateFacts(ip.der, new Date()))).toEqual(SAN);
  });
});
