// `node scripts/gen-suite-catalogue.mjs <cipher-mapping.txt>`: writes checks/tls/suite-catalogue.ts, the
// table of every TLS cipher suite code point the enumeration offers. Run once; the output is committed
// product data (govscan never runs this at scan time).
//
// Sources:
//  - the code points and IANA names: the IANA "TLS Cipher Suites" registry as collected, with the
//    pre-registry and vendor codes scanners still offer (export, FIPS, GOST, CECPQ1, draft ChaCha20),
//    in testssl.sh's etc/cipher-mapping.txt (the file given as argument; its SSLv2 3-byte codes are
//    left out — SSLv2 is only detected, not enumerated). Its "minimum protocol" column gives `min`.
//  - OpenSSL names: `openssl ciphers -V ALL:COMPLEMENTOFALL` of the OpenSSL on this machine first, then the
//    file's OpenSSL-style names (those of older OpenSSL releases) for suites today's OpenSSL dropped.
//  - kex/auth/cipher/bits/mac/export: derived from the IANA name (RFC 5246 App. C naming), and checked
//    against the file's Kx/Enc/export columns so a parsing slip fails the script instead of shipping.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const source = process.argv[2];
if (!source) {
  console.error('usage: node scripts/gen-suite-catalogue.mjs <testssl.sh etc/cipher-mapping.txt>');
  process.exit(2);
}

const opensslNames = new Map();
for (const line of execFileSync('openssl', ['ciphers', '-V', 'ALL:COMPLEMENTOFALL'], { encoding: 'utf8' }).split('\n')) {
  const m = /^\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)/.exec(line);
  if (m) opensslNames.set(Number.parseInt(m[1] + m[2], 16), m[3]);
}

const ROW =
  /^\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)\s+(\S+)\s+(SSLv3|TLSv1|TLSv1\.2|TLSv1\.3)\s+Kx=(\S+)\s+Au=(\S+)\s+Enc=(\S+)\s+Mac=(\S+)\s*(export)?/;

// Key exchange and authentication by the part of the IANA name before _WITH_ (export markers removed).
const KEX = {
  NULL: ['NULL', 'NULL'],
  RSA: ['RSA', 'RSA'],
  RSA_FIPS: ['RSA', 'RSA'],
  DH_DSS: ['DH', 'DSS'],
  DH_RSA: ['DH', 'RSA'],
  DHE_DSS: ['DHE', 'DSS'],
  DHE_RSA: ['DHE', 'RSA'],
  // Anonymous Diffie-Hellman is ephemeral (a fresh ServerKeyExchange), but nothing authenticates it.
  DH_anon: ['DHE', 'anon'],
  ECDH_anon: ['ECDHE', 'anon'],
  ECDH_ECDSA: ['ECDH', 'ECDSA'],
  ECDH_RSA: ['ECDH', 'RSA'],
  ECDHE_ECDSA: ['ECDHE', 'ECDSA'],
  ECDHE_RSA: ['ECDHE', 'RSA'],
  PSK: ['PSK', 'PSK'],
  DHE_PSK: ['DHE_PSK', 'PSK'],
  PSK_DHE: ['DHE_PSK', 'PSK'],
  ECDHE_PSK: ['ECDHE_PSK', 'PSK'],
  RSA_PSK: ['RSA_PSK', 'RSA'],
  SRP_SHA: ['SRP', 'SRP'],
  SRP_SHA_RSA: ['SRP', 'RSA'],
  SRP_SHA_DSS: ['SRP', 'DSS'],
  KRB5: ['KRB5', 'KRB5'],
  GOSTR341094: ['GOST', 'GOST'],
  GOSTR341001: ['GOST', 'GOST'],
  GOSTR341094_RSA: ['RSA', 'RSA'],
  CECPQ1_RSA: ['CECPQ1', 'RSA'],
  CECPQ1_ECDSA: ['CECPQ1', 'ECDSA'],
};

/** Vendor codes with no IANA name: attributes from the OpenSSL (GOST engine) definitions. */
const UNNAMED = new Map([
  [0xff02, { kex: 'RSA', auth: 'RSA', cipher: 'GOST28147_CNT', mac: 'GOST28147' }],
  [0xff03, { kex: 'RSA', auth: 'RSA', cipher: 'GOST28147_CNT', mac: 'GOST28147' }],
  [0xff85, { kex: 'GOST', auth: 'GOST', cipher: 'GOST28147_CNT', mac: 'GOST28147' }],
  [0xff87, { kex: 'GOST', auth: 'GOST', cipher: 'NULL', mac: 'STREEBOG256' }],
]);

const MACS = [
  ['_SHA384', 'SHA384'],
  ['_SHA256', 'SHA256'],
  ['_SHA', 'SHA1'],
  ['_MD5', 'MD5'],
  ['_NULL', 'NULL'],
  ['_GOSTR3411', 'GOSTR3411'],
  ['_GOST94', 'GOSTR3411'],
  ['_IMIT', 'GOST28147'],
];

function bitsOf(cipher) {
  if (cipher === 'NULL') return 0;
  if (cipher.startsWith('3DES')) return 112;
  if (cipher.startsWith('DES40') || /_40(_|$)/.test(cipher)) return 40;
  if (/_56(_|$)/.test(cipher) || cipher.startsWith('DES_')) return 56;
  const n = /_(128|256)(_|$)/.exec(cipher);
  if (n) return Number(n[1]);
  if (/^(IDEA|SEED|SM4)_/.test(cipher)) return 128;
  if (/^(CHACHA20|GOST28147)_/.test(cipher)) return 256;
  throw new Error(`no key size for ${cipher}`);
}

