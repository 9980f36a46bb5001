// policies/vn-ct02-2022-tls.yaml, the rules on the full TLS enumeration (issue 14), judged on recorded
// endpoint facts (test/fixtures/facts/good.json) with the enumeration a scan of a known configuration
// records: a Mozilla-modern and a Mozilla-intermediate endpoint pass every rule, each defect fails its
// own rule and no other, the Mozilla profile parameter changes the verdicts as the pack says, and
// whatever was not enumerated is not tested — never passed — with the reason in both languages.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Outcome } from '../../src/core/types.js';
import { evaluate, type LoadedPolicy } from '../../src/policy/index.js';
import { applyParams } from '../../src/policy/params.js';
import type { TlsFacts } from '../../checks/tls/facts.js';
import { reviewVietnamese } from '../helpers/vietnamese-review.js';
import { NOW, okAttempt, readFacts, target } from '../policy/helpers.js';
import { builtinPack } from './recorded.js';

type Enumeration = NonNullable<TlsFacts['enumeration']>;
type Suite = Enumeration['versions']['TLSv1.2']['suites'][number];
type Group = Enumeration['groups']['supported'][number];
type Version = keyof Enumeration['versions'];

const ENUMERATION_RULES = [
  'TLS-CIPHER-INSUFFICIENT',
  'TLS-CIPHER-ORDER',
  'TLS-CIPHER-PHASE-OUT',
  'TLS-COMPRESSION',
  'TLS-KEX-DH-WEAK',
  'TLS-KEX-GROUP-WEAK',
  'TLS-PQ-KEX-MISSING',
  'TLS-PROTO-SSL',
  'TLS-RENEGOTIATION-INSECURE',
];

