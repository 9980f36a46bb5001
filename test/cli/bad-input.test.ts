// Bad input of every kind gets exit 2 and one `file:line:col: message` line — never a stack trace —
// and no packet is sent (every target below is unroutable-by-design `.test` names never resolved).

import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { runCli } from '../helpers/cli.js';

// Names under .test are never resolved: input is rejected before any probe runs.
const T = 'https://portal.example.test';

const cases: Array<[string, string[], RegExp]> = [
  [
    'policy with a YAML syntax error',
    ['scan', T, '--policy', 'test/fixtures/policies/yaml-syntax.yaml'],
    /^error: test\/fixtures\/policies\/yaml-syntax\.yaml:12:1: YAML syntax error: /,
  ],
  [
    'policy failing its schema',
    ['scan', T, '--policy', 'test/fixtures/policies/bad-severity.yaml'],
    /^error: test\/fixtures\/policies\/bad-severity\.yaml:12:17: rule TEST-SEVERITY: severity: must be one of critical, high, medium, low, info \(got "urgent"\)$/,
  ],
  [
    'policy with bad CEL',
    ['scan', T, '--policy', 'test/fixtures/policies/bad-cel.yaml'],
    /^error: test\/fixtures\/policies\/bad-cel\.yaml:15:15: rule TEST-CEL: invalid CEL in assert: /,
  ],
  [
    'policy naming an unknown check',
    ['scan', T, '--policy', 'test/fixtures/policies/unknown-check.yaml'],
    /^error: test\/fixtures\/policies\/unknown-check\.yaml:11:14: rule TLS-X: unknown check "tls\.nope" \(known: [a-z0-9., ]*tls\.endpoint\)$/,
  ],
  [
    'policy with a duplicate rule id',
    ['scan', T, '--policy', 'test/fixtures/policies/duplicate-id.yaml'],
    /^error: test\/fixtures\/policies\/duplicate-id\.yaml:18:11: rule TEST-TWICE: duplicate rule id/,
  ],
  [
    'policy missing Vietnamese text',
    ['scan', T, '--policy', 'test/fixtures/policies/missing-vi.yaml'],
    /^error: test\/fixtures\/policies\/missing-vi\.yaml:13:14: rule TEST-NO-VI: title: missing Vietnamese \(vi\) text$/,
  ],
  ['unknown policy id', ['scan', T, '--policy', 'no-such-pack'], /^error: unknown policy "no-such-pack": not a built-in policy/],
  [
    'inventory with a YAML syntax error',
    ['scan', '--inventory', 'test/fixtures/inventories/bad-syntax.yaml'],
    /^error: test\/fixtures\/inventories\/bad-syntax\.yaml:\d+:\d+: /,
  ],
  [
    'inventory failing its schema',
    ['scan', '--inventory', 'test/fixtures/inventories/bad-level.yaml'],
    /^error: test\/fixtures\/inventories\/bad-level\.yaml:4:12: systems/,
  ],
  [
    'inventory with an endpoint it cannot scan',
    ['scan', '--inventory', 'test/fixtures/inventories/bad-endpoint.yaml'],
    /^error: test\/fixtures\/inventories\/bad-endpoint\.yaml:7:9: system "a": "ftp:\/\/files\.a\.gov\.vn": ftp:\/\/ endpoints are not supported yet/,
  ],
  [
    'inventory that does not exist',
    ['scan', '--inventory', 'test/fixtures/inventories/missing.yaml'],
    /^error: test\/fixtures\/inventories\/missing\.yaml: cannot read inventory: ENOENT$/,
  ],
  [
    'a target that is not a URL, host:port or domain',
    ['scan', 'portal!example.test'],
    /^error: target 1: "portal!example\.test" is neither an https:\/\/ URL, host:port nor a domain name$/,
  ],
  [
    'an http:// target',
    ['scan', 'http://portal.example.test'],
    /^error: target 1: "http:\/\/portal\.example\.test": http:\/\/ endpoints are not supported yet/,
  ],
  [
    'a malformed --resolve',
    ['scan', T, '--resolve', 'portal.example.test:443:not-an-ip'],
    /^error: --resolve "portal\.example\.test:443:not-an-ip": expected HOST:PORT:ADDRESS/,
  ],
  [
    'a missing --ca-file',
    ['scan', T, '--ca-file', 'test/fixtures/nope.pem'],
    /^error: test\/fixtures\/nope\.pem: cannot read CA file: ENOENT$/,
  ],
  ['a --ca-file without certificates', ['scan', T, '--ca-file', 'README.md'], /^error: README\.md:1:1: no PEM certificate found/],
  ['an unknown flag', ['scan', T, '--bogus'], /^error: Nonexistent flag: --bogus/],
  ['an out-of-range number', ['scan', T, '--concurrency', '0'], /^error: Parsing --concurrency: .*greater than or equal to 1/],
  ['an unknown format', ['scan', T, '--format', 'xml'], /^error: Expected --format=xml to be one of: table, json, sarif/],
  ['no target at all', ['scan'], /^error: no target given/],
  [
    'policy validate on a broken pack',
    ['policy', 'validate', 'test/fixtures/policies/schema-many.yaml'],
    /^error: test\/fixtures\/policies\/schema-many\.yaml:1:13: apiVersion: must be "govscan\/v1"/,
  ],
];

describe('bad input', () => {
  it.each(cases)('%s → exit 2 with a located message', async (_name, args, message) => {
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at |Error: |node:internal/);
    expect(r.stdout).toBe('');
  });

  it('says it in Vietnamese with --lang vi', async () => {
    const r = await runCli(['scan', 'portal!example.test', '--lang', 'vi']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^lỗi: target 1: /);
  });

  it('reports every problem of every file with policy validate', async () => {
    const r = await runCli(['policy', 'validate', 'test/fixtures/policies/schema-many.yaml', 'test/fixtures/policies/bad-cel.yaml']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(8);
    expect(lines.every((l) => /^error: test\/fixtures\/policies\/[a-z-]+\.yaml:\d+:\d+: /.test(l))).toBe(true);
  });

  it('accepts every built-in pack against the schema (runs skip that check for built-ins)', async () => {
    const packs = readdirSync('policies')
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => `policies/${f}`);
    expect(packs.length).toBeGreaterThanOrEqual(2);
    const r = await runCli(['policy', 'validate', ...packs]);
    expect(r.code, r.stderr).toBe(0);
    for (const pack of packs) expect(r.stdout).toMatch(new RegExp(`^${pack.replace(/[.]/g, '\\.')}: valid \\(\\d+ rules\\)$`, 'm'));
  });
});