/** kex, auth, cipher, mac, export from an IANA name. */
function fromName(iana) {
  const name = iana.replace(/^(TLS|SSL)_/, '').replace(/_OLD$/, '');
  const at = name.indexOf('_WITH_');
  if (at < 0) {
    // TLS 1.3 (RFC 8446 B.4, RFC 8998, RFC 9150): AEAD_HASH, or HASH_HASH for the integrity-only suites.
    const integrity = /^(SHA256|SHA384)_\1$/.exec(name);
    if (integrity) return { kex: 'TLS13', auth: 'TLS13', cipher: 'NULL', mac: integrity[1], export: false };
    return { kex: 'TLS13', auth: 'TLS13', cipher: name.replace(/_(SHA256|SHA384|SM3)$/, ''), mac: 'AEAD', export: false };
  }
  const exported = /_EXPORT(1024)?/.test(name.slice(0, at));
  const kexPart = name.slice(0, at).replace(/_EXPORT(1024)?/, '');
  const pair = KEX[kexPart];
  if (!pair) throw new Error(`unknown key exchange ${kexPart} in ${iana}`);
  let rest = name.slice(at + '_WITH_'.length);
  if (/(GCM|CCM|POLY1305)/.test(rest)) {
    return { kex: pair[0], auth: pair[1], cipher: rest.replace(/_(SHA256|SHA384)$/, ''), mac: 'AEAD', export: exported };
  }
  for (const [suffix, mac] of MACS) {
    if (rest.endsWith(suffix)) {
      rest = rest.slice(0, -suffix.length);
      if (rest === '28147_CNT') rest = 'GOST28147_CNT';
      return { kex: pair[0], auth: pair[1], cipher: rest, mac, export: exported };
    }
  }
  throw new Error(`no MAC in ${iana}`);
}

const rows = [];
const seen = new Set();
for (const line of readFileSync(source, 'utf8').split('\n')) {
  const m = ROW.exec(line);
  if (!m) continue;
  const code = Number.parseInt(m[1] + m[2], 16);
  if (seen.has(code)) throw new Error(`duplicate code 0x${code.toString(16)}`);
  seen.add(code);
  const [, , , fileOpenssl, fileIana, min, kx, , enc, , exp] = m;
  const iana = fileIana === '-' ? `0x${code.toString(16).toUpperCase().padStart(4, '0')}` : fileIana;
  const attrs = fileIana === '-' ? { ...UNNAMED.get(code), export: false } : fromName(fileIana);
  if (!attrs.kex) throw new Error(`no attributes for 0x${code.toString(16)}`);
  const bits = bitsOf(attrs.cipher);
  // Cross-checks against the file's own columns.
  const fileBits = /\((\d+)\)/.exec(enc);
  if (fileBits && Number(fileBits[1]) !== bits && !(bits === 112 && fileBits[1] === '168'))
    throw new Error(`${iana}: ${bits} bits, the file says ${enc}`);
  if (enc === 'None' && bits !== 0) throw new Error(`${iana}: the file says no cipher`);
  if (Boolean(exp) !== attrs.export) throw new Error(`${iana}: export ${attrs.export}, the file says ${exp ?? 'not export'}`);
  if (/\((512|1024)\)/.test(kx) && !attrs.export) throw new Error(`${iana}: export key exchange ${kx}`);
  // OpenSSL 1.1.0 renamed its EDH- suites DHE- (what Node's getCipher() reports today).
  const openssl = opensslNames.get(code) ?? (fileOpenssl === '-' ? null : fileOpenssl.replace(/^EDH-/, 'DHE-'));
  rows.push({ code, iana, openssl, ...attrs, bits, min });
}
for (const code of opensslNames.keys()) if (!seen.has(code)) throw new Error(`OpenSSL suite 0x${code.toString(16)} missing from the file`);
rows.sort((a, b) => a.code - b.code);

const hex = (n) => `0x${n.toString(16).padStart(4, '0')}`;
const q = (s) => (s === null ? 'null' : `'${s}'`);
const lines = rows.map(
  (r) =>
    `  [${hex(r.code)}, ${q(r.iana)}, ${q(r.openssl)}, ${q(r.kex)}, ${q(r.auth)}, ${q(r.cipher)}, ${r.bits}, ${q(r.mac)}, ${r.export}, ${q(r.min)}],`,
);
const out = `// Generated by scripts/gen-suite-catalogue.mjs — do not edit by hand; the script says where each column comes from.
// Every TLS cipher suite code point the enumeration offers (${rows.length}), sorted by code:
// [code, IANA name, OpenSSL name, kex, auth, cipher, bits, mac, export, lowest protocol version].

/** The lowest protocol a suite can be negotiated in (TLS 1.2 for AEAD and SHA-2 MACs, TLS 1.3 for its own). */
export type SuiteMin = 'SSLv3' | 'TLSv1' | 'TLSv1.2' | 'TLSv1.3';

/** One row: [code, iana, openssl, kex, auth, cipher, bits, mac, export, min]. */
export type SuiteRow = readonly [number, string, string | null, string, string, string, number, string, boolean, SuiteMin];

// biome-ignore format: one suite per line, as generated
export const SUITE_ROWS: readonly SuiteRow[] = [
${lines.join('\n')}
];
`;
const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
writeFileSync(join(root, 'checks/tls/suite-catalogue.ts'), out);
console.log(`wrote checks/tls/suite-catalogue.ts: ${rows.length} suites, ${opensslNames.size} known to this OpenSSL`);
