// Loader errors reach users as `file:line:col: message`; these pin the exact texts.

import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import {
  crossPackErrors,
  loadBuiltinPolicies,
  loadPolicies,
  loadPolicyFile,
  loadPolicySelection,
  loadPolicyText,
  resolvePolicyArg,
  validatePolicyFiles,
} from '../../src/policy/index.js';
import { KNOWN, isTlsPack, knownOnly } from './helpers.js';

const dir = 'test/fixtures/policies';

async function loadError(name: string): Promise<InputError> {
  try {
    await loadPolicyFile(`${dir}/${name}`, KNOWN);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error(`${name} loaded without error`);
}

describe('loading a malformed pack', () => {
  it.each([
    ['yaml-syntax.yaml', 'yaml-syntax.yaml:12:1: YAML syntax error: Sequence item without - indicator'],
    [
      'bad-severity.yaml',
      'bad-severity.yaml:12:17: rule TEST-SEVERITY: severity: must be one of critical, high, medium, low, info (got "urgent")',
    ],
    [
      'bad-cel.yaml',
      'bad-cel.yaml:15:15: rule TEST-CEL: invalid CEL in assert: found > but expecting end of input (at column 25 of the expression)',
    ],
    [
      'unknown-check.yaml',
      'unknown-check.yaml:11:14: rule TLS-X: unknown check "tls.nope" (known: evidence.documents, fourlayer.evidence, host.local, ipv6.mx, ipv6.ns, ipv6.parity, ipv6.web, seclevel.dossier, tls.endpoint)',
    ],
    ['duplicate-id.yaml', 'duplicate-id.yaml:18:11: rule TEST-TWICE: duplicate rule id (first defined at line 10)'],
    ['missing-vi.yaml', 'missing-vi.yaml:13:14: rule TEST-NO-VI: title: missing Vietnamese (vi) text'],
  ])('%s', async (file, expected) => {
    const err = await loadError(file);
    expect(err.message).toBe(`${dir}/${expected}`);
    expect(err.file).toBe(`${dir}/${file}`);
    const [, line, col] = /:(\d+):(\d+): /.exec(expected) ?? [];
    expect(err.line).toBe(Number(line));
    expect(err.column).toBe(Number(col));
  });

  it('names the known checks of the registry it was given', async () => {
    await expect(loadPolicyFile(`${dir}/unknown-check.yaml`, knownOnly('tls.endpoint', 'ipv6.web'))).rejects.toThrow(
      'unknown check "tls.nope" (known: ipv6.web, tls.endpoint)',
    );
  });

  it('rejects a file that does not exist', async () => {
    const err = await loadError('no-such-pack.yaml');
    expect(err.message).toBe(`${dir}/no-such-pack.yaml: cannot read policy file: no such file`);
  });

  it('checks a requiresReason like a message: it needs a requires to explain, and known placeholders', () => {
    const pack = (extra: string): string =>
      [
        'apiVersion: govscan/v1',
        'kind: Policy',
        'metadata: { id: test-reason, version: "0.1.0", title: { en: Reasons, vi: Lý do }, legalBasis: ["test"] }',
        'spec:',
        '  rules:',
        '    - id: TEST-REASON',
        '      check: tls.endpoint',
        '      severity: low',
        '      title: { en: A rule, vi: Một quy tắc }',
        '      description: { en: A rule., vi: Một quy tắc. }',
        extra,
        '      assert: "true"',
        '      message: { en: Failed., vi: Không đạt. }',
        '      remediation: { en: Fix it., vi: Khắc phục. }',
        '',
      ].join('\n');
    const good = loadPolicyText(
      pack(
        '      requires: "facts.hsts.status == \'ok\'"\n      requiresReason: { en: "no HTTP answer ({facts.hsts.reason})", vi: "không có trả lời HTTP ({facts.hsts.reason})" }',
      ),
      'ok.yaml',
      KNOWN,
    );
    expect(good.rules[0]?.requiresReason).toEqual({
      en: 'no HTTP answer ({facts.hsts.reason})',
      vi: 'không có trả lời HTTP ({facts.hsts.reason})',
    });
    expect(() => loadPolicyText(pack('      requiresReason: { en: "why", vi: "vì sao" }'), 'alone.yaml', KNOWN)).toThrow(
      'alone.yaml:11:23: rule TEST-REASON: requiresReason: the rule has no requires to explain',
    );
    expect(() => loadPolicyText(pack('      requires: "facts.hsts.status == \'ok\'"'), 'silent.yaml', KNOWN)).toThrow(
      /^silent\.yaml:\d+:\d+: rule TEST-REASON: requires: a rule whose requires can be false needs a requiresReason/,
    );
    expect(() =>
      loadPolicyText(pack('      requires: "true"\n      requiresReason: { en: "{host}", vi: "{host}" }'), 'unknown.yaml', KNOWN),
    ).toThrow('unknown placeholder {host}');
  });

  it('rejects an empty document and non-mapping text', () => {
    expect(() => loadPolicyText('', 'empty.yaml', KNOWN)).toThrow('empty.yaml:1:1: must be a mapping (got null)');
    expect(() => loadPolicyText('- a\n- b\n', 'list.yaml', KNOWN)).toThrow('list.yaml:1:1: must be a mapping (got a list)');
  });
});

describe('validatePolicyFiles reports every problem', () => {
  it('lists all errors of one file in file order', async () => {
    const errors = await validatePolicyFiles([`${dir}/schema-many.yaml`], KNOWN);
    expect(errors.map((e) => e.message)).toEqual([
      `${dir}/schema-many.yaml:1:13: apiVersion: must be "govscan/v1" (got "govscan/v2")`,
      `${dir}/schema-many.yaml:4:7: metadata.id: "Test_Many" is not valid: use lower-case letters, digits, '.' and '-', e.g. vn-ct02-2022-tls`,
      `${dir}/schema-many.yaml:5:12: metadata.version: must be a string (got number 1)`,
      `${dir}/schema-many.yaml:7:15: metadata.legalBasis: must list at least 1 item`,
      `${dir}/schema-many.yaml:8:22: metadata.effective.from: must be a date YYYY-MM-DD (got "26/04/2022")`,
      `${dir}/schema-many.yaml:17:26: rule TEST-MANY: bySecurityLevel: invalid key "6": must be one of 1, 2, 3, 4, 5`,
      `${dir}/schema-many.yaml:20:7: rule TEST-MANY: unknown field "owner"`,
    ]);
  });

  it('catches CEL that parses but names unknown variables, params or functions, and bad placeholders', async () => {
    const errors = await validatePolicyFiles([`${dir}/cel-semantics.yaml`], KNOWN);
    expect(errors.map((e) => e.message)).toEqual([
      `${dir}/cel-semantics.yaml:16:13: rule TEST-VARIABLE: invalid CEL in when: unknown variable "fact" (known: facts, target, params, data, now)`,
      `${dir}/cel-semantics.yaml:17:15: rule TEST-VARIABLE: invalid CEL in assert: unknown param "minDay" (declared: minDays)`,
      `${dir}/cel-semantics.yaml:19:19: rule TEST-VARIABLE: invalid CEL in severityOverrides[0].when: unknown function "shout"`,
      `${dir}/cel-semantics.yaml:20:22: rule TEST-VARIABLE: message.en: unknown placeholder {host} (use facts.*, target.*, params.*, values.* or now)`,
      `${dir}/cel-semantics.yaml:20:47: rule TEST-VARIABLE: message.vi: unknown param in placeholder {params.maxDays}`,
    ]);
  });

  it('reports an empty translation as missing', async () => {
    const errors = await validatePolicyFiles([`${dir}/missing-vi.yaml`], KNOWN);
    expect(errors.map((e) => e.message)).toEqual([
      `${dir}/missing-vi.yaml:13:14: rule TEST-NO-VI: title: missing Vietnamese (vi) text`,
      `${dir}/missing-vi.yaml:18:13: rule TEST-NO-VI: message: missing Vietnamese (vi) text`,
    ]);
  });

  it('goes on past a broken file and checks ids across the files', async () => {
    const errors = await validatePolicyFiles(
      [`${dir}/bad-cel.yaml`, `${dir}/minimal.yaml`, `${dir}/unknown-check.yaml`, `${dir}/minimal.yaml`],
      KNOWN,
    );
    expect(errors.map((e) => e.message)).toEqual([
      `${dir}/bad-cel.yaml:15:15: rule TEST-CEL: invalid CEL in assert: found > but expecting end of input (at column 25 of the expression)`,
      `${dir}/unknown-check.yaml:11:14: rule TLS-X: unknown check "tls.nope" (known: evidence.documents, fourlayer.evidence, host.local, ipv6.mx, ipv6.ns, ipv6.parity, ipv6.web, seclevel.dossier, tls.endpoint)`,
      `${dir}/minimal.yaml: policy "test-minimal" is also loaded from ${dir}/minimal.yaml`,
    ]);
    expect(await validatePolicyFiles([`${dir}/minimal.yaml`], KNOWN)).toEqual([]);
  });
});

describe('built-in packs and policy arguments', () => {
  it('loads the built-in pack with the stable rule ids', async () => {
    const [pack, ...rest] = (await loadBuiltinPolicies(KNOWN)).filter(isTlsPack);
    expect(rest).toEqual([]);
    expect(pack?.id).toBe('vn-ct02-2022-tls');
    expect(pack?.source).toBe('policies/vn-ct02-2022-tls.yaml');
    expect(pack?.builtin).toBe(true);
    expect(pack?.rules.map((r) => r.id).sort()).toEqual(
      [
        'TLS-CERT-EXPIRED',
        'TLS-CERT-NOT-YET-VALID',
        'TLS-CERT-EXPIRING',
        'TLS-CERT-HOSTNAME',
        'TLS-CERT-UNTRUSTED',
        'TLS-CHAIN-INCOMPLETE',
        'TLS-CERT-SELF-SIGNED',
        'TLS-CERT-WEAK-KEY',
        'TLS-CERT-WEAK-SIGNATURE',
        'TLS-CERT-LIFETIME',
        'TLS-CERT-NO-SAN',
        'TLS-CERT-REVOKED',
        'TLS-PROTO-LEGACY',
        'TLS-PROTO-NO-TLS13',
        'TLS-NO-FORWARD-SECRECY',
        'TLS-HSTS-MISSING',
        'TLS-OCSP-NOT-STAPLED',
        'TLS-OCSP-STAPLE-INVALID',
        'TLS-CERT-NOT-PUBLICLY-TRUSTED',
        'TLS-PROTO-SSL',
        'TLS-CIPHER-INSUFFICIENT',
        'TLS-CIPHER-PHASE-OUT',
        'TLS-CIPHER-ORDER',
        'TLS-KEX-DH-WEAK',
        'TLS-KEX-GROUP-WEAK',
        'TLS-COMPRESSION',
        'TLS-RENEGOTIATION-INSECURE',
        'TLS-PQ-KEX-MISSING',
      ].sort(),
    );
  });

  it('refuses a built-in pack naming a check the registry lacks', async () => {
    await expect(loadBuiltinPolicies(knownOnly('host.local', 'ipv6.web', 'ipv6.ns', 'ipv6.mx', 'ipv6.parity'))).rejects.toThrow(
      /^policies\/vn-ct02-2022-tls\.yaml:\d+:\d+: rule TLS-CERT-EXPIRED: unknown check "tls\.endpoint" \(known: host\.local, ipv6\.mx, ipv6\.ns, ipv6\.parity, ipv6\.web\)$/,
    );
  });

  it('resolves a built-in id, else a file, else says what it tried', async () => {
    expect((await resolvePolicyArg('vn-ct02-2022-tls', KNOWN)).builtin).toBe(true);
    expect((await resolvePolicyArg(`${dir}/minimal.yaml`, KNOWN)).id).toBe('test-minimal');
    expect((await resolvePolicyArg('vn-nd85-2016', KNOWN)).id).toBe('vn-nd85-2016');
    // Every built-in is listed, both regimes included, in both languages.
    const err = (await resolvePolicyArg('vn-xx-9999', KNOWN).then(
      () => null,
      (e: unknown) => e,
    )) as InputError;
    expect(err.message).toBe(
      'unknown policy "vn-xx-9999": not a built-in policy pack (vn-agent-host, vn-ct02-2022-ipv6, vn-ct02-2022-tls, vn-ct14-2019, vn-nd331-2026, vn-nd85-2016) and no such file',
    );
    expect(err.messageIn('vi')).toMatch(/^không có bộ quy tắc "vn-xx-9999": .*\(vn-agent-host, .*vn-nd331-2026, vn-nd85-2016\)/);
  });

  it('selects the built-in packs when none is named', async () => {
    // Both security-level regimes are loaded: each system is judged by one of them (policy/legal-basis.ts).
    const all = ['vn-ct02-2022-ipv6', 'vn-ct02-2022-tls', 'vn-ct14-2019', 'vn-nd331-2026', 'vn-nd85-2016'];
    expect((await loadPolicySelection([], KNOWN)).map((p) => p.id)).toEqual(all);
    // The agent's host pack judges only what govscan-agent gathers: agent runs load it, plain scans do not.
    expect((await loadPolicySelection([], { ...KNOWN, agentRun: true })).map((p) => p.id)).toEqual(['vn-agent-host', ...all]);
    expect((await loadPolicySelection(['vn-agent-host'], KNOWN)).map((p) => p.id)).toEqual(['vn-agent-host']);
    // The two regimes share rule ids yet may be named together.
    expect((await loadPolicySelection(['vn-nd331-2026', 'vn-nd85-2016'], KNOWN)).map((p) => p.id)).toEqual([
      'vn-nd331-2026',
      'vn-nd85-2016',
    ]);
    expect((await loadPolicySelection([`${dir}/minimal.yaml`], KNOWN)).map((p) => p.id)).toEqual(['test-minimal']);
  });

  it('refuses a rule id that another loaded pack already uses', async () => {
    const [builtin] = (await loadBuiltinPolicies(KNOWN)).filter(isTlsPack);
    const line = builtin?.rules.find((r) => r.id === 'TLS-CERT-EXPIRED')?.location.line;
    await expect(loadPolicies(['vn-ct02-2022-tls', `${dir}/overlaps-builtin.yaml`], KNOWN)).rejects.toThrow(
      `${dir}/overlaps-builtin.yaml:10:11: rule TLS-CERT-EXPIRED: duplicate rule id (also in policy "vn-ct02-2022-tls" at policies/vn-ct02-2022-tls.yaml:${line})`,
    );
    const overlap = await loadPolicyFile(`${dir}/overlaps-builtin.yaml`, KNOWN);
    expect(crossPackErrors([overlap])).toEqual([]);
  });
});