// The suites used below: code point, IANA and OpenSSL names, key exchange, authentication, cipher, bits, MAC.
const SUITES: [number, string, string | null, string, string, string, number, string][] = [
  [0x1301, 'TLS_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256', 'TLS13', 'TLS13', 'AES_128_GCM', 128, 'AEAD'],
  [0x1302, 'TLS_AES_256_GCM_SHA384', 'TLS_AES_256_GCM_SHA384', 'TLS13', 'TLS13', 'AES_256_GCM', 256, 'AEAD'],
  [0x1303, 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS13', 'TLS13', 'CHACHA20_POLY1305', 256, 'AEAD'],
  [0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE', 'ECDSA', 'AES_128_GCM', 128, 'AEAD'],
  [0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE', 'RSA', 'AES_128_GCM', 128, 'AEAD'],
  [0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE', 'ECDSA', 'AES_256_GCM', 256, 'AEAD'],
  [0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE', 'RSA', 'AES_256_GCM', 256, 'AEAD'],
  [
    0xcca9,
    'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
    'ECDHE-ECDSA-CHACHA20-POLY1305',
    'ECDHE',
    'ECDSA',
    'CHACHA20_POLY1305',
    256,
    'AEAD',
  ],
  [0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-RSA-CHACHA20-POLY1305', 'ECDHE', 'RSA', 'CHACHA20_POLY1305', 256, 'AEAD'],
  [0xc027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'ECDHE-RSA-AES128-SHA256', 'ECDHE', 'RSA', 'AES_128_CBC', 128, 'SHA256'],
  [0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'ECDHE-RSA-AES128-SHA', 'ECDHE', 'RSA', 'AES_128_CBC', 128, 'SHA1'],
  [0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'DHE-RSA-AES128-GCM-SHA256', 'DHE', 'RSA', 'AES_128_GCM', 128, 'AEAD'],
  [0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA', 'AES128-SHA', 'RSA', 'RSA', 'AES_128_CBC', 128, 'SHA1'],
  [0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'DES-CBC3-SHA', 'RSA', 'RSA', '3DES_EDE_CBC', 112, 'SHA1'],
  [0x0005, 'TLS_RSA_WITH_RC4_128_SHA', 'RC4-SHA', 'RSA', 'RSA', 'RC4_128', 128, 'SHA1'],
  [0x0003, 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', 'EXP-RC4-MD5', 'RSA', 'RSA', 'RC4_40', 40, 'MD5'],
];

function suite(iana: string): Suite {
  const row = SUITES.find((s) => s[1] === iana);
  if (!row) throw new Error(`no test suite ${iana}`);
  const [code, name, openssl, kex, auth, cipher, bits, mac] = row;
  return { code, iana: name, openssl, kex, auth, cipher, bits, mac, export: name.includes('EXPORT') };
}

const GROUPS: Record<string, Omit<Group, 'versions'>> = {
  X25519MLKEM768: { code: 0x11ec, name: 'X25519MLKEM768', kind: 'hybrid-pq', bits: 768 },
  x25519: { code: 0x001d, name: 'x25519', kind: 'ecdhe', bits: 256 },
  secp256r1: { code: 0x0017, name: 'secp256r1', kind: 'ecdhe', bits: 256 },
  secp384r1: { code: 0x0018, name: 'secp384r1', kind: 'ecdhe', bits: 384 },
  secp224r1: { code: 0x0015, name: 'secp224r1', kind: 'ecdhe', bits: 224 },
  ffdhe2048: { code: 0x0100, name: 'ffdhe2048', kind: 'ffdhe', bits: 2048 },
};

function group(name: string, versions: Group['versions'] = ['TLSv1.2', 'TLSv1.3']): Group {
  const g = GROUPS[name];
  if (!g) throw new Error(`no test group ${name}`);
  return { ...g, versions };
}

type VersionSuites = Enumeration['versions']['TLSv1'];
const notAccepted = (): VersionSuites => ({ status: 'not-applicable', reason: 'version not accepted', suites: [], serverPreference: null });
const MODERN_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const INTERMEDIATE_12 = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
];

/** What a scan of a server set up with ssl-config.mozilla.org's modern profile records: TLS 1.3 only, PQ hybrid first. */
function modern(): Enumeration {
  return {
    status: 'ok',
    connections: 24,
    ssl2: { status: 'ok', accepted: false },
    ssl3: { status: 'ok', accepted: false },
    versions: {
      TLSv1: notAccepted(),
      'TLSv1.1': notAccepted(),
      'TLSv1.2': notAccepted(),
      'TLSv1.3': { status: 'ok', suites: MODERN_SUITES.map(suite), serverPreference: false },
    },
    groups: {
      status: 'ok',
      supported: ['X25519MLKEM768', 'x25519', 'secp256r1', 'secp384r1'].map((g) => group(g, ['TLSv1.3'])),
      serverPreference: true,
    },
    dh: { status: 'ok', bits: null, group: null },
    pq: { status: 'ok', hybrid: true, groups: ['X25519MLKEM768'] },
    renegotiation: { status: 'not-applicable', reason: 'only TLS 1.3 is accepted', secure: null },
    compression: { status: 'not-applicable', reason: 'only TLS 1.3 is accepted', accepted: null },
    extendedMasterSecret: { status: 'not-applicable', reason: 'only TLS 1.3 is accepted', supported: null },
  };
}

/** The intermediate profile: TLS 1.2 with its six ECDHE AEAD suites added, the client's order followed. */
function intermediate(): Enumeration {
  const e = modern();
  e.versions['TLSv1.2'] = { status: 'ok', suites: INTERMEDIATE_12.map(suite), serverPreference: false };
  e.groups.supported = ['X25519MLKEM768', 'x25519', 'secp256r1', 'secp384r1'].map((g) =>
    group(g, g === 'X25519MLKEM768' ? ['TLSv1.3'] : ['TLSv1.2', 'TLSv1.3']),
  );
  e.renegotiation = { status: 'ok', secure: true };
  e.compression = { status: 'ok', accepted: false };
  e.extendedMasterSecret = { status: 'ok', supported: true };
  return e;
}

/** Mozilla's old profile (5.8) as nginx serves it: TLS 1.0 to 1.3, its own order, 1024-bit DHE. */
function old(): Enumeration {
  const e = intermediate();
  const legacy = [
    'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
    'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
    'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
    'TLS_RSA_WITH_AES_128_CBC_SHA',
    'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
  ].map(suite);
  e.versions['TLSv1.2'] = { status: 'ok', suites: [...INTERMEDIATE_12.map(suite), ...legacy], serverPreference: true };
  const tls10 = ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'].map(suite);
  e.versions.TLSv1 = { status: 'ok', suites: tls10, serverPreference: true };
  e.versions['TLSv1.1'] = { status: 'ok', suites: structuredClone(tls10), serverPreference: true };
  e.versions['TLSv1.3'].serverPreference = true;
  e.dh = { status: 'ok', bits: 1024, group: 'rfc2409-1024' };
  return e;
}

let pack: LoadedPolicy;
beforeAll(async () => {
  pack = await builtinPack('vn-ct02-2022-tls');
});

function judge(enumeration: Enumeration | undefined, params: Record<string, unknown> = {}): Finding[] {
  const facts = readFacts('good');
  if (enumeration) facts.enumeration = enumeration;
  const findings = evaluate({ targets: [target()], attempts: [okAttempt(facts)], policies: [pack], now: NOW, params });
  return findings.filter((f) => ENUMERATION_RULES.includes(f.ruleId));
}

const withOutcome = (findings: readonly Finding[], outcome: Outcome): string[] =>
  findings
    .filter((f) => f.outcome === outcome)
    .map((f) => f.ruleId)
    .sort();

const finding = (findings: readonly Finding[], id: string): Finding => {
  const f = findings.find((x) => x.ruleId === id);
  if (!f) throw new Error(`no finding of ${id}`);
  return f;
};

/** A copy of the intermediate endpoint with one thing changed. */
function intermediateWith(change: (e: Enumeration) => void): Enumeration {
  const e = intermediate();
  change(e);
  return e;
}

function addTo(e: Enumeration, version: Version, ...iana: string[]): void {
  e.versions[version].suites.push(...iana.map(suite));
}

describe('the TLS pack on the full enumeration', () => {
  it.each([
    ['modern', modern],
    ['intermediate', intermediate],
  ])('passes every rule on a Mozilla-%s endpoint (under old, all but the cipher order)', (_name, make) => {
    for (const mozillaProfile of ['modern', 'intermediate', 'old']) {
      const findings = judge(make(), { mozillaProfile });
      expect(findings.map((f) => f.ruleId).sort()).toEqual(ENUMERATION_RULES);
      // Under modern the intermediate endpoint's TLS 1.2 suites are outside the profile (see below).
      if (make === intermediate && mozillaProfile === 'modern') continue;
      // old asks the server to enforce its order (Mozilla old: server_preferred_order), as NCSC-NL B2-5
      // does while a suite weaker than Good (TLS_AES_128_GCM_SHA256 is Sufficient) is accepted.
      const unordered = mozillaProfile === 'old' ? ['TLS-CIPHER-ORDER'] : [];
      expect(withOutcome(findings, 'fail'), mozillaProfile).toEqual(unordered);
      expect(withOutcome(findings, 'pass'), mozillaProfile).toEqual(ENUMERATION_RULES.filter((id) => !unordered.includes(id)));
    }
  });

  // Endpoint defect → the rules it fails (every other enumeration rule passes), under the default profile.
  const DEFECTS: [string, () => Enumeration, string[]][] = [
    ['SSL 3.0 accepted', () => intermediateWith((e) => (e.ssl3 = { status: 'ok', accepted: true })), ['TLS-PROTO-SSL']],
    ['SSL 2.0 accepted', () => intermediateWith((e) => (e.ssl2 = { status: 'ok', accepted: true })), ['TLS-PROTO-SSL']],
    [
      'RC4, EXPORT and 3DES accepted, in the server order',
      () =>
        intermediateWith((e) => {
          addTo(e, 'TLSv1.2', 'TLS_RSA_WITH_RC4_128_SHA', 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA');
          e.versions['TLSv1.2'].serverPreference = true;
        }),
      ['TLS-CIPHER-INSUFFICIENT'],
    ],
    [
      'CBC with SHA-256 accepted, in the server order',
      () =>
        intermediateWith((e) => {
          addTo(e, 'TLSv1.2', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256');
          e.versions['TLSv1.2'].serverPreference = true;
        }),
      ['TLS-CIPHER-PHASE-OUT'],
    ],
    [
      'CBC with SHA-256 accepted, in the client order',
      () => intermediateWith((e) => addTo(e, 'TLSv1.2', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256')),
      ['TLS-CIPHER-ORDER', 'TLS-CIPHER-PHASE-OUT'],
    ],
    [
      '1024-bit DHE',
      () =>
        intermediateWith((e) => {
          addTo(e, 'TLSv1.2', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256');
          e.versions['TLSv1.2'].serverPreference = true;
          e.dh = { status: 'ok', bits: 1024, group: 'rfc2409-1024' };
        }),
      ['TLS-CIPHER-PHASE-OUT', 'TLS-KEX-DH-WEAK'],
    ],
    [
      'secp224r1 and ffdhe2048 accepted',
      () => intermediateWith((e) => e.groups.supported.push(group('secp224r1'), group('ffdhe2048', ['TLSv1.3']))),
      ['TLS-KEX-GROUP-WEAK'],
    ],
    ['compression', () => intermediateWith((e) => (e.compression = { status: 'ok', accepted: true })), ['TLS-COMPRESSION']],
    ['no RFC 5746', () => intermediateWith((e) => (e.renegotiation = { status: 'ok', secure: false })), ['TLS-RENEGOTIATION-INSECURE']],
    [
      'no post-quantum hybrid',
      () =>
        intermediateWith((e) => {
          e.pq = { status: 'ok', hybrid: false, groups: [] };
          e.groups.supported = e.groups.supported.filter((g) => g.kind !== 'hybrid-pq');
        }),
      ['TLS-PQ-KEX-MISSING'],
    ],
  ];

  it.each(DEFECTS)('%s fails exactly %j', (_name, make, fails) => {
    const findings = judge(make());
    expect(withOutcome(findings, 'fail')).toEqual([...fails].sort());
    expect(withOutcome(findings, 'pass')).toEqual(ENUMERATION_RULES.filter((id) => !fails.includes(id)));
  });

  it('every enumeration rule has a defect that fails it', () => {
    expect([...new Set(DEFECTS.flatMap(([, , fails]) => fails))].sort()).toEqual(ENUMERATION_RULES);
  });

  it('lists the offending suites and groups by IANA name, per version, in the message and the evidence', () => {
    const insufficient = finding(
      judge(
        intermediateWith((e) => {
          addTo(e, 'TLSv1.2', 'TLS_RSA_WITH_RC4_128_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA');
          e.versions.TLSv1 = { status: 'ok', suites: [suite('TLS_RSA_WITH_AES_128_CBC_SHA')], serverPreference: null };
        }),
      ),
      'TLS-CIPHER-INSUFFICIENT',
    );
    expect(insufficient.message.en).toBe(
      'portal.example.gov.vn:443 accepts cipher suites NCSC-NL rates insufficient: TLS 1.0: TLS_RSA_WITH_AES_128_CBC_SHA; TLS 1.2: TLS_RSA_WITH_RC4_128_SHA, TLS_RSA_WITH_3DES_EDE_CBC_SHA; expected only Good, Sufficient or (while retiring them) Phase out suites (Mozilla profile intermediate).',
    );
    expect(insufficient.message.vi).toContain('TLS 1.2: TLS_RSA_WITH_RC4_128_SHA, TLS_RSA_WITH_3DES_EDE_CBC_SHA');
    expect(insufficient.evidence['values.insufficient']).toEqual([
      { version: 'TLS 1.0', suites: ['TLS_RSA_WITH_AES_128_CBC_SHA'] },
      { version: 'TLS 1.2', suites: ['TLS_RSA_WITH_RC4_128_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'] },
    ]);

    const groups = finding(
      judge(intermediateWith((e) => e.groups.supported.push(group('secp224r1'), group('ffdhe2048', ['TLSv1.3'])))),
      'TLS-KEX-GROUP-WEAK',
    );
    expect(groups.evidence['values.weakGroups']).toEqual([
      { group: 'secp224r1', category: 'phase-out' },
      { group: 'ffdhe2048', category: 'insufficient' },
    ]);
    expect(groups.message.en).toContain('phase out: secp224r1; insufficient: ffdhe2048;');
    expect(groups.message.vi).toContain('cần loại bỏ dần: secp224r1; không đủ an toàn: ffdhe2048;');

    const order = finding(judge(intermediateWith((e) => addTo(e, 'TLSv1.2', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'))), 'TLS-CIPHER-ORDER');
    expect(order.evidence['values.unordered']).toEqual([
      { version: 'TLS 1.2', weakerThanGood: [...INTERMEDIATE_12, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'] },
    ]);

    const ssl = finding(judge(intermediateWith((e) => (e.ssl3 = { status: 'ok', accepted: true }))), 'TLS-PROTO-SSL');
    expect(ssl.message.en).toBe('portal.example.gov.vn:443 accepts SSL 3.0; expected no SSL version at all (TLS 1.2 and 1.3 only).');
    expect(ssl.severity).toBe('critical');
  });

  it('judges a Mozilla-old endpoint by the profile: insufficient under intermediate, phase-out under old', () => {
    const byDefault = judge(old());
    expect(withOutcome(byDefault, 'fail')).toEqual(['TLS-CIPHER-INSUFFICIENT', 'TLS-CIPHER-PHASE-OUT', 'TLS-KEX-DH-WEAK']);
    expect(finding(byDefault, 'TLS-CIPHER-INSUFFICIENT').evidence['values.insufficient']).toEqual([
      {
        version: 'TLS 1.0',
        suites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
      },
      {
        version: 'TLS 1.1',
        suites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
      },
      {
        version: 'TLS 1.2',
        suites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
      },
    ]);
    expect(finding(byDefault, 'TLS-KEX-DH-WEAK').message.en).toBe(
      'portal.example.gov.vn:443 uses a 1024-bit Diffie-Hellman group for DHE; expected at least 2048 bits (Mozilla profile intermediate).',
    );

    // old configures its legacy suites: one category up, so the insufficient ones are reported as
    // phase-out and its DHE and CBC-SHA256 suites (phase out) not at all; 1024-bit DH is its minimum.
    const underOld = judge(old(), { mozillaProfile: 'old' });
    expect(withOutcome(underOld, 'fail')).toEqual(['TLS-CIPHER-PHASE-OUT']);
    expect(finding(underOld, 'TLS-CIPHER-PHASE-OUT').evidence['values.phaseOut']).toEqual([
      {
        version: 'TLS 1.0',
        suites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
      },
      {
        version: 'TLS 1.1',
        suites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
      },
      {
        version: 'TLS 1.2',
        suites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
      },
    ]);
    // A suite old does not configure stays insufficient under old.
    const rc4 = judge(
      (() => {
        const e = old();
        addTo(e, 'TLSv1.2', 'TLS_RSA_WITH_RC4_128_SHA');
        return e;
      })(),
      { mozillaProfile: 'old' },
    );
    expect(finding(rc4, 'TLS-CIPHER-INSUFFICIENT').evidence['values.insufficient']).toEqual([
      { version: 'TLS 1.2', suites: ['TLS_RSA_WITH_RC4_128_SHA'] },
    ]);
  });

  it('under modern, a suite outside the profile is at least phase-out and the client may not choose among them', () => {
    const findings = judge(intermediate(), { mozillaProfile: 'modern' });
    expect(withOutcome(findings, 'fail')).toEqual(['TLS-CIPHER-ORDER', 'TLS-CIPHER-PHASE-OUT']);
    expect(finding(findings, 'TLS-CIPHER-PHASE-OUT').evidence['values.phaseOut']).toEqual([
      { version: 'TLS 1.2', suites: INTERMEDIATE_12 },
    ]);
    expect(finding(findings, 'TLS-CIPHER-PHASE-OUT').message.en).toContain('(Mozilla profile modern)');
  });

  it('lets intermediate leave the order to the client only when every accepted suite is one it configures', () => {
    // The same TLS 1.3 suite outside intermediate (Sufficient for NCSC-NL): the client's order no longer passes.
    const ccm = judge(
      intermediateWith((e) =>
        e.versions['TLSv1.3'].suites.push({
          ...suite('TLS_AES_128_GCM_SHA256'),
          code: 0x1304,
          iana: 'TLS_AES_128_CCM_SHA256',
          openssl: 'TLS_AES_128_CCM_SHA256',
          cipher: 'AES_128_CCM',
        }),
      ),
    );
    expect(withOutcome(ccm, 'fail')).toEqual(['TLS-CIPHER-ORDER']);
    // old asks for the server's order whatever it accepts.
    const unordered = judge(
      (() => {
        const e = old();
        for (const v of ['TLSv1', 'TLSv1.1', 'TLSv1.2'] as const) e.versions[v].serverPreference = false;
        return e;
      })(),
      { mozillaProfile: 'old' },
    );
    expect(withOutcome(unordered, 'fail')).toEqual(['TLS-CIPHER-ORDER', 'TLS-CIPHER-PHASE-OUT']);
  });

  it('takes the profile from --param and refuses a profile Mozilla does not have', () => {
    const set = applyParams([pack], [{ name: 'mozillaProfile', value: 'old', source: 'flag', where: '--param mozillaProfile=old' }]);
    expect(set.problems).toEqual([]);
    expect(set.policies[0]?.params['mozillaProfile']).toBe('old');
    const wrong = applyParams(
      [pack],
      [{ name: 'mozillaProfile', value: 'ancient', source: 'flag', where: '--param mozillaProfile=ancient' }],
    );
    expect(wrong.problems.map((p) => p.en)).toEqual([
      '--param mozillaProfile=ancient: vn-ct02-2022-tls:mozillaProfile = "ancient": expected a text matching modern|intermediate|old',
    ]);
  });
});

describe('what was not enumerated is not tested, never passed', () => {
  it('facts recorded without the enumeration (an earlier govscan)', () => {
    const findings = judge(undefined);
    expect(withOutcome(findings, 'not-tested')).toEqual(ENUMERATION_RULES);
    for (const f of findings) {
      expect(f.reason, f.ruleId).toBe('these facts were recorded without the full TLS enumeration (by an earlier govscan)');
      expect(f.reasonText?.vi, f.ruleId).toBe('dữ liệu được ghi nhận khi govscan chưa liệt kê đầy đủ các thông số TLS (phiên bản cũ hơn)');
    }
  });

  it('a scan with --tls-quick, and an enumeration that failed', () => {
    const quick = judge({ ...modern(), status: 'not-applicable', reason: '--tls-quick' });
    expect(withOutcome(quick, 'not-tested')).toEqual(ENUMERATION_RULES);
    for (const f of quick) {
      expect(f.reason).toBe('the full TLS enumeration was not run (--tls-quick)');
      expect(f.reasonText?.vi).toBe('không liệt kê đầy đủ các thông số TLS (quét với --tls-quick)');
    }
    const failed = judge({ ...modern(), status: 'error', reason: 'connection reset by peer' });
    expect(withOutcome(failed, 'not-tested')).toEqual(ENUMERATION_RULES);
    expect(failed[0]?.reason).toBe('the full TLS enumeration failed (connection reset by peer)');
  });

  it('a part that failed leaves its rules not tested, unless what was seen already fails them', () => {
    const tls12Failed = intermediateWith((e) => {
      e.versions['TLSv1.2'] = { status: 'error', reason: 'timed out', suites: [], serverPreference: null };
    });
    const findings = judge(tls12Failed);
    expect(withOutcome(findings, 'not-tested')).toEqual(['TLS-CIPHER-INSUFFICIENT', 'TLS-CIPHER-ORDER', 'TLS-CIPHER-PHASE-OUT']);
    expect(finding(findings, 'TLS-CIPHER-INSUFFICIENT').reason).toBe(
      'the cipher suites of these versions could not be enumerated: TLS 1.2 (timed out)',
    );
    expect(finding(findings, 'TLS-CIPHER-INSUFFICIENT').reasonText?.vi).toBe(
      'chưa liệt kê được các bộ mã hóa của: TLS 1.2 (chi tiết kỹ thuật: timed out)',
    );
    // RC4 seen in TLS 1.0 fails the rule whatever TLS 1.2 would have shown.
    tls12Failed.versions.TLSv1 = { status: 'ok', suites: [suite('TLS_RSA_WITH_RC4_128_SHA')], serverPreference: null };
    expect(finding(judge(tls12Failed), 'TLS-CIPHER-INSUFFICIENT').outcome).toBe('fail');

    const parts: [string, (e: Enumeration) => void, string, string][] = [
      [
        'TLS-KEX-GROUP-WEAK',
        (e) => (e.groups = { status: 'error', reason: 'reset', supported: [], serverPreference: null }),
        'the supported key exchange groups could not be determined (reset)',
        'chưa xác định được các nhóm trao đổi khóa được hỗ trợ (chi tiết kỹ thuật: reset)',
      ],
      [
        'TLS-KEX-DH-WEAK',
        (e) => (e.dh = { status: 'error', reason: 'reset', bits: null, group: null }),
        'the finite-field Diffie-Hellman size could not be determined (reset)',
        'chưa xác định được độ dài khóa Diffie-Hellman trường hữu hạn (chi tiết kỹ thuật: reset)',
      ],
      [
        'TLS-COMPRESSION',
        (e) => (e.compression = { status: 'error', reason: 'reset', accepted: null }),
        'TLS compression could not be determined (reset)',
        'chưa xác định được việc nén dữ liệu TLS (chi tiết kỹ thuật: reset)',
      ],
      [
        'TLS-RENEGOTIATION-INSECURE',
        (e) => (e.renegotiation = { status: 'error', reason: 'reset', secure: null }),
        'secure renegotiation (RFC 5746) could not be determined (reset)',
        'chưa xác định được hỗ trợ thương lượng lại an toàn (RFC 5746) (chi tiết kỹ thuật: reset)',
      ],
      [
        'TLS-PQ-KEX-MISSING',
        (e) => (e.pq = { status: 'error', reason: 'reset', hybrid: false, groups: [] }),
        'the post-quantum key exchange could not be determined (reset)',
        'chưa xác định được khả năng trao đổi khóa hậu lượng tử (chi tiết kỹ thuật: reset)',
      ],
      [
        'TLS-PROTO-SSL',
        (e) => (e.ssl3 = { status: 'error', reason: 'reset' }),
        'SSL 2.0 and SSL 3.0 could not both be tried (SSL 3.0: reset)',
        'chưa thử được cả SSL 2.0 và SSL 3.0 (chi tiết kỹ thuật: SSL 3.0: reset)',
      ],
    ];
    for (const [id, change, en, vi] of parts) {
      const all = judge(intermediateWith(change));
      expect(withOutcome(all, 'not-tested'), id).toEqual([id]);
      expect(finding(all, id).reason, id).toBe(en);
      expect(finding(all, id).reasonText?.vi, id).toBe(vi);
    }
    // SSL 2.0 seen accepted fails TLS-PROTO-SSL although SSL 3.0 could not be tried.
    const ssl2 = judge(
      intermediateWith((e) => {
        e.ssl2 = { status: 'ok', accepted: true };
        e.ssl3 = { status: 'error', reason: 'reset' };
      }),
    );
    expect(finding(ssl2, 'TLS-PROTO-SSL').outcome).toBe('fail');
  });

  it('a part marked not applicable is not tested unless it truly does not apply to the endpoint', () => {
    const later = 'key-exchange groups are not enumerated yet';
    const notEnumerated = (e: Enumeration): void => {
      e.groups = { status: 'not-applicable', reason: later, supported: [], serverPreference: null };
      e.dh = { status: 'not-applicable', reason: later, bits: null, group: null };
      e.pq = { status: 'not-applicable', reason: later, hybrid: false, groups: [] };
    };
    // No DHE suite accepted: there is no DH group to judge, so TLS-KEX-DH-WEAK still passes.
    const findings = judge(intermediateWith(notEnumerated));
    expect(withOutcome(findings, 'not-tested')).toEqual(['TLS-KEX-GROUP-WEAK', 'TLS-PQ-KEX-MISSING']);
    expect(finding(findings, 'TLS-PQ-KEX-MISSING').reason).toBe(`the post-quantum key exchange could not be determined (${later})`);
    const dhe = judge(
      intermediateWith((e) => {
        notEnumerated(e);
        addTo(e, 'TLSv1.2', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256');
        e.versions['TLSv1.2'].serverPreference = true;
      }),
    );
    expect(withOutcome(dhe, 'not-tested')).toEqual(['TLS-KEX-DH-WEAK', 'TLS-KEX-GROUP-WEAK', 'TLS-PQ-KEX-MISSING']);
    // Renegotiation and compression are not applicable only when no TLS 1.2 or earlier is accepted.
    const features = judge(
      intermediateWith((e) => {
        e.renegotiation = { status: 'not-applicable', reason: 'not probed', secure: null };
        e.compression = { status: 'not-applicable', reason: 'not probed', accepted: null };
      }),
    );
    expect(withOutcome(features, 'not-tested')).toEqual(['TLS-COMPRESSION', 'TLS-RENEGOTIATION-INSECURE']);
    // SSL 2.0 not tried is not a pass either.
    const ssl = judge(intermediateWith((e) => (e.ssl2 = { status: 'not-applicable', reason: 'not probed' })));
    expect(withOutcome(ssl, 'not-tested')).toEqual(['TLS-PROTO-SSL']);
  });

  it('an order that could not be determined where it matters is not tested', () => {
    const findings = judge(
      intermediateWith((e) => {
        addTo(e, 'TLSv1.2', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256');
        e.versions['TLSv1.2'].serverPreference = null;
      }),
    );
    expect(withOutcome(findings, 'not-tested')).toEqual(['TLS-CIPHER-ORDER']);
    expect(finding(findings, 'TLS-CIPHER-ORDER').reason).toBe('whether the server enforces its order could not be determined for TLS 1.2');
  });
});

describe('texts', () => {
  it('reads as Vietnamese in every message, remediation and reason these rules produce', () => {
    const problems: string[] = [];
    const scenarios = [
      ...DEFECT_MAKERS().map((make) => judge(make())),
      judge(old()),
      judge(intermediate(), { mozillaProfile: 'modern' }),
      judge(undefined),
      judge({ ...modern(), status: 'not-applicable', reason: '--tls-quick' }),
    ];
    for (const findings of scenarios) {
      for (const f of findings) {
        if (f.outcome === 'pass') continue;
        for (const text of [f.message.vi, f.remediation?.vi ?? '', f.reasonText?.vi ?? '']) {
          expect(text, f.ruleId).not.toMatch(/\{[A-Za-z_][\w.]*\}/);
          problems.push(...reviewVietnamese(text, f.ruleId));
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('names its sources: NCSC-NL, Mozilla and Directive 02/CT-TTg on every rule', () => {
    for (const id of ENUMERATION_RULES) {
      const rule = pack.rules.find((r) => r.id === id);
      expect(rule?.references, id).toContain('02/CT-TTg §1.o');
      expect(
        rule?.references.some((r) => /NCSC-NL|Mozilla|RFC|NIST/.test(r)),
        id,
      ).toBe(true);
    }
    expect(Object.keys(pack.data).sort()).toEqual(['mozillaProfiles', 'ncscGroups', 'ncscSuites']);
    expect(pack.data['ncscSuites']?.source.join(' ')).toContain('english.ncsc.nl');
    expect(pack.data['mozillaProfiles']?.source.join(' ')).toContain('ssl-config.mozilla.org/guidelines/6.0.json');
  });
});

function DEFECT_MAKERS(): (() => Enumeration)[] {
  return [
    () => intermediateWith((e) => (e.ssl2 = { status: 'ok', accepted: true })),
    () => intermediateWith((e) => addTo(e, 'TLSv1.2', 'TLS_RSA_WITH_RC4_128_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256')),
    () => intermediateWith((e) => (e.dh = { status: 'ok', bits: 1024, group: null })),
    () => intermediateWith((e) => e.groups.supported.push(group('secp224r1'), group('ffdhe2048'))),
    () => intermediateWith((e) => (e.compression = { status: 'ok', accepted: true })),
    () => intermediateWith((e) => (e.renegotiation = { status: 'ok', secure: false })),
    () => intermediateWith((e) => (e.pq = { status: 'ok', hybrid: false, groups: [] })),
    () => intermediateWith((e) => (e.pq = { status: 'ok', hybrid: false, groups: [] })),
    () => {
      const e = intermediate();
      e.versions['TLSv1.3'] = notAccepted();
      e.pq = { status: 'not-applicable', reason: 'TLS 1.3 not accepted', hybrid: false, groups: [] };
      return e;
    },
  ];
}
