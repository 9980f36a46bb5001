// The cipher-suite catalogue the enumeration offers and names accepted suites by: complete against the
// OpenSSL on this machine, and the attributes rules judge by are right for the suites they single out.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cipherName, enumerableSuites, isCatalogued, suiteFacts } from '../../../checks/tls/cipher-suites.js';
import { SUITE_ROWS } from '../../../checks/tls/suite-catalogue.js';
import { suiteBundles } from '../../../checks/tls/enum-suites.js';

describe('the cipher-suite catalogue', () => {
  it('holds every suite OpenSSL knows, under OpenSSL’s name, and the scanners’ legacy codes besides', () => {
    const listed = execFileSync('openssl', ['ciphers', '-V', 'ALL:COMPLEMENTOFALL'], { encoding: 'utf8' });
    const known = [...listed.matchAll(/0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)/g)].map((m) => ({
      code: Number.parseInt(`${m[1]}${m[2]}`, 16),
      name: m[3],
    }));
    expect(known.length).toBeGreaterThan(100);
    for (const { code, name } of known) expect(suiteFacts(code).openssl, name).toBe(name);
    // testssl.sh and sslscan offer ~370 codes; the catalogue has every two-byte one.
    expect(SUITE_ROWS.length).toBeGreaterThanOrEqual(360);
    expect(new Set(SUITE_ROWS.map((r) => r[0])).size).toBe(SUITE_ROWS.length);
    // Signalling values are never suites.
    expect(isCatalogued(0x00ff)).toBe(false);
    expect(isCatalogued(0x5600)).toBe(false);
  });

  it('describes suites by key exchange, authentication, cipher, strength and MAC', () => {
    expect(suiteFacts(0xc02f)).toEqual({
      code: 0xc02f,
      iana: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      openssl: 'ECDHE-RSA-AES128-GCM-SHA256',
      kex: 'ECDHE',
      auth: 'RSA',
      cipher: 'AES_128_GCM',
      bits: 128,
      mac: 'AEAD',
      export: false,
    });
    expect(suiteFacts(0x1302)).toMatchObject({
      iana: 'TLS_AES_256_GCM_SHA384',
      kex: 'TLS13',
      auth: 'TLS13',
      cipher: 'AES_256_GCM',
      bits: 256,
    });
    expect(suiteFacts(0x000a)).toMatchObject({ kex: 'RSA', cipher: '3DES_EDE_CBC', bits: 112, mac: 'SHA1' });
    expect(suiteFacts(0x0003)).toMatchObject({
      iana: 'TLS_RSA_EXPORT_WITH_RC4_40_MD5',
      cipher: 'RC4_40',
      bits: 40,
      mac: 'MD5',
      export: true,
    });
    expect(suiteFacts(0x0014)).toMatchObject({ kex: 'DHE', auth: 'RSA', cipher: 'DES40_CBC', export: true });
    expect(suiteFacts(0x0018)).toMatchObject({ openssl: 'ADH-RC4-MD5', kex: 'DHE', auth: 'anon', cipher: 'RC4_128' });
    expect(suiteFacts(0xc018)).toMatchObject({ kex: 'ECDHE', auth: 'anon' });
    expect(suiteFacts(0x0002)).toMatchObject({ cipher: 'NULL', bits: 0, mac: 'SHA1' });
    expect(suiteFacts(0x0009)).toMatchObject({ cipher: 'DES_CBC', bits: 56 });
    expect(suiteFacts(0xc0ac)).toMatchObject({ cipher: 'AES_128_CCM', mac: 'AEAD', kex: 'ECDHE', auth: 'ECDSA' });
    expect(suiteFacts(0x00ae)).toMatchObject({ kex: 'PSK', auth: 'PSK', mac: 'SHA256' });
    expect(suiteFacts(0xc0b4)).toMatchObject({ iana: 'TLS_SHA256_SHA256', cipher: 'NULL', bits: 0, kex: 'TLS13' });
    expect(suiteFacts(0xc00f)).toMatchObject({ kex: 'ECDH', auth: 'RSA' });
    expect(suiteFacts(0x0016).openssl).toBe('DHE-RSA-DES-CBC3-SHA');
    // OpenSSL never named the ECDH_ECDSA ARIA suites.
    expect(suiteFacts(0xc04a)).toMatchObject({ openssl: null, iana: 'TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256' });
    expect(suiteFacts(0x0a0a)).toMatchObject({ iana: '0x0A0A', openssl: null, kex: 'unknown' });
    expect(cipherName(0xc030)).toBe('ECDHE-RSA-AES256-GCM-SHA384');
  });

  it('offers each version only the suites it can negotiate', () => {
    const tls13 = enumerableSuites('TLSv1.3');
    expect(tls13).toEqual(expect.arrayContaining([0x1301, 0x1302, 0x1303, 0x1304, 0x1305]));
    expect(tls13.every((c) => suiteFacts(c).kex === 'TLS13')).toBe(true);
    const tls10 = enumerableSuites('TLSv1');
    expect(enumerableSuites('TLSv1.1')).toEqual(tls10);
    expect(tls10).toContain(0xc013);
    expect(tls10).not.toContain(0xc02f); // GCM is TLS 1.2's
    expect(tls10).not.toContain(0x1301);
    const tls12 = enumerableSuites('TLSv1.2');
    expect(tls12).toEqual(expect.arrayContaining([...tls10, 0xc02f, 0xcca8]));
    expect(tls12.length + tls13.length).toBe(SUITE_ROWS.length);
    expect(enumerableSuites('SSLv3').every((c) => tls10.includes(c))).toBe(true);
  });

  it('is offered in bundles under the 128 suites some servers choke on, the deployed suites first', () => {
    for (const v of ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const) {
      const bundles = suiteBundles(v);
      // With the renegotiation SCSV a hello carries at most 127 codes.
      expect(
        bundles.every((b) => b.length > 0 && b.length <= 126),
        v,
      ).toBe(true);
      expect(
        bundles.flat().sort((a, b) => a - b),
        v,
      ).toEqual([...enumerableSuites(v)].sort((a, b) => a - b));
    }
    const [first, ...rest] = suiteBundles('TLSv1.2');
    expect(rest.length).toBe(2);
    // What servers deploy (Mozilla's profiles, OpenSSL's and SChannel's defaults) is all in the first bundle.
    for (const code of [
      0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0x009e, 0x009f, 0xccaa, 0xc027, 0xc013, 0x009c, 0x002f, 0x000a, 0x0005,
    ])
      expect(first, code.toString(16)).toContain(code);
    // SSL 3.0 detection needs one hello: the first bundle has every suite but PSK, SRP, Kerberos and GOST.
    const [ssl3] = suiteBundles('SSLv3');
    expect(
      enumerableSuites('SSLv3')
        .filter((c) => !ssl3!.includes(c))
        .every((c) => ['PSK', 'DHE_PSK', 'RSA_PSK', 'ECDHE_PSK', 'SRP', 'KRB5', 'GOST', 'NULL'].includes(suiteFacts(c).kex)),
    ).toBe(true);
  });
});
