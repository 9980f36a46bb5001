// An agency inventory end to end: findings point at the inventory line of their endpoint in SARIF,
// the system's security level raises severities, and the JSON report validates against its schema.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { startFarm, type Farm, type FarmEndpoint } from '../../src/lab/farm.js';
import { reportSchema } from '../../src/report/json.js';
import type { Report } from '../../src/core/types.js';
import { validateSarif } from '../helpers/sarif.js';
import { runCli } from '../helpers/cli.js';

let farm: Farm;
const dir = join('test-artifacts', 'inventory-e2e');
const inventory = join(dir, 'inventory.yaml');

function endpoint(name: string): FarmEndpoint {
  const e = farm.endpoints.find((x) => x.scenario.name === name);
  if (!e) throw new Error(`no ${name} endpoint`);
  return e;
}

beforeAll(async () => {
  farm = await startFarm({ scenarios: ['good-rsa', 'legacy-protocols', 'expired'] });
  await mkdir(dir, { recursive: true });
  const legacy = endpoint('legacy-protocols');
  const expired = endpoint('expired');
  const good = endpoint('good-rsa');
  // Line numbers below are asserted: systems start on lines 3 and 9, endpoints sit on lines 8, 13 and 14.
  await writeFile(
    inventory,
    [
      'agency: Sở TT&TT Thử nghiệm',
      'systems:',
      '  - id: cong-dvc',
      '    name: Cổng dịch vụ công',
      '    level: 3',
      '    kind: online-public-service',
      '    endpoints:',
      `      - https://${legacy.host}:${legacy.port}`,
      '  - id: noi-bo',
      '    name: Hệ thống nội bộ',
      '    level: 1',
      '    endpoints:',
      `      - https://${expired.host}:${expired.port}`,
      `      - https://${good.host}:${good.port}`,
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await farm?.close();
  await rm(dir, { recursive: true, force: true });
});

function args(format: string): string[] {
  const a = ['scan', '--inventory', inventory, '--format', format, '--quiet'];
  for (const e of farm.endpoints) a.push('--resolve', `${e.host}:${e.port}:${e.address}`);
  return a;
}

const env = (): Record<string, string> => ({ NODE_EXTRA_CA_CERTS: farm.publicRootPemFile });

describe('scan --inventory', () => {
  it('points every SARIF result at the inventory line of its endpoint', async () => {
    const r = await runCli(args('sarif'), { env: env() });
    expect(r.code, r.stderr).toBe(1);
    const log = JSON.parse(r.stdout) as Log;
    expect(validateSarif(log)).toEqual([]);
    const results = log.runs.flatMap((run) => run.results ?? []);
    const where = results
      .map(
        (res) =>
          `${res.ruleId} ${res.locations?.[0]?.physicalLocation?.artifactLocation?.uri}:${res.locations?.[0]?.physicalLocation?.region?.startLine}`,
      )
      .sort();
    expect(where).toEqual([
      // Neither system names an evidence manifest: each is a finding at its own `id:` line.
      'SECLEVEL-NOT-DECLARED test-artifacts/inventory-e2e/inventory.yaml:3',
      'SECLEVEL-NOT-DECLARED test-artifacts/inventory-e2e/inventory.yaml:9',
      'TLS-CERT-EXPIRED test-artifacts/inventory-e2e/inventory.yaml:13',
      // The legacy endpoint's TLS 1.0/1.1 suites are CBC with SHA-1: NCSC-NL rates them insufficient; and it
      // lets the client choose among them (NCSC-NL B2-5).
      'TLS-CIPHER-INSUFFICIENT test-artifacts/inventory-e2e/inventory.yaml:8',
      'TLS-CIPHER-ORDER test-artifacts/inventory-e2e/inventory.yaml:8',
      'TLS-PROTO-LEGACY test-artifacts/inventory-e2e/inventory.yaml:8',
    ]);
    expect(log.runs.find((run) => run.automationDetails?.id?.includes('-tls/'))?.automationDetails?.id).toMatch(
      /^govscan\/vn-ct02-2022-tls\/[a-z0-9-]+\/$/,
    );
  });

  it('raises legacy TLS to high for a level-3 system, so --fail-on high blocks it', async () => {
    const r = await runCli(args('json'), { env: env() });
    const report = JSON.parse(r.stdout) as Report;
    const legacy = report.findings.find((f) => f.ruleId === 'TLS-PROTO-LEGACY' && f.outcome === 'fail');
    expect(legacy?.severity).toBe('high');
    expect(report.targets.find((t) => t.key === legacy?.target)?.system).toMatchObject({ id: 'cong-dvc', level: 3 });
    const onlyLegacy = await runCli([...args('json'), '--policy', 'vn-ct02-2022-tls', '--fail-on', 'critical'], { env: env() });
    // The expired certificate is critical: still blocking at --fail-on critical.
    expect(onlyLegacy.code).toBe(1);
  });

  it('writes a JSON report that validates against the published schema, with facts for every attempt', async () => {
    const r = await runCli(args('json'), { env: env() });
    const report = JSON.parse(r.stdout) as Report;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormatsModule.default(ajv);
    const validate = ajv.compile(reportSchema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.run.agency).toBe('Sở TT&TT Thử nghiệm');
    expect(report.attempts.every((a) => a.status === 'ok' && a.facts !== undefined)).toBe(true);
    // Three endpoints and the two systems themselves (security-level checks).
    expect(report.summary.targets).toBe(5);
    expect(
      report.findings
        .filter((f) => f.ruleId === 'SECLEVEL-NOT-DECLARED' && f.outcome === 'fail')
        .map((f) => f.target)
        .sort(),
    ).toEqual(['system://cong-dvc', 'system://noi-bo']);
  });

  it('speaks Vietnamese with --lang vi', async () => {
    const r = await runCli([...args('table'), '--lang', 'vi'], { env: env() });
    expect(r.stdout).toMatch(/đối tượng quét/);
    expect(r.stdout).toMatch(/TLS-CERT-EXPIRED/);
    expect(r.stdout).toMatch(/Chứng thư|chứng thư/);
    // A system with no evidence manifest: the finding and why its other rules went untested are
    // Vietnamese too, and the system is named by its id (it has no port).
    expect(r.stdout).toContain('Hệ thống noi-bo: chưa khai báo cấp độ an toàn (danh mục chưa khai báo tệp khai báo bằng chứng)');
    expect(r.stdout).toContain('hệ thống chưa có tệp khai báo bằng chứng (danh mục không khai báo, hoặc tệp đã khai báo không tồn tại)');
    expect(r.stdout).not.toContain('the system has no evidence manifest');
    expect(r.stdout).not.toContain('facts.manifest.found');
    expect(r.stdout).not.toMatch(/noi-bo:0|cong-dvc:0/);
  });

  it("names the missing manifest and its fix, and keeps each untested rule's reason in both languages", async () => {
    const r = await runCli(args('json'), { env: env() });
    const report = JSON.parse(r.stdout) as Report;
    const missing = report.findings.find((f) => f.ruleId === 'SECLEVEL-NOT-DECLARED' && f.target === 'system://cong-dvc');
    expect(missing?.message.en).toBe(
      'System cong-dvc: no security level declared (the inventory names no evidence manifest); expected level.proposed or level.approved 1–5.',
    );
    expect(missing?.remediation?.en).toContain("name it under the system's `evidence:` in the inventory");
    const untested = report.findings.filter((f) => f.target === 'system://cong-dvc' && f.outcome === 'not-tested');
    expect(untested.length).toBeGreaterThan(0);
    for (const f of untested) {
      // Said in words (requiresReason), never as the CEL expression.
      expect(f.reason).toMatch(/^the system has no evidence manifest/);
      expect(f.reasonText?.vi).toMatch(/^hệ thống chưa có tệp khai báo bằng chứng/);
    }
  });
});
