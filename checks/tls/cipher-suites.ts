// The cipher suites the hand-built ClientHellos offer, with their names: the short preference-ordered
// lists of the version probes, and the full catalogue (suite-catalogue.ts) the enumeration offers and
// describes accepted suites by. Facts carry the OpenSSL name in `protocols`, the same naming the main
// node:tls handshake reports via getCipher(), and the catalogue's attributes in `enumeration`.

import type { SuiteFacts, TlsVersion } from './facts.js';
import { SUITE_ROWS, type SuiteMin } from './suite-catalogue.js';

export interface CipherSuite {
  code: number;
  /** OpenSSL's name (what `openssl ciphers` and Node's getCipher().name print). */
  openssl: string;
  /** The IANA registry name. */
  iana: string;
}

function suite(code: number, openssl: string, iana: string): CipherSuite {
  return { code, openssl, iana };
}

// Order is preference: a server honouring the client's order records the suite a modern client would
// get, and the weak suites at the end only matter to servers that speak nothing better — the point of
// listing them is that such a server still answers with a ServerHello and so counts as accepting the
// version.
const TLS13: CipherSuite[] = [
  suite(0x1301, 'TLS_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256'),
  suite(0x1302, 'TLS_AES_256_GCM_SHA384', 'TLS_AES_256_GCM_SHA384'),
  suite(0x1303, 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_CHACHA20_POLY1305_SHA256'),
];

const AEAD12: CipherSuite[] = [
  suite(0xc02b, 'ECDHE-ECDSA-AES128-GCM-SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'),
  suite(0xc02f, 'ECDHE-RSA-AES128-GCM-SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'),
  suite(0xc02c, 'ECDHE-ECDSA-AES256-GCM-SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'),
  suite(0xc030, 'ECDHE-RSA-AES256-GCM-SHA384', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'),
  suite(0xcca9, 'ECDHE-ECDSA-CHACHA20-POLY1305', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'),
  suite(0xcca8, 'ECDHE-RSA-CHACHA20-POLY1305', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'),
  suite(0x009e, 'DHE-RSA-AES128-GCM-SHA256', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'),
  suite(0x009f, 'DHE-RSA-AES256-GCM-SHA384', 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'),
  suite(0xccaa, 'DHE-RSA-CHACHA20-POLY1305', 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256'),
];

const CBC_SHA2: CipherSuite[] = [
  suite(0xc023, 'ECDHE-ECDSA-AES128-SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256'),
  suite(0xc027, 'ECDHE-RSA-AES128-SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'),
  suite(0xc024, 'ECDHE-ECDSA-AES256-SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384'),
  suite(0xc028, 'ECDHE-RSA-AES256-SHA384', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384'),
  suite(0x0067, 'DHE-RSA-AES128-SHA256', 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256'),
  suite(0x006b, 'DHE-RSA-AES256-SHA256', 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256'),
];

const CBC_SHA_FS: CipherSuite[] = [
  suite(0xc009, 'ECDHE-ECDSA-AES128-SHA', 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'),
  suite(0xc013, 'ECDHE-RSA-AES128-SHA', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'),
  suite(0xc00a, 'ECDHE-ECDSA-AES256-SHA', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA'),
  suite(0xc014, 'ECDHE-RSA-AES256-SHA', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'),
  suite(0x0033, 'DHE-RSA-AES128-SHA', 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA'),
  suite(0x0039, 'DHE-RSA-AES256-SHA', 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA'),
];

const RSA_AEAD: CipherSuite[] = [
  suite(0x009c, 'AES128-GCM-SHA256', 'TLS_RSA_WITH_AES_128_GCM_SHA256'),
  suite(0x009d, 'AES256-GCM-SHA384', 'TLS_RSA_WITH_AES_256_GCM_SHA384'),
];

const RSA_SHA2: CipherSuite[] = [
  suite(0x003c, 'AES128-SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA256'),
  suite(0x003d, 'AES256-SHA256', 'TLS_RSA_WITH_AES_256_CBC_SHA256'),
];

const RSA_SHA: CipherSuite[] = [
  suite(0x002f, 'AES128-SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA'),
  suite(0x0035, 'AES256-SHA', 'TLS_RSA_WITH_AES_256_CBC_SHA'),
];

// 3DES and RC4 are what the oldest stacks (IIS 6/7, old appliances) still speak; without them such a
// server would refuse our hello and look as if it did not speak the version at all.
const LEGACY: CipherSuite[] = [
  suite(0xc008, 'ECDHE-ECDSA-DES-CBC3-SHA', 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA'),
  suite(0xc012, 'ECDHE-RSA-DES-CBC3-SHA', 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA'),
  suite(0x0016, 'DHE-RSA-DES-CBC3-SHA', 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA'),
  suite(0x000a, 'DES-CBC3-SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'),
  suite(0xc011, 'ECDHE-RSA-RC4-SHA', 'TLS_ECDHE_RSA_WITH_RC4_128_SHA'),
  suite(0x0005, 'RC4-SHA', 'TLS_RSA_WITH_RC4_128_SHA'),
  suite(0x0004, 'RC4-MD5', 'TLS_RSA_WITH_RC4_128_MD5'),
];

/**
 * Signals secure renegotiation (RFC 5746). Never selectable; offered alongside the extension because
 * some old servers ignore extensions altogether.
 */
export const EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;

const PRE12 = [...CBC_SHA_FS, ...RSA_SHA, ...LEGACY];
const TLS12 = [...AEAD12, ...CBC_SHA2, ...CBC_SHA_FS, ...RSA_AEAD, ...RSA_SHA2, ...RSA_SHA, ...LEGACY];
// The 1.3 probe also offers a few 1.2 suites: a server that predates TLS 1.3 ignores supported_versions
// and negotiates from legacy_version, so it answers with a ServerHello naming 1.2 (a clear "not
// accepted") instead of an alert about having nothing in common. Servers that know 1.3 but have it
// disabled answer protocol_version either way.
const TLS13_OFFER = [...TLS13, ...AEAD12.slice(0, 4), ...CBC_SHA_FS.slice(0, 4)];

/** The suites each version's probe offers, in preference order (the SCSV is added by the hello). */
export const OFFERED: Readonly<Record<TlsVersion, readonly CipherSuite[]>> = {
  TLSv1: PRE12,
  'TLSv1.1': PRE12,
  'TLSv1.2': TLS12,
  'TLSv1.3': TLS13_OFFER,
};

interface CatalogueEntry {
  facts: SuiteFacts;
  min: SuiteMin;
}

const CATALOGUE = new Map<number, CatalogueEntry>(
  SUITE_ROWS.map(([code, iana, openssl, kex, auth, cipher, bits, mac, exported, min]) => [
    code,
    { facts: { code, iana, openssl, kex, auth, cipher, bits, mac, export: exported }, min },
  ]),
);

/** The facts of a suite by code; a code outside the catalogue by its hex code and nothing else known. */
export function suiteFacts(code: number): SuiteFacts {
  const known = CATALOGUE.get(code)?.facts;
  if (known) return { ...known };
  const hex = `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return { code, iana: hex, openssl: null, kex: 'unknown', auth: 'unknown', cipher: 'unknown', bits: 0, mac: 'unknown', export: false };
}

/** Whether the catalogue knows a code (an answer naming any other code is not one we offered). */
export function isCatalogued(code: number): boolean {
  return CATALOGUE.has(code);
}

/** The OpenSSL name of a chosen suite (its IANA name when OpenSSL has none), or its hex code when unknown. */
export function cipherName(code: number): string {
  const known = CATALOGUE.get(code)?.facts;
  return known?.openssl ?? known?.iana ?? `0x${code.toString(16).padStart(4, '0')}`;
}

const RANK: Record<SuiteMin, number> = { SSLv3: 0, TLSv1: 1, 'TLSv1.2': 2, 'TLSv1.3': 3 };

/**
 * Every catalogued suite that can be negotiated in `version`, in catalogue (code) order: the TLS 1.3
 * suites alone for 1.3; for the others every suite not newer than the version.
 */
export function enumerableSuites(version: TlsVersion | 'SSLv3'): number[] {
  const rank = version === 'SSLv3' ? 0 : version === 'TLSv1' || version === 'TLSv1.1' ? 1 : version === 'TLSv1.2' ? 2 : 3;
  const out: number[] = [];
  for (const [code, { min }] of CATALOGUE) {
    const r = RANK[min];
    if (rank === 3 ? r === 3 : r <= rank) out.push(code);
  }
  return out;
}
